"""Recording a contract's annual performance rating (issue 13, item 6): the commissioner of its PCPG rates every KPI
for a financial year that has ended (or the year of its termination) as Good, Approaching target, Requires
improvement or Inadequate, once; changing a year's ratings is asked for explicitly (`replace`) and kept before and
after in the trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.actor import Actor
from audit.operation import operation
from contracts.tables import Contract
from core.clock import london_day
from core.db import for_update
from core.errors import Conflict, NotFound, RuleBroken
from core.i18n import N_
from core.periods import FinancialYear
from returns import rules
from returns.queries.ratings import contract_kpis, rate_scope
from returns.schemas.ratings import PerformanceRatingsIn
from returns.tables import PerformanceRating

NOT_RATEABLE = N_("%(year)s cannot be rated yet: a year is rated once it has ended, or once the contract is terminated")
ALREADY_RATED = N_("The ratings for %(year)s are already recorded: to change them, choose to replace them")
RATE_EVERY_KPI = N_("Rate every KPI of the contract, each once")


async def rate_performance(*, actor: Actor, contract_id: int, ratings: PerformanceRatingsIn, now: datetime) -> int:
    """Record (or, with `replace`, change) one year's ratings of every KPI; returns the year. A contract the actor
    does not rate is absent (404); the contract's row is locked so two ratings of one year at once record one."""
    async with operation("performance_rating.recorded", actor=actor, now=now) as op:
        contract = await for_update(
            Contract.select(
                Contract.id,
                Contract.start_on,
                Contract.end_on,
                Contract.terminated_on,
                Contract.pcpg,
                Contract.health_board,
            ).where((Contract.id == contract_id) & rate_scope(actor))
        ).first()
        if contract is None:
            raise NotFound("No such contract")
        year = ratings.financial_year
        label = FinancialYear(year).label
        rateable = rules.rateable_years(
            start_on=contract["start_on"],
            end_on=contract["end_on"],
            terminated_on=contract["terminated_on"],
            today=london_day(now),
        )
        if year not in rateable:
            raise RuleBroken(NOT_RATEABLE, field="financial_year", year=label)
        kpis = {kpi["id"]: kpi["name"] for kpi in await contract_kpis(contract_id)}
        given = [rating.contract_kpi_id for rating in ratings.ratings]
        if sorted(given) != sorted(kpis):
            raise RuleBroken(RATE_EVERY_KPI, field="ratings")
        before_rows = await PerformanceRating.select().where(
            (PerformanceRating.contract == contract_id) & (PerformanceRating.financial_year == year)
        )
        if before_rows and not ratings.replace:
            raise Conflict(ALREADY_RATED, field="financial_year", year=label)
        if before_rows:
            await PerformanceRating.delete().where(
                (PerformanceRating.contract == contract_id) & (PerformanceRating.financial_year == year)
            )
        await PerformanceRating.insert(
            *[
                PerformanceRating(
                    contract=contract_id,
                    financial_year=year,
                    contract_kpi=rating.contract_kpi_id,
                    rating=rating.rating.value,
                    note=rating.note.strip(),
                    rated_at=now,
                    rated_by_username=actor.username,
                )
                for rating in ratings.ratings
            ]
        )
        after = {kpis[r.contract_kpi_id]: r.rating.value for r in ratings.ratings}
        before: dict[str, Any] = {kpis.get(r["contract_kpi"], ""): r["rating"] for r in before_rows}
        op.record(
            "Contract",
            contract_id,
            before={"financial_year": year, "ratings": before} if before_rows else {},
            after={"financial_year": year, "ratings": after},
            action="performance_rating.changed" if before_rows else None,
            pcpg_id=contract["pcpg"],
            health_board_id=contract["health_board"],
        )
    return year
