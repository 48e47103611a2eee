"""Pages: budget lines with their ledger, the form to set or change one, and the finance director's ledger with its
CSV and Excel downloads."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.errors import DomainError, NotAllowed, RuleBroken
from core.i18n import N_, current_language, gettext
from core.money import parse_pounds, pounds_input
from core.periods import FinancialYear
from finance import exports, queries, rules, services
from finance.schemas import BudgetLineChangeIn, BudgetLineIn, BudgetLineOut, LedgerFilterIn
from organisations import queries as org_queries
from web.forms import Form, error_summary, parse_form, read_form
from web.templating import form_page_offset, page, paging, with_flash, with_query

READERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER)
SETTERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR)

ENTER_AN_AMOUNT = N_("Enter an amount in pounds, like 1250.00")
LINE_MESSAGES = {
    "pcpg_id": N_("Select a PCPG"),
    "financial_year": N_("Select a financial year"),
    "funding_stream": N_("Select a funding stream"),
    "amount_pence": ENTER_AN_AMOUNT,
}
AMOUNT = {"amount": "amount_pence"}
AMOUNT_ID = {"amount_pence": "amount"}


def _amount_problem(form: Form[Any]) -> None:
    """An amount typed in pounds that a line cannot hold: negative, or beyond a line's largest (the Struct's bound)."""
    if "amount" not in form.errors:
        return
    try:
        pence = parse_pounds(str(form.values.get("amount", "")), field="amount")
    except DomainError:
        return  # not an amount at all: the kit's message stands
    form.errors["amount"] = gettext(N_("The amount cannot be negative") if pence < 0 else N_("Check this answer"))


async def _pcpg_choices(actor: NamedDependency[Actor]) -> list[Any]:
    board = actor.health_board_id if actor.role is Role.FINANCE_DIRECTOR else None
    return (await org_queries.list_pcpgs(health_board_id=board, limit=200)).items


def _year_choices(clock: NamedDependency[Clock]) -> list[FinancialYear]:
    current = FinancialYear.containing(clock.today().date())
    return [FinancialYear(current.start_year + offset) for offset in range(-1, 4)]


class BudgetPages(Controller):
    path = "/budgets"
    include_in_schema = False

    @get("/", guards=[READERS])
    async def list_lines(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        financial_year: int | None = None,
        offset: str | None = None,
    ) -> Template:
        result = await queries.list_budget_lines(
            actor=actor, financial_year=financial_year, limit=50, offset=form_page_offset(offset)
        )
        return page(
            request,
            "finance/budget_lines.html",
            {
                "title": gettext("Budget lines"),
                "lines": result.items,
                "paging": paging(result, request),
                "financial_year": financial_year,
                "years": _year_choices(clock),
                "can_set": rules.can_set_budget_lines(actor),
            },
        )

    async def _form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "finance/budget_line_form.html",
            {
                "title": gettext("Set a budget line"),
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
                "pcpgs": await _pcpg_choices(actor),
                "years": _year_choices(clock),
                "streams": rules.FUNDING_STREAMS,
            },
            status_code=status_code,
        )

    @get("/new", guards=[SETTERS])
    async def new_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Template:
        return await self._form(request, actor, clock, {}, {})

    @post("/new", guards=[SETTERS])
    async def create(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await read_form(request, BudgetLineIn, messages=LINE_MESSAGES, pounds=AMOUNT, ids=AMOUNT_ID)
        _amount_problem(form)
        line = await form.run(
            lambda data: services.create_budget_line(actor=actor, data=data, now=clock.now()),
            default_field="amount_pence",
            passes=(NotAllowed,),
        )
        if line is not None:
            return with_flash(Redirect(path=f"/budgets/{line.id}"), "budget_set")
        return await self._form(request, actor, clock, form.values, form.errors, status_code=400)

    def _line_page(
        self, request: Request, line: BudgetLineOut, form: Form[Any] | None = None, status_code: int = 200
    ) -> Template:
        errors = form.errors if form is not None else {}
        return page(
            request,
            "finance/budget_line.html",
            {
                "title": line.label,
                "line": line,
                "errors": errors,
                "error_list": error_summary(errors),
                "amount": form.values.get("amount", "") if form is not None else pounds_input(line.amount_pence),
            },
            status_code=status_code,
        )

    @get("/{budget_line_id:int}", guards=[READERS])
    async def detail(self, request: Request, actor: NamedDependency[Actor], budget_line_id: int) -> Template:
        return self._line_page(request, await queries.get_budget_line(actor=actor, budget_line_id=budget_line_id))

    @post("/{budget_line_id:int}", guards=[SETTERS])
    async def change(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], budget_line_id: int
    ) -> Response[Any]:
        form = await read_form(
            request, BudgetLineChangeIn, messages={"amount_pence": ENTER_AN_AMOUNT}, pounds=AMOUNT, ids=AMOUNT_ID
        )
        _amount_problem(form)
        await form.run(
            lambda data: services.change_budget_line(
                actor=actor, budget_line_id=budget_line_id, data=data, now=clock.now()
            ),
            default_field="amount_pence",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/budgets/{budget_line_id}"), "budget_changed")
        line = await queries.get_budget_line(actor=actor, budget_line_id=budget_line_id)
        return self._line_page(request, line, form, status_code=400)


LEDGER_PAGE_SIZE = 50
# The filter form's inputs, by the LedgerFilterIn field each fills.
LEDGER_INPUTS = {
    "financial_year": "financial_year",
    "pcpg_id": "pcpg",
    "funding_stream": "funding_stream",
    "health_board_id": "health_board",
}
LEDGER_MESSAGES = {
    "financial_year": N_("Select a financial year"),
    "pcpg_id": N_("Select a PCPG"),
    "funding_stream": N_("Select a funding stream"),
    "health_board_id": N_("Select a health board"),
}


def read_ledger_filters(query: Any) -> Form[LedgerFilterIn]:
    """The filter form's query as the Struct the API takes; a filter that cannot be read is shown as an error and
    left out, and the others still apply."""
    raw = {field: str(query[name]) for field, name in LEDGER_INPUTS.items() if query.get(name)}
    form = parse_form(raw, LedgerFilterIn, messages=LEDGER_MESSAGES, ids=LEDGER_INPUTS)
    if form.errors:
        refused = set(form.errors)
        kept = parse_form(
            {k: v for k, v in raw.items() if LEDGER_INPUTS[k] not in refused}, LedgerFilterIn, ids=LEDGER_INPUTS
        )
        kept.errors = form.errors
        form = kept
    return form


class LedgerPages(Controller):
    """The finance director's ledger (issue 12): every line of the health board by PCPG, year and stream."""

    path = "/finance"
    include_in_schema = False
    guards = [READERS]

    @get("/ledger")
    async def ledger(self, request: Request, actor: NamedDependency[Actor], offset: str | None = None) -> Template:
        form = read_ledger_filters(request.query_params)
        filters = form.data or LedgerFilterIn()
        report = await queries.ledger_report(
            actor=actor, filters=filters, limit=LEDGER_PAGE_SIZE, offset=form_page_offset(offset)
        )
        pcpgs, years = await queries.ledger_filter_choices(actor=actor)
        boards = {pcpg.health_board_id: pcpg.health_board for pcpg in pcpgs}
        kept = {name: request.query_params[name] for name in LEDGER_INPUTS.values() if request.query_params.get(name)}
        return page(
            request,
            "finance/ledger.html",
            {
                "title": gettext("Ledger"),
                "report": report,
                "paging": paging(report, request),
                "filters": filters,
                "errors": form.errors,
                "error_list": error_summary(form.errors),
                "years": [FinancialYear(year) for year in years],
                "pcpgs": pcpgs,
                "streams": rules.FUNDING_STREAMS,
                "health_boards": sorted(boards.items(), key=lambda board: board[1])
                if actor.role is Role.NATIONAL_ADMIN
                else [],
                "csv_href": with_query("/finance/ledger.csv", kept),
                "xlsx_href": with_query("/finance/ledger.xlsx", kept),
                "filtered": bool(kept),
            },
        )

    async def _download_report(self, request: Request, actor: Actor) -> Any:
        form = read_ledger_filters(request.query_params)
        if form.errors:
            field, message = next(iter(form.errors.items()))
            raise RuleBroken(message, field=field)
        return await queries.ledger_report(actor=actor, filters=form.data or LedgerFilterIn(), limit=None)

    @get("/ledger.csv")
    async def ledger_csv(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[str]:
        """Every line the page's filters select (not only the page shown), as CSV in the reader's language."""
        report = await self._download_report(request, actor)
        return Response(
            exports.ledger_csv(report),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{exports.file_name("csv", clock.now())}"'},
        )

    @get("/ledger.xlsx")
    async def ledger_xlsx(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[bytes]:
        """The same lines as an Excel workbook: the lines, what each column means, the totals per year."""
        report = await self._download_report(request, actor)
        return Response(
            exports.ledger_xlsx(report, clock.now(), current_language.get()),
            media_type=exports.XLSX_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{exports.file_name("xlsx", clock.now())}"'},
        )
