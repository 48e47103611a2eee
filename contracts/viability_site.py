"""What the viability of delivery vehicles adds to the site: its API and pages, the national administrator's link,
its success message. (Its own module beside any contracts/site.py, so the parts of contracts stay apart.)"""

from accounts.actor import Role
from contracts.controllers.viability import ViabilityController
from contracts.pages.viability import ViabilityPages
from core.i18n import N_
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="contracts.viability",
    route_handlers=(ViabilityPages, ViabilityController),
    navigation=(
        NavigationEntry(href="/viability", text=N_("Viability"), order=46, audience=audience(Role.NATIONAL_ADMIN)),
    ),
    flash_messages={"viability_thresholds_set": N_("The viability thresholds are set")},
)
