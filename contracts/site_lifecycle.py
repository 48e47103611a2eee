"""What a contract's lifecycle adds to the site: its pages and API, and the notices after each move. The contracts
domain's other parts (list, detail, variations) contribute their own; `api/app.py` gathers them."""

from contracts.controllers.lifecycle import ContractLifecycleController
from contracts.pages.lifecycle import ContractLifecyclePages
from core.i18n import N_
from web.contributions import DomainSite

DOMAIN = DomainSite(
    name="contracts_lifecycle",
    route_handlers=(ContractLifecyclePages, ContractLifecycleController),
    flash_messages={
        "contract_mobilised": N_("Mobilisation is confirmed: the service is live"),
        "contract_suspended": N_("The contract is suspended"),
        "contract_resumed": N_("The contract is resumed: the service is live again"),
        "contract_terminated": N_("The contract is terminated and the money for later quarters is released"),
        "contract_kpis_set": N_("The KPI thresholds and the activity plan are saved"),
        "contract_allocated": N_("The split by cluster is saved"),
    },
)
