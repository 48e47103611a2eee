"""What contracts add to the site: contracts, their document, variations and the viability of delivery vehicles
(API and pages), the links to them and their success messages."""

from accounts.actor import Role
from contracts.controllers.autonomy import AutonomySettingsController
from contracts.controllers.contracts import ContractController
from contracts.controllers.document import ContractDocumentController
from contracts.controllers.legacy import LegacyImportController
from contracts.controllers.lifecycle import ContractLifecycleController
from contracts.controllers.variations import VariationController
from contracts.controllers.viability import ViabilityController
from contracts.pages.autonomy import AutonomySettingsPages
from contracts.pages.contracts import ContractPages
from contracts.pages.document import ContractDocumentPages
from contracts.pages.legacy import LegacyImportPages
from contracts.pages.lifecycle import ContractLifecyclePages
from contracts.pages.variations import VariationPages
from contracts.pages.viability import ViabilityPages
from core.i18n import N_
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="contracts",
    route_handlers=(
        LegacyImportPages,
        LegacyImportController,
        ContractPages,
        ContractController,
        ContractDocumentPages,
        ContractDocumentController,
        ContractLifecyclePages,
        ContractLifecycleController,
        VariationPages,
        VariationController,
        ViabilityPages,
        ViabilityController,
        AutonomySettingsPages,
        AutonomySettingsController,
    ),
    flash_messages={
        "contract_mobilised": N_("Mobilisation is confirmed: the service is live"),
        "contract_suspended": N_("The contract is suspended"),
        "contract_resumed": N_("The contract is resumed: the service is live again"),
        "contract_terminated": N_("The contract is terminated and the money for later quarters is released"),
        "contract_kpis_set": N_("The KPI thresholds and the activity plan are saved"),
        "contract_allocated": N_("The split by cluster is saved"),
        "variation_proposed": N_("The variation is proposed. Someone else must approve or reject it"),
        "variation_agreed": N_("The variation is agreed under your earned autonomy and applied to the contract"),
        "variation_approved": N_("The variation is approved: the contract has a new version"),
        "variation_rejected": N_("The variation is rejected: the contract stays as it is"),
        "viability_thresholds_set": N_("The viability thresholds are set"),
        "autonomy_settings_set": N_("The terms of earned autonomy are set"),
        "contracts_imported": N_("The contracts made before this service are brought in"),
    },
    navigation=(
        NavigationEntry(
            href="/contracts",
            text=N_("Contracts"),
            order=42,
            audience=audience(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR),
        ),
        NavigationEntry(href="/contracts", text=N_("My contracts"), order=52, audience=audience(Role.PROVIDER)),
        NavigationEntry(href="/viability", text=N_("Viability"), order=46, audience=audience(Role.NATIONAL_ADMIN)),
    ),
)
