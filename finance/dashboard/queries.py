"""The finance dashboard (issue 14, item 3): one financial year's money at one level of the drill-down, Wales ->
health board -> PCPG -> cluster -> contract, read from the spend report (finance/spend/) and so scoped by it.

Which level a reader sees is decided here from the place asked for (the deepest of cluster, PCPG and health board)
and the reader's role: a national administrator starts at Wales, a finance director at their health board, a
commissioner at their PCPGs. A place outside the reader's scope does not exist to them (NotFound, 404), decided in
SQL by finance.queries.pcpg_scope_condition. Every level runs the same few statements however much data there is:
one to name the place, one to list the places below it, and two or three spend reports (each a fixed number).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from accounts.actor import Actor, Role
from core.errors import NotFound
from core.i18n import N_, gettext, name_in_reading_language
from core.periods import FinancialYear
from finance.queries import pcpg_scope_condition
from finance.spend.cluster_contracts import ClusterContractOut, cluster_contract_spend
from finance.spend.queries import spend_report
from finance.spend.schemas import Grouping, SpendFilterIn, SpendReportOut, SpendRowOut, SpendTotalsOut
from organisations.tables import Cluster, HealthBoard, Pcpg

Level = Literal["wales", "health_board", "pcpgs", "pcpg", "cluster"]


class DashboardAsk(msgspec.Struct, frozen=True, kw_only=True):
    """What the page's query asks for: a financial year (by its start) and at most one place; the deepest given
    wins."""

    year: int
    health_board_id: int | None = None
    pcpg_id: int | None = None
    cluster_id: int | None = None


class Crumb(msgspec.Struct, frozen=True, kw_only=True):
    text: str
    query: dict[str, int]  # the dashboard's query for that level (empty: where the reader starts)


class PlaceRow(msgspec.Struct, kw_only=True):
    """A place one level down, with its money for the year (zero where it has no budget line), for the drill-down."""

    id: int
    name: str
    query: dict[str, int]
    budget_pence: int
    earmarked_pence: int
    committed_unspent_pence: int
    actual_pence: int
    headroom_pence: int


class SpendBar(msgspec.Struct, kw_only=True):
    """One bar pair of a chart and the same figures' table row: actual spend and what was committed."""

    label: str
    query: dict[str, int] | None  # where its name links, if anywhere
    actual_pence: int
    committed_pence: int


class PerHeadBar(msgspec.Struct, kw_only=True):
    label: str
    actual_per_head_pence: int
    committed_per_head_pence: int
    population: int
    population_dates: str


class DashboardOut(msgspec.Struct, kw_only=True):
    level: Level
    year: FinancialYear
    place: str  # the place the page is about, named in the reader's language
    crumbs: list[Crumb]  # the levels above this one
    totals: SpendTotalsOut
    has_lines: bool  # any budget line for the year at this place (else the page says so)
    places_heading: str  # "Health boards", "PCPGs" or "Clusters"; empty at the contract level
    places: list[PlaceRow]
    spend_heading: str  # what the spend chart's bars are
    spend: list[SpendBar]
    per_head: list[PerHeadBar]
    without_population: list[str]  # named, left out of per head, never guessed
    years: list[SpendBar]  # year on year, every financial year with a budget line here
    year_starts: list[int]  # those years, by their start
    contracts: list[ClusterContractOut]  # the cluster level: each contract touching it, then the total
    spend_filters: SpendFilterIn  # the spend report's filters for this page, for its downloads


_PLACES_HEADING = {
    "wales": N_("Health boards"),
    "health_board": N_("PCPGs"),
    "pcpgs": N_("PCPGs"),
    "pcpg": N_("Clusters"),
    "cluster": "",
}
_BELOW: dict[str, Grouping] = {"wales": "health_board", "health_board": "pcpg", "pcpgs": "pcpg", "pcpg": "cluster"}
_SPEND_HEADING = {
    "wales": N_("Spend by health board"),
    "health_board": N_("Spend by cluster"),
    "pcpgs": N_("Spend by cluster"),
    "pcpg": N_("Spend by cluster"),
    "cluster": N_("Spend by contract"),
}


def _name(row: dict[str, Any], prefix: str = "") -> str:
    return name_in_reading_language(row[f"{prefix}name"], row[f"{prefix}name_cy"])


async def _cluster(actor: Actor, cluster_id: int) -> dict[str, Any]:
    scoped = Pcpg.select(Pcpg.id)
    condition = pcpg_scope_condition(actor)
    if condition is not None:
        scoped = scoped.where(condition)
    found = (
        await Cluster.select(
            Cluster.id,
            Cluster.name,
            Cluster.name_cy,
            Cluster.pcpg.as_alias("pcpg_id"),
            Cluster.pcpg.name.as_alias("pcpg_name"),
            Cluster.pcpg.name_cy.as_alias("pcpg_name_cy"),
            Cluster.health_board.as_alias("health_board_id"),
            Cluster.health_board.name.as_alias("health_board_name"),
            Cluster.health_board.name_cy.as_alias("health_board_name_cy"),
        )
        .where((Cluster.id == cluster_id) & Cluster.pcpg.is_in(scoped))
        .first()
    )
    if found is None:
        raise NotFound("No such cluster", field="cluster")
    return found


async def _pcpg(actor: Actor, pcpg_id: int) -> dict[str, Any]:
    query = Pcpg.select(
        Pcpg.id,
        Pcpg.name,
        Pcpg.name_cy,
        Pcpg.health_board.as_alias("health_board_id"),
        Pcpg.health_board.name.as_alias("health_board_name"),
        Pcpg.health_board.name_cy.as_alias("health_board_name_cy"),
    ).where(Pcpg.id == pcpg_id)
    condition = pcpg_scope_condition(actor)
    found = await (query if condition is None else query.where(condition)).first()
    if found is None:
        raise NotFound("No such PCPG", field="pcpg")
    return found


async def _health_board(actor: Actor, health_board_id: int) -> dict[str, Any]:
    query = HealthBoard.select(HealthBoard.id, HealthBoard.name, HealthBoard.name_cy).where(
        HealthBoard.id == health_board_id
    )
    condition = pcpg_scope_condition(actor)
    if condition is not None:
        query = query.where(HealthBoard.id.is_in(Pcpg.select(Pcpg.health_board).where(condition)))
    found = await query.first()
    if found is None:
        raise NotFound("No such health board", field="health_board")
    return found


async def _places_below(actor: Actor, level: Level, place_id: int | None) -> list[dict[str, Any]]:
    """The places one level down that the reader may see, whether or not they have money this year."""
    condition = pcpg_scope_condition(actor)
    if level == "wales":
        return await HealthBoard.select(HealthBoard.id, HealthBoard.name, HealthBoard.name_cy)
    if level == "pcpg":
        return await Cluster.select(Cluster.id, Cluster.name, Cluster.name_cy).where(Cluster.pcpg == place_id)
    query = Pcpg.select(Pcpg.id, Pcpg.name, Pcpg.name_cy)
    if level == "health_board":
        query = query.where(Pcpg.health_board == place_id)
    return await (query if condition is None else query.where(condition))


def _by_id(report: SpendReportOut) -> dict[int, SpendRowOut]:
    return {row.keys[0].value: row for row in report.rows if isinstance(row.keys[0].value, int)}


def _place_rows(places: list[dict[str, Any]], report: SpendReportOut, key: str) -> list[PlaceRow]:
    found = _by_id(report)
    rows = []
    for place in places:
        row = found.get(place["id"])
        rows.append(
            PlaceRow(
                id=place["id"],
                name=_name(place),
                query={key: place["id"]},
                budget_pence=row.budget_pence if row else 0,
                earmarked_pence=row.earmarked_pence if row else 0,
                committed_unspent_pence=row.committed_unspent_pence if row else 0,
                actual_pence=row.actual_pence if row else 0,
                headroom_pence=row.headroom_pence if row else 0,
            )
        )
    return sorted(rows, key=lambda row: row.name.casefold())


def _spend_bars(report: SpendReportOut, key: str | None) -> list[SpendBar]:
    """Each group's actual and committed spend; the row held for the PCPG has none, so it is left out."""
    return [
        SpendBar(
            label=row.keys[0].label,
            query={key: row.keys[0].value} if key and isinstance(row.keys[0].value, int) else None,
            actual_pence=row.actual_pence,
            committed_pence=row.committed_pence,
        )
        for row in report.rows
        if not row.held_for_pcpg
    ]


def _per_head(report: SpendReportOut) -> list[PerHeadBar]:
    return [
        PerHeadBar(
            label=row.keys[0].label,
            actual_per_head_pence=row.actual_per_head_pence,
            committed_per_head_pence=row.committed_per_head_pence or 0,
            population=row.population or 0,
            population_dates=row.population_dates,
        )
        for row in report.rows
        if row.actual_per_head_pence is not None
    ]


async def finance_dashboard(*, actor: Actor, ask: DashboardAsk) -> DashboardOut:
    """The dashboard at the level asked for; NotFound for a place outside the reader's scope."""
    year = FinancialYear(ask.year)
    crumbs: list[Crumb] = []
    if actor.role is Role.NATIONAL_ADMIN:
        crumbs.append(Crumb(text=gettext(N_("Wales")), query={}))
    elif actor.role is Role.COMMISSIONER:
        crumbs.append(Crumb(text=gettext(N_("Your PCPGs")), query={}))
    board_id, pcpg_id = ask.health_board_id, ask.pcpg_id
    if actor.role is Role.FINANCE_DIRECTOR and ask.cluster_id is None and pcpg_id is None and board_id is None:
        board_id = actor.health_board_id or -1

    level: Level
    if ask.cluster_id is not None:
        found = await _cluster(actor, ask.cluster_id)
        level, place, board_id, pcpg_id = "cluster", _name(found), found["health_board_id"], found["pcpg_id"]
        crumbs += [
            Crumb(text=_name(found, "health_board_"), query={"health_board": board_id}),
            Crumb(text=_name(found, "pcpg_"), query={"pcpg": pcpg_id}),
        ]
    elif pcpg_id is not None:
        found = await _pcpg(actor, pcpg_id)
        level, place, board_id = "pcpg", _name(found), found["health_board_id"]
        crumbs.append(Crumb(text=_name(found, "health_board_"), query={"health_board": board_id}))
    elif board_id is not None:
        found = await _health_board(actor, board_id)
        level, place = "health_board", _name(found)
    elif actor.role is Role.NATIONAL_ADMIN:
        level, place = "wales", gettext(N_("Wales"))
        crumbs = []
    else:
        level, place = "pcpgs", gettext(N_("Your PCPGs"))
        crumbs = []
    if actor.role is Role.FINANCE_DIRECTOR:
        # their health board is where they start: its crumb links to the dashboard as it opens
        crumbs = [Crumb(text=c.text, query={} if "health_board" in c.query else c.query) for c in crumbs]

    def filters(group_by: list[Grouping], *, every_year: bool = False) -> SpendFilterIn:
        return SpendFilterIn(
            group_by=group_by,
            from_year=None if every_year else year.start_year,
            to_year=None if every_year else year.start_year,
            health_board_id=board_id,
            pcpg_id=pcpg_id,
        )

    contracts: list[ClusterContractOut] = []
    per_head: list[PerHeadBar] = []
    without: list[str] = []
    if level == "cluster":
        assert ask.cluster_id is not None
        contracts = await cluster_contract_spend(actor=actor, cluster_id=ask.cluster_id, financial_year=ask.year)
        total = contracts[-1]
        totals = SpendTotalsOut(
            budget_pence=0,
            earmarked_pence=0,
            committed_pence=total.committed_pence,
            committed_unspent_pence=total.committed_pence - total.actual_pence,
            actual_pence=total.actual_pence,
            headroom_pence=0,
        )
        places: list[PlaceRow] = []
        spend = [
            SpendBar(
                label=f"{row.reference}: {row.title}",
                query=None,
                actual_pence=row.actual_pence,
                committed_pence=row.committed_pence,
            )
            for row in contracts[:-1]
        ]
        years: list[SpendBar] = []
        year_starts: list[int] = []
        download = filters(["cluster"])
        has_lines = len(contracts) > 1
    else:
        grouping = _BELOW[level]
        below = await _places_below(actor, level, pcpg_id if level == "pcpg" else board_id)
        by_place = await spend_report(actor=actor, filters=filters([grouping]))
        places = _place_rows(below, by_place, grouping)
        # the charts: by health board for Wales, else by cluster
        chart = (
            by_place
            if grouping in ("health_board", "cluster")
            else await spend_report(actor=actor, filters=filters(["cluster"]))
        )
        spend = _spend_bars(chart, grouping if level == "wales" else "cluster")
        per_head = _per_head(chart)
        without = chart.clusters_without_population
        by_year = await spend_report(actor=actor, filters=filters(["financial_year"], every_year=True))
        years = [
            SpendBar(
                label=row.keys[0].label,
                query=None,
                actual_pence=row.actual_pence,
                committed_pence=row.committed_pence,
            )
            for row in by_year.rows
        ]
        year_starts = [row.keys[0].value for row in by_year.rows if isinstance(row.keys[0].value, int)]
        totals = by_place.totals
        has_lines = bool(by_place.rows)
        download = filters(["pcpg", "cluster"] if level in ("health_board", "pcpgs") else [grouping])
    return DashboardOut(
        level=level,
        year=year,
        place=place,
        crumbs=crumbs,
        totals=totals,
        has_lines=has_lines,
        places_heading=gettext(_PLACES_HEADING[level]) if _PLACES_HEADING[level] else "",
        places=places,
        spend_heading=gettext(_SPEND_HEADING[level]),
        spend=spend,
        per_head=per_head,
        without_population=without,
        years=years,
        year_starts=year_starts,
        contracts=contracts,
        spend_filters=download,
    )
