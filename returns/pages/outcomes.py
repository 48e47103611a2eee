"""Pages: a contract's outcomes (each KPI's SPC chart, its table alternative and RAG in words), the PCPG view of its
contracts' RAG, and the equity view (issue 13, items 5 and 8). GET forms only; no JavaScript."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.bounds import MAX_ID
from core.clock import Clock, london_day
from core.errors import DomainError
from core.i18n import N_, gettext, name_in_reading_language
from core.pagination import DEFAULT_LIMIT
from core.periods import FinancialYear
from menu import queries as menu_queries
from organisations import queries as org_queries
from returns.queries import outcomes as queries
from web.forms import error_summary
from web.templating import form_page_offset, page, paging, with_query

READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)
VIEWERS = requires_role(Role.COMMISSIONER, Role.NATIONAL_ADMIN)

SORT_HEADINGS = {
    "reference": N_("Contract"),
    "title": N_("Title"),
    "delivery_vehicle": N_("Delivery vehicle"),
}
YEARS_BEFORE, YEARS_AFTER = 3, 2  # the year chooser's choices around the current financial year
YEAR_MESSAGE = N_("Choose a financial year from the list")


def _id(text: str | None) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if 1 <= value <= MAX_ID else None


def _years(clock: Clock) -> tuple[int, list[dict[str, Any]]]:
    current = FinancialYear.containing(london_day(clock.now())).start_year
    return current, [
        {"value": str(year), "text": FinancialYear(year).label}
        for year in range(current - YEARS_BEFORE, current + YEARS_AFTER + 1)
    ]


def _chosen_year(request: Request, clock: Clock, errors: dict[str, str]) -> tuple[int, list[dict[str, Any]]]:
    current, choices = _years(clock)
    text = request.query_params.get("financial_year")
    if not text:
        return current, choices
    if text not in {choice["value"] for choice in choices}:
        errors["financial_year"] = gettext(YEAR_MESSAGE)
        return current, choices
    return int(text), choices


def _selected(choices: list[dict[str, Any]], value: Any) -> list[dict[str, Any]]:
    return [{**choice, "selected": choice["value"] == str(value)} for choice in choices]


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


async def _pcpg_choices(actor: Actor) -> list[dict[str, Any]]:
    pcpgs = (await org_queries.list_pcpgs(limit=200)).items
    if actor.role is Role.COMMISSIONER:
        pcpgs = [p for p in pcpgs if p.id in actor.pcpg_ids]
    return [{"value": str(p.id), "text": p.name_shown} for p in pcpgs]


class OutcomesPages(Controller):
    include_in_schema = False

    @get("/contracts/{contract_id:int}/outcomes", guards=[READERS])
    async def contract_outcomes(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Template:
        outcomes = await queries.contract_outcomes(actor=actor, contract_id=contract_id, now=clock.now())
        return page(
            request,
            "returns/outcomes.html",
            {
                "title": gettext("Outcomes against the KPIs: %(reference)s", reference=outcomes.reference),
                "outcomes": outcomes,
            },
        )

    @get("/outcomes", guards=[VIEWERS])
    async def pcpg_outcomes(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Template:
        errors: dict[str, str] = {}
        year, years = _chosen_year(request, clock, errors)
        pcpgs = await _pcpg_choices(actor)
        text = request.query_params.get("pcpg")
        pcpg_id = _id(text)
        if text and (pcpg_id is None or str(pcpg_id) not in {p["value"] for p in pcpgs}):
            errors["pcpg"] = gettext("Choose a PCPG from the list")
            pcpg_id = None
        if pcpg_id is None and actor.role is Role.COMMISSIONER and pcpgs:
            pcpg_id = int(pcpgs[0]["value"])
        sort = request.query_params.get("sort") or queries.DEFAULT_SORT
        if sort.lstrip("-") not in SORT_HEADINGS:
            sort = queries.DEFAULT_SORT
        view = None
        if pcpg_id is not None:
            view = await queries.pcpg_outcomes(
                actor=actor,
                pcpg_id=pcpg_id,
                financial_year=year,
                sort=sort,
                limit=DEFAULT_LIMIT,
                offset=form_page_offset(request.query_params.get("offset")),
            )
        return page(
            request,
            "returns/pcpg_outcomes.html",
            {
                "title": gettext("Outcomes of a PCPG's contracts"),
                "view": view,
                "paging": paging(view, request) if view else None,
                "columns": _sort_columns(request, sort),
                "pcpgs": _selected(pcpgs, pcpg_id),
                "years": _selected(years, year),
                "sort": sort,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=400 if errors else 200,
        )

    @get("/equity", guards=[VIEWERS])
    async def equity(self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> Template:
        errors: dict[str, str] = {}
        year, years = _chosen_year(request, clock, errors)
        services = (await menu_queries.list_menu_services(include_retired=True, limit=200)).items
        text = request.query_params.get("service")
        service_id = _id(text)
        service = next((s for s in services if s.id == service_id), None)
        if text and service is None:
            errors["service"] = gettext("Choose a service from the national menu")
        kpi = (request.query_params.get("kpi") or "").strip()
        kpis = [{"value": k.code, "text": k.name_shown} for k in service.kpis] if service else []
        view = None
        if service is not None and kpi and not errors:
            try:
                view = await queries.equity_view(actor=actor, menu_service_id=service.id, kpi=kpi, financial_year=year)
            except DomainError as exc:
                errors[exc.field or "kpi"] = gettext(exc.message)
        return page(
            request,
            "returns/equity.html",
            {
                "title": gettext("Equity: one KPI across clusters and delivery vehicles"),
                "view": view,
                "services": _selected(
                    [{"value": str(s.id), "text": name_in_reading_language(s.name, s.name_cy)} for s in services],
                    service_id if service else "",
                ),
                "kpis": _selected(kpis, kpi),
                "service_chosen": service is not None,
                "years": _selected(years, year),
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=400 if errors else 200,
        )
