"""What administration adds to the site, only where the clock may move (demo and test): the training clock's page
and API, its header link for national administrators, its success messages."""

from accounts.actor import Role
from administration.controllers import ClockController
from administration.pages import ClockPages
from core.i18n import N_
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="administration",
    route_handlers=(ClockPages, ClockController),
    navigation=(
        NavigationEntry(
            href="/admin/clock", text=N_("Training clock"), order=93, audience=audience(Role.NATIONAL_ADMIN)
        ),
    ),
    flash_messages={
        "clock_set": N_("The training clock is set. Every page and deadline now reads this time"),
        "clock_advanced": N_("The training clock has moved on"),
        "clock_reset": N_("The clock is back to real time"),
    },
)
