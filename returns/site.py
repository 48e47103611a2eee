"""What delivery returns add to the site: their API and pages, the links to them and their success messages."""

from accounts.actor import Role
from core.i18n import N_
from returns.controllers.returns import ReturnController
from returns.controllers.submission import ReturnSubmissionController
from returns.pages.submission import ReturnSubmissionPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="returns",
    route_handlers=(ReturnController, ReturnSubmissionController, ReturnSubmissionPages),
    flash_messages={
        "delivery_return_saved": N_("The return is saved as a draft"),
        "delivery_return_uploaded": N_("The figures in the file are saved as the draft. Check them, then continue"),
        "delivery_return_submitted": N_("The return is submitted to the commissioner"),
    },
    navigation=(
        NavigationEntry(href="/returns", text=N_("Returns"), order=53, audience=audience(Role.PROVIDER)),
        NavigationEntry(
            href="/returns",
            text=N_("Delivery returns"),
            order=43,
            audience=audience(Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN),
        ),
    ),
)
