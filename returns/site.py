"""What delivery returns add to the site: their API and pages, the links to them and their success messages."""

from core.i18n import N_
from returns.controllers.ratings import PerformanceRatingController
from returns.controllers.returns import ReturnController
from returns.pages.ratings import PerformanceRatingPages
from web.contributions import DomainSite

DOMAIN = DomainSite(
    name="returns",
    route_handlers=(ReturnController, PerformanceRatingController, PerformanceRatingPages),
    flash_messages={
        "performance_rated": N_("The performance ratings are saved"),
    },
)
