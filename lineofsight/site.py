"""What the line of sight adds to the site: its pages and API, and a link in the header."""

from accounts.actor import Role
from core.i18n import N_
from lineofsight.controllers import LineOfSightController
from lineofsight.pages import LineOfSightPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="lineofsight",
    route_handlers=(LineOfSightController, LineOfSightPages),
    navigation=(
        NavigationEntry(
            href="/line-of-sight",
            text=N_("Line of sight"),
            order=35,
            audience=audience(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER),
        ),
    ),
)
