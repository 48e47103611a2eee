"""Pages: the national administrator's viability table (with its CSV) and the thresholds form with check your
answers (issue 12, item 7). A provider's own view is a section of its dashboard (templates/contracts/
_own_viability.html); the decision preview a section of the pages that make decisions (_decision_preview.html)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Stream, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from contracts import rules
from contracts.queries import viability as queries
from contracts.schemas.viability import ViabilityReportOut, ViabilityThresholdsIn
from contracts.services import viability as services
from core.clock import LONDON, Clock
from core.errors import DomainError, NotAllowed
from core.i18n import N_, current_language, gettext
from core.money import pounds_input
from core.pagination import DEFAULT_LIMIT
from core.periods import FinancialYear
from web.forms import Form, error_summary, read_form
from web.templating import form_page_offset, page, paging, with_flash, with_query

ADMIN = requires_role(Role.NATIONAL_ADMIN)

THRESHOLD_MESSAGES = {
    "min_live_services": N_("Enter a whole number of services from 1 to 1000"),
    "min_annual_value_pence": N_("Enter an amount from £0 to £1,000,000,000"),
}
VALUE = {"min_annual_value": "min_annual_value_pence"}
VALUE_ID = {"min_annual_value_pence": "min_annual_value"}
SORT_HEADINGS = {
    "name": N_("Delivery vehicle"),
    "services": N_("Services"),
    "value": N_("Annual value"),
    "status": N_("Status"),
}
YEARS_BEFORE, YEARS_AFTER = 2, 3  # the year chooser's choices around the current financial year


def _year_choices(current: int) -> list[FinancialYear]:
    return [FinancialYear(current + offset) for offset in range(-YEARS_BEFORE, YEARS_AFTER + 1)]


def _sort_columns(request: Request, sort: str) -> list[dict[str, Any]]:
    """Each sortable heading's link (the same column again reverses it) and its aria-sort, decided here."""
    query = {key: value for key, value in request.query_params.items() if key not in ("lang", "offset", "sort")}
    key, descending = sort.lstrip("-"), sort.startswith("-")
    columns = []
    for column, text in SORT_HEADINGS.items():
        current = column == key
        following = f"-{column}" if current and not descending else column
        columns.append(
            {
                "key": column,
                "text": gettext(text),
                "href": with_query(request.url.path, query, sort=following),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return columns


def _sort_detail(sort: str) -> str:
    """The order in words for the page's title, so each order of the table has a title of its own; none for the
    default."""
    if sort == queries.DEFAULT_SORT:
        return ""
    column = gettext(SORT_HEADINGS[sort.lstrip("-")])
    if sort.startswith("-"):
        return gettext("sorted by %(column)s, in reverse order", column=column)
    return gettext("sorted by %(column)s", column=column)


def _chosen(request: Request, clock: Clock) -> tuple[int, str, dict[str, str]]:
    """The year and sort the page's query asks for, each falling back to its default with the problem named."""
    errors: dict[str, str] = {}
    current = FinancialYear.containing(clock.now().astimezone(LONDON).date()).start_year
    year = current
    label = request.query_params.get("financial_year")
    if label:
        try:
            year = queries.parse_financial_year(label)
        except DomainError as exc:
            errors["financial_year"] = gettext(exc.message)
    sort = request.query_params.get("sort") or queries.DEFAULT_SORT
    if sort.lstrip("-") not in queries.SORTS:
        sort = queries.DEFAULT_SORT
    return year, sort, errors


class ViabilityPages(Controller):
    path = "/viability"
    include_in_schema = False
    guards = [ADMIN]

    @get("/")
    async def table(self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> Template:
        year, sort, errors = _chosen(request, clock)
        report: ViabilityReportOut = await queries.viability_report(
            actor=actor,
            financial_year=year,
            sort=sort,
            limit=DEFAULT_LIMIT,
            offset=form_page_offset(request.query_params.get("offset")),
        )
        current = queries.current_financial_year(clock.now())
        return page(
            request,
            "contracts/viability.html",
            {
                "title": gettext("Viability of delivery vehicles"),
                "report": report,
                "paging": paging(report, request),
                "columns": _sort_columns(request, sort),
                "sort_detail": _sort_detail(sort),
                "years": _year_choices(current),
                "chosen_label": FinancialYear(year).label,
                "csv_href": with_query(
                    "/viability/table.csv", {"financial_year": report.financial_year_label}, sort=sort
                ),
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=400 if errors else 200,
        )

    @get("/table.csv")
    async def download(self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> Stream:
        """The page's table, every vehicle of it, in the reader's language."""
        year, sort, errors = _chosen(request, clock)
        if errors:
            raise DomainError(next(iter(errors.values())), field="financial_year")
        day = clock.now().astimezone(LONDON).date().isoformat()
        return Stream(
            content=await queries.viability_csv(
                actor=actor, financial_year=year, sort=sort, language=current_language.get()
            ),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="viability-{FinancialYear(year).label}-{day}.csv"'},
        )

    async def _form(
        self, request: Request, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
    ) -> Template:
        return page(
            request,
            "contracts/viability_thresholds.html",
            {
                "title": gettext("Set the viability thresholds"),
                "thresholds": await queries.thresholds_in_force(),
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @get("/thresholds")
    async def thresholds_form(self, request: Request) -> Template:
        """The thresholds in force, or the answers a check page's Change link brings back."""
        current = await queries.thresholds_in_force()
        values = {
            "min_live_services": str(current.min_live_services),
            "min_annual_value": pounds_input(current.min_annual_value_pence),
        }
        for name in values:
            if name in request.query_params:
                values[name] = str(request.query_params[name])[:40]
        return await self._form(request, values, {})

    @post("/thresholds")
    async def set_thresholds(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        """The form, then check your answers (NHS.UK pattern), then the setting once confirmed; each post is read in
        full again, and nothing is written before the confirmation."""
        posted = await request.form()
        form: Form[ViabilityThresholdsIn] = await read_form(
            request, ViabilityThresholdsIn, messages=THRESHOLD_MESSAGES, pounds=VALUE, ids=VALUE_ID
        )
        answers = {name: str(posted.get(name, "")).strip() for name in ("min_live_services", "min_annual_value")}
        if form.ok and posted.get("confirm") != "yes":
            assert form.data is not None
            return self._check(request, form.data, answers)
        await form.run(
            lambda data: self._set(actor, data, clock.now()), default_field="min_live_services", passes=(NotAllowed,)
        )
        if form.ok:
            return with_flash(Redirect(path="/viability"), "viability_thresholds_set")
        return await self._form(request, form.values, form.errors, status_code=400)

    @staticmethod
    async def _set(actor: Actor, data: ViabilityThresholdsIn, now: datetime) -> Any:
        return await services.set_viability_thresholds(
            actor=actor,
            min_live_services=data.min_live_services,
            min_annual_value_pence=data.min_annual_value_pence,
            now=now,
        )

    def _check(self, request: Request, data: ViabilityThresholdsIn, answers: dict[str, str]) -> Template:
        return page(
            request,
            "contracts/viability_thresholds_check.html",
            {
                "title": gettext("Check the viability thresholds before you set them"),
                "data": data,
                "answers": answers,
                "change_href": with_query("/viability/thresholds", answers),
                "viable_from": rules.viable_from(rules.Thresholds(data.min_live_services, data.min_annual_value_pence)),
            },
        )
