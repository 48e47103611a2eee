"""The spend report's page: the filter form (a plain GET, the API's parameters), the table and the downloads."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response, Template

from accounts.actor import Actor, Role
from core.clock import Clock
from core.errors import RuleBroken
from core.i18n import N_, gettext
from core.periods import FinancialYear
from finance import queries, rules
from finance.pages import READERS
from finance.spend import exports
from finance.spend.queries import check_years, read_group_by, spend_report
from finance.spend.schemas import GROUPING_NAMES, Grouping, SpendFilterIn
from web.forms import error_summary, parse_form
from web.templating import chosen, page

SPEND_INPUTS = {
    "from_year": "from_year",
    "to_year": "to_year",
    "pcpg_id": "pcpg",
    "funding_stream": "funding_stream",
    "health_board_id": "health_board",
}
SPEND_MESSAGES = {
    "from_year": N_("Select a financial year"),
    "to_year": N_("Select a financial year"),
    "pcpg_id": N_("Select a PCPG"),
    "funding_stream": N_("Select a funding stream"),
    "health_board_id": N_("Select a health board"),
}
DEFAULT_GROUPING: list[Grouping] = ["pcpg"]


def read_spend_filters(query: Any) -> tuple[SpendFilterIn, dict[str, str]]:
    """The page's query (the API's parameters) as the report's filters; what cannot be read is shown as an error and
    left out (a grouping that cannot be read falls back to PCPG), and the rest still applies."""
    errors: dict[str, str] = {}
    try:
        group_by = read_group_by(query.getall("group_by", []))
    except RuleBroken:
        group_by = DEFAULT_GROUPING
        if any(value.strip() for value in query.getall("group_by", [])):
            errors["group_by"] = gettext(N_("Select what to group by"))
    raw = {field: str(query[name]) for field, name in SPEND_INPUTS.items() if query.get(name)}
    fixed = {"group_by": group_by}
    form = parse_form(raw, SpendFilterIn, messages=SPEND_MESSAGES, ids=SPEND_INPUTS, fixed=fixed)
    if form.errors:
        refused = set(form.errors)
        kept = {k: v for k, v in raw.items() if SPEND_INPUTS[k] not in refused}
        errors.update(form.errors)
        form = parse_form(kept, SpendFilterIn, ids=SPEND_INPUTS, fixed=fixed)
    filters = form.data or SpendFilterIn(group_by=group_by)
    try:
        check_years(filters)
    except RuleBroken as refused:
        errors["to_year"] = gettext(refused.message)
        filters = msgspec.structs.replace(filters, to_year=None)
    return filters, errors


def spend_query(filters: SpendFilterIn) -> list[tuple[str, str]]:
    """The query the report was read with, as the API and the downloads take it (only what could be read)."""
    values = [
        ("from_year", filters.from_year),
        ("to_year", filters.to_year),
        ("pcpg", filters.pcpg_id),
        ("funding_stream", filters.funding_stream),
        ("health_board", filters.health_board_id),
    ]
    return [("group_by", name) for name in filters.group_by] + [(k, str(v)) for k, v in values if v is not None]


def filters_in_words(filters: SpendFilterIn, pcpgs: list[Any], boards: dict[int, str]) -> list[tuple[str, str]]:
    """The filters applied, named as the page names them (the Excel file's About sheet)."""
    words = [(gettext(N_("Grouped by")), ", ".join(gettext(GROUPING_NAMES[g]) for g in filters.group_by))]
    if filters.from_year is not None:
        words.append((gettext(N_("From")), FinancialYear(filters.from_year).label))
    if filters.to_year is not None:
        words.append((gettext(N_("To")), FinancialYear(filters.to_year).label))
    if filters.health_board_id is not None:
        words.append((gettext(N_("Health board")), boards.get(filters.health_board_id, "")))
    if filters.pcpg_id is not None:
        words.append((gettext(N_("PCPG")), next((p.name for p in pcpgs if p.id == filters.pcpg_id), "")))
    if filters.funding_stream is not None:
        words.append((gettext(N_("Funding stream")), gettext(rules.FUNDING_STREAMS[filters.funding_stream])))
    return words


class SpendPages(Controller):
    """The spend report for finance directors, commissioners and national administrators, with its CSV download
    (the Excel file and the finance pack, which may be prepared in the background, are in pack_pages.py)."""

    path = "/finance"
    include_in_schema = False
    guards = [READERS]

    @get("/spend")
    async def spend_page(self, request: Request, actor: NamedDependency[Actor]) -> Template:
        filters, errors = read_spend_filters(request.query_params)
        report = await spend_report(actor=actor, filters=filters)
        pcpgs, years = await queries.ledger_filter_choices(actor=actor)
        boards = {pcpg.health_board_id: pcpg.health_board for pcpg in pcpgs}
        kept = "?" + urlencode(spend_query(filters))
        return page(
            request,
            "finance/spend.html",
            {
                # Each choice of filters is a page of its own, told apart by its title.
                "title": gettext(
                    N_("Spend report: %(choices)s"),
                    choices="; ".join(f"{name} {value}" for name, value in filters_in_words(filters, pcpgs, boards)),
                )
                if chosen(request)
                else gettext(N_("Spend report")),
                "report": report,
                "filters": filters,
                "errors": errors,
                "error_list": error_summary(errors),
                "groupings": [(name, gettext(label)) for name, label in GROUPING_NAMES.items()],
                "years": [FinancialYear(year) for year in years],
                "pcpgs": pcpgs,
                "streams": rules.FUNDING_STREAMS,
                "health_boards": sorted(boards.items(), key=lambda board: board[1])
                if actor.role is Role.NATIONAL_ADMIN
                else [],
                "csv_href": "/finance/spend.csv" + kept,
                "xlsx_href": "/finance/spend.xlsx" + kept,
                "pdf_href": "/finance/spend.pdf" + kept,
                "pack_href": "/finance/spend/document" + kept,
                "filtered": chosen(request),
            },
        )

    async def _downloads(self, request: Request) -> SpendFilterIn:
        filters, errors = read_spend_filters(request.query_params)
        if errors:
            field, message = next(iter(errors.items()))
            raise RuleBroken(message, field=field)
        return filters

    @get("/spend.csv")
    async def spend_csv(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[str]:
        report = await spend_report(actor=actor, filters=await self._downloads(request))
        return Response(
            exports.spend_csv(report),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{exports.spend_file_name("csv", clock.now())}"'},
        )
