"""What delivery returns add to the site: their API and pages, the links to them and their success messages."""

from accounts.actor import Role
from core.i18n import N_
from returns.controllers.document import ReturnDocumentController
from returns.controllers.outcomes import OutcomesController
from returns.controllers.returns import ReturnController
from returns.pages.document import ReturnDocumentPages
from returns.pages.outcomes import OutcomesPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="returns",
    route_handlers=(
        ReturnController,
        OutcomesController,
        OutcomesPages,
        ReturnDocumentController,
        ReturnDocumentPages,
    ),
    navigation=(
        NavigationEntry(
            href="/outcomes", text=N_("Outcomes"), order=44, audience=audience(Role.COMMISSIONER, Role.NATIONAL_ADMIN)
        ),
    ),
)
