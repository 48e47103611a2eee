"""The finance dashboard page (/finance/dashboard): a year's totals, bar charts drawn on the server with a table of
the same figures beside each, the drill-down Wales -> health board -> PCPG -> cluster -> contract by query
parameters, and the spend report's downloads for what the page shows."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template
from markupsafe import Markup

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.barchart import Chart, Series
from core.bounds import MAX_ID
from core.clock import Clock
from core.i18n import N_, current_language, gettext
from core.money import format_pounds
from core.periods import FinancialYear
from finance.dashboard.queries import DashboardAsk, DashboardOut, SpendBar, finance_dashboard
from finance.spend.pages import spend_query
from web.templating import page, with_query

READERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER)
PATH = "/finance/dashboard"
YearParameter = Annotated[int | None, QueryParameter(name="year", ge=2020, le=2100)]
Place = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]


def _pounds(pence: int) -> str:
    return format_pounds(pence, current_language.get())


def _largest(bars: list[SpendBar]) -> str:
    if not bars or max(bar.actual_pence for bar in bars) <= 0:
        return gettext(N_("No actual spend yet."))
    top = max(bars, key=lambda bar: bar.actual_pence)
    return gettext(N_("Most actual spend: %(name)s, %(amount)s."), name=top.label, amount=_pounds(top.actual_pence))


def _money_chart(
    chart_id: str, title: str, description: str, names: list[str], actual: list[int], committed: list[int]
) -> Markup:
    """Actual and committed pounds per place or year, as the document kit's chart (core/barchart.py)."""
    return Chart(
        caption=title,
        category_heading=gettext(N_("Name")),
        categories=names,
        series=[
            Series(gettext(N_("Actual")), actual, [_pounds(pence) for pence in actual]),
            Series(gettext(N_("Committed")), committed, [_pounds(pence) for pence in committed]),
        ],
        description=description,
    ).svg(chart_id)


def _spend_chart(chart_id: str, title: str, bars: list[SpendBar]) -> Markup:
    description = (
        gettext(N_("Actual spend and commitments, in pounds, for %(names)s."), names=", ".join(b.label for b in bars))
        + " "
        + _largest(bars)
    )
    return _money_chart(
        chart_id,
        title,
        description,
        [bar.label for bar in bars],
        [bar.actual_pence for bar in bars],
        [bar.committed_pence for bar in bars],
    )


def _charts(view: DashboardOut) -> dict[str, Markup]:
    year = view.year.label
    charts = {
        "spend": _spend_chart(
            "spend-chart", gettext(N_("%(what)s, %(year)s"), what=view.spend_heading, year=year), view.spend
        )
    }
    if view.per_head:
        charts["per_head"] = _money_chart(
            "per-head-chart",
            gettext(N_("Spend per head of population, %(year)s"), year=year),
            gettext(
                N_(
                    "Actual and committed spend per person, in pounds, for %(names)s. Clusters without a known "
                    "population are left out and named after the chart."
                ),
                names=", ".join(bar.label for bar in view.per_head),
            ),
            [bar.label for bar in view.per_head],
            [bar.actual_per_head_pence for bar in view.per_head],
            [bar.committed_per_head_pence for bar in view.per_head],
        )
    if view.years:
        charts["years"] = _spend_chart("years-chart", gettext(N_("Year on year")), view.years)
    return charts


def _year_choices(view: DashboardOut, clock: Clock) -> list[FinancialYear]:
    current = FinancialYear.containing(clock.today().date()).start_year
    starts = {current + offset for offset in range(-2, 3)} | set(view.year_starts) | {view.year.start_year}
    return [FinancialYear(start) for start in sorted(starts)]


class DashboardPages(Controller):
    """Finance directors see their health board, commissioners their PCPGs, national administrators all of Wales;
    each goes down from there."""

    path = "/finance"
    include_in_schema = False
    guards = [READERS]

    @get("/dashboard")
    async def dashboard(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        year: YearParameter = None,
        health_board: Place = None,
        pcpg: Place = None,
        cluster: Place = None,
    ) -> Template:
        chosen = year if year is not None else FinancialYear.containing(clock.today().date()).start_year
        view = await finance_dashboard(
            actor=actor,
            ask=DashboardAsk(year=chosen, health_board_id=health_board, pcpg_id=pcpg, cluster_id=cluster),
        )
        place = {"health_board": health_board, "pcpg": pcpg, "cluster": cluster}
        downloads = urlencode(spend_query(view.spend_filters))

        def link(query: dict[str, int] | None) -> str:
            return with_query(PATH, {**(query or {}), "year": chosen}) if query is not None else ""

        return page(
            request,
            "finance/dashboard.html",
            {
                # A year chosen is a page of its own (the current year's page is also the page with no year asked).
                "title": gettext(N_("Finance dashboard: %(place)s"), place=view.place)
                + ("" if year is None else f", {FinancialYear(chosen).label}"),
                "view": view,
                "charts": _charts(view),
                "link": link,
                "years": _year_choices(view, clock),
                "place": {key: value for key, value in place.items() if value is not None},
                "csv_href": "/finance/spend.csv?" + downloads,
                "xlsx_href": "/finance/spend.xlsx?" + downloads,
                "pdf_href": "/finance/spend.pdf?" + downloads,
                "pack_href": "/finance/spend/document?" + downloads,  # the PDF's web page twin, beside it
            },
        )
