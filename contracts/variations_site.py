"""What contract variations add to the site: their API and pages, and the notices after a decision."""

from contracts.controllers.variations import VariationController
from contracts.pages.variations import VariationPages
from core.i18n import N_
from web.contributions import DomainSite

DOMAIN = DomainSite(
    name="contract_variations",
    route_handlers=(VariationPages, VariationController),
    flash_messages={
        "variation_proposed": N_("The variation is proposed. Someone else must approve or reject it"),
        "variation_approved": N_("The variation is approved: the contract has a new version"),
        "variation_rejected": N_("The variation is rejected: the contract stays as it is"),
    },
)
