"""What finance adds to the site: budget pages and API, the budgets link, its success messages."""

from accounts.actor import Role
from core.i18n import N_
from finance.controllers import BudgetLineController
from finance.pages import BudgetPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="finance",
    route_handlers=(BudgetPages, BudgetLineController),
    navigation=(
        NavigationEntry(
            href="/budgets",
            text=N_("Budgets"),
            order=40,
            audience=audience(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR),
        ),
    ),
    flash_messages={
        "budget_set": N_("The budget line is set"),
        "budget_changed": N_("The budget line's amount is changed"),
    },
)
