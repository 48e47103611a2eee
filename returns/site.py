"""What delivery returns add to the site: their API and pages, the links to them and their success messages."""

from accounts.actor import Role
from core.i18n import N_
from returns.controllers.outcomes import OutcomesController
from returns.controllers.ratings import PerformanceRatingController
from returns.controllers.returns import ReturnController
from returns.pages.outcomes import OutcomesPages
from returns.pages.ratings import PerformanceRatingPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="returns",
    route_handlers=(
        ReturnController,
        OutcomesController,
        OutcomesPages,
        PerformanceRatingController,
        PerformanceRatingPages,
    ),
    navigation=(
        NavigationEntry(
            href="/outcomes", text=N_("Outcomes"), order=44, audience=audience(Role.COMMISSIONER, Role.NATIONAL_ADMIN)
        ),
    ),
    flash_messages={
        "performance_rated": N_("The performance ratings are saved"),
    },
)
