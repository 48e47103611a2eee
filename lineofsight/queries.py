"""The line of sight for one place and year, read from each domain (a fixed number of statements whatever the size):
the needs and the plan priorities answering them, the specifications, the contracts holding a value in the year,
their KPIs' latest RAG and trend, their money, and the place's totals as the spend report counts them."""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor
from commissioning.queries.sight import priorities_in_sight, specifications_in_sight
from contracts.queries.sight import contracts_in_sight
from core.clock import london_day
from core.periods import FinancialYear
from finance.spend.contract_money import contract_money
from finance.spend.queries import spend_report
from finance.spend.schemas import SpendFilterIn, SpendRowOut
from lineofsight import rules
from lineofsight.schemas import LineOfSightOut, PlaceOut, SightAsk, SightTotalsOut
from lineofsight.scope import Place, place_in_sight
from returns.queries.sight import kpi_sight


async def _needs(place: Place) -> list[rules.NeedIn]:
    """The needs recorded for the place (the needs domain)."""
    return []


async def _totals(actor: Actor, place: Place, year: int) -> SightTotalsOut:
    """The place's row of the spend report for the year: the same figures as the finance pages, to the penny."""
    if place.level == "health_board":
        filters = SpendFilterIn(group_by=["health_board"], from_year=year, to_year=year, health_board_id=place.place_id)
    else:
        filters = SpendFilterIn(
            group_by=["cluster" if place.level == "cluster" else "pcpg"],
            from_year=year,
            to_year=year,
            pcpg_id=place.pcpg_ids[0],
        )
    report = await spend_report(actor=actor, filters=filters)
    row: SpendRowOut | None = next(
        (r for r in report.rows if not r.held_for_pcpg and r.keys[0].value == place.place_id), None
    )
    if row is None:
        return SightTotalsOut(
            committed_pence=0,
            actual_pence=0,
            committed_per_head_pence=None,
            actual_per_head_pence=None,
            population=None,
            population_dates="",
            clusters_without_population=[],
        )
    return SightTotalsOut(
        committed_pence=row.committed_pence,
        actual_pence=row.actual_pence,
        committed_per_head_pence=row.committed_per_head_pence,
        actual_per_head_pence=row.actual_per_head_pence,
        population=row.population,
        population_dates=row.population_dates,
        clusters_without_population=row.clusters_without_population,
    )


async def line_of_sight(*, actor: Actor, ask: SightAsk, now: datetime) -> LineOfSightOut:
    place = await place_in_sight(actor, ask)
    year = (
        ask.financial_year if ask.financial_year is not None else FinancialYear.containing(london_day(now)).start_year
    )
    priorities = await priorities_in_sight(pcpg_ids=place.pcpg_ids, cluster_id=place.cluster_id, financial_year=year)
    specifications = await specifications_in_sight(pcpg_ids=place.pcpg_ids, cluster_id=place.cluster_id, now=now)
    contracts = await contracts_in_sight(
        actor=actor, pcpg_ids=place.pcpg_ids, cluster_id=place.cluster_id, financial_year=year
    )
    ids = [c.contract_id for c in contracts]
    tree = rules.build_tree(
        needs=await _needs(place),
        priorities=priorities,
        specifications=specifications,
        contracts=contracts,
        kpis=await kpi_sight(actor=actor, contract_ids=ids, up_to_year=year),
        money=await contract_money(actor=actor, contract_ids=ids, financial_year=year, cluster_id=place.cluster_id),
        role=actor.role,
    )
    return LineOfSightOut(
        place=PlaceOut(level=place.level, level_label=place.level_label, place_id=place.place_id, name=place.name),
        financial_year=year,
        year_label=FinancialYear(year).label,
        up=place.up,
        down=place.down,
        needs=tree.needs,
        priorities_without_need=tree.priorities_without_need,
        specifications_without_priority=tree.specifications_without_priority,
        contracts_without_specification=tree.contracts_without_specification,
        gaps=tree.gaps,
        totals=await _totals(actor, place, year),
    )
