"""What delivery returns add to the site: their API and pages, the links to them and their success messages."""

from accounts.actor import Role
from core.i18n import N_
from returns.controllers.payments import ContractPaymentController, PaymentController
from returns.controllers.returns import ReturnController
from returns.pages.payments import PaymentPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="returns",
    route_handlers=(ReturnController, PaymentController, ContractPaymentController, PaymentPages),
    flash_messages={
        "payment_approved": N_("The payment is approved: it is actual spend on its budget line"),
        "payment_withheld": N_("The payment is withheld"),
        "payment_released": N_("The payment is released: it can be approved again"),
    },
    navigation=(
        NavigationEntry(href="/payments", text=N_("Payments"), order=44, audience=audience(Role.FINANCE_DIRECTOR)),
    ),
)
