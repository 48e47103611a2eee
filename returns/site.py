"""What delivery returns add to the site: their API and pages, the links to them and their success messages."""

from accounts.actor import Role
from core.i18n import N_
from returns.controllers.returns import ReturnController
from returns.controllers.review import ReturnReviewController
from returns.pages.review import ReturnReviewPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="returns",
    route_handlers=(ReturnController, ReturnReviewController, ReturnReviewPages),
    flash_messages={
        "return_accepted": N_("The return is accepted. It is locked: a correction with a reason is the only change"),
        "return_queried": N_("The query is sent. The return is back with the delivery vehicle to correct"),
        "return_corrected": N_("The correction is made: the return has a new version"),
    },
    navigation=(
        NavigationEntry(
            href="/returns/review", text=N_("Returns to review"), order=44, audience=audience(Role.COMMISSIONER)
        ),
    ),
)
