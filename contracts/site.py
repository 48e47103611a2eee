"""What contracts add to the site: the contract document (API and pages)."""

from contracts.controllers.document import ContractDocumentController
from contracts.pages.document import ContractDocumentPages
from web.contributions import DomainSite

DOMAIN = DomainSite(
    name="contracts",
    route_handlers=(
        ContractDocumentPages,
        ContractDocumentController,
    ),
)
