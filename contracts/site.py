"""What contracts add to the site: the contracts API and pages, the contract document, and the Contracts link for
those who read them."""

from accounts.actor import Role
from contracts.controllers.contracts import ContractController
from contracts.controllers.document import ContractDocumentController
from contracts.controllers.variations import VariationController
from contracts.pages.contracts import ContractPages
from contracts.pages.document import ContractDocumentPages
from contracts.pages.variations import VariationPages
from core.i18n import N_
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="contracts",
    route_handlers=(
        ContractPages,
        ContractController,
        ContractDocumentPages,
        ContractDocumentController,
        VariationPages,
        VariationController,
    ),
    flash_messages={
        "variation_proposed": N_("The variation is proposed. Someone else must approve or reject it"),
        "variation_approved": N_("The variation is approved: the contract has a new version"),
        "variation_rejected": N_("The variation is rejected: the contract stays as it is"),
    },
    navigation=(
        NavigationEntry(
            href="/contracts",
            text=N_("Contracts"),
            order=42,
            audience=audience(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR),
        ),
        NavigationEntry(href="/contracts", text=N_("My contracts"), order=52, audience=audience(Role.PROVIDER)),
    ),
)
