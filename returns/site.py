"""What delivery returns add to the site: their API and pages, the links to them and their success messages."""

from returns.controllers.returns import ReturnController
from returns.controllers.review import ReturnReviewController
from web.contributions import DomainSite

DOMAIN = DomainSite(
    name="returns",
    route_handlers=(ReturnController, ReturnReviewController),
)
