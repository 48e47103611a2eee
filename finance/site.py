"""What finance adds to the site: budget, ledger and spend report pages and API, its success messages, and one link
in the header, to the finance dashboard, which links to the rest (a finance director's header had twelve links)."""

from accounts.actor import Role
from core.i18n import N_
from finance.controllers import BudgetLineController, LedgerController
from finance.dashboard.pages import DashboardPages
from finance.import_pages import BudgetImportPages
from finance.pages import BudgetPages, LedgerPages
from finance.spend.controllers import SpendController
from finance.spend.pack_pages import FinancePackPages
from finance.spend.pages import SpendPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="finance",
    route_handlers=(
        BudgetPages,
        BudgetImportPages,
        BudgetLineController,
        LedgerPages,
        LedgerController,
        SpendPages,
        SpendController,
        FinancePackPages,
        DashboardPages,
    ),
    navigation=(
        NavigationEntry(
            href="/finance/dashboard",
            text=N_("Finance"),
            order=39,
            audience=audience(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER),
        ),
    ),
    flash_messages={
        "budget_set": N_("The budget line is set"),
        "budget_changed": N_("The budget line's amount is changed"),
        "budget_lines_imported": N_("The budget lines in the file are set"),
    },
)
