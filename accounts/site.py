"""What accounts adds to the site: sign-in pages and tokens, the dashboard link, the names of the roles."""

from accounts.actor import Role
from accounts.controllers import AuthController
from accounts.pages import SignInPages
from core.i18n import N_
from web.contributions import EVERY_ROLE, DomainSite, NavigationEntry

DOMAIN = DomainSite(
    name="accounts",
    route_handlers=(SignInPages, AuthController),
    navigation=(NavigationEntry(href="/dashboard", text=N_("Dashboard"), order=10, audience=EVERY_ROLE),),
    flash_messages={
        "signed_in": N_("You are signed in"),
        "signed_out": N_("You have signed out"),
    },
    labels={
        Role.NATIONAL_ADMIN.value: N_("National administrator"),
        Role.COMMISSIONER.value: N_("PCPG commissioner"),
        Role.EVALUATOR.value: N_("Evaluator"),
        Role.PROVIDER.value: N_("Delivery vehicle manager"),
        Role.FINANCE_DIRECTOR.value: N_("Health board finance director"),
    },
)
