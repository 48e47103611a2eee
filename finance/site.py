"""What finance adds to the site: budget and ledger pages and API, the budgets and ledger links, its success
messages."""

from accounts.actor import Role
from core.i18n import N_
from finance.controllers import BudgetLineController, LedgerController, SpendController
from finance.dashboard_pages import DashboardPages
from finance.pages import BudgetPages, LedgerPages, SpendPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="finance",
    route_handlers=(
        BudgetPages,
        BudgetLineController,
        LedgerPages,
        LedgerController,
        SpendPages,
        SpendController,
        DashboardPages,
    ),
    navigation=(
        NavigationEntry(
            href="/finance/dashboard",
            text=N_("Finance"),
            order=39,
            audience=audience(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR),
        ),
        NavigationEntry(
            href="/budgets",
            text=N_("Budgets"),
            order=40,
            audience=audience(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR),
        ),
        NavigationEntry(
            href="/finance/ledger",
            text=N_("Ledger"),
            order=41,
            audience=audience(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR),
        ),
    ),
    flash_messages={
        "budget_set": N_("The budget line is set"),
        "budget_changed": N_("The budget line's amount is changed"),
    },
)
