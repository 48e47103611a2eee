"""Contracts for the tests of a contract's lifecycle: made by the real make_contract from an award's particulars,
over Cardiff's budget lines, so the ledger, payments and split by cluster are the ones an award makes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from accounts.actor import Actor, Role
from contracts.schemas.making import ContractIn, ContractYearIn
from contracts.services.making import make_contract
from contracts.tables import Contract
from core.clock import LONDON
from finance import queries as finance_queries
from finance.tables import BudgetCommitment
from organisations.tables import Pcpg
from tests import commissioning_support as support
from tests import factories
from tests.conftest import make_actor

WITH_POPULATION = ("Cardiff North", "Cardiff South West")  # populations known in the reference data
WITHOUT_POPULATION = ("Cardiff East", "Cardiff West")  # none known: the commissioner enters the split


def at(day: date, hour: int = 12) -> datetime:
    """A moment on that day in Wales."""
    return datetime.combine(day, time(hour), tzinfo=LONDON)


async def lines(years: Sequence[int] = (2027, 2028, 2029), amount_pence: int = 500_000_00) -> dict[int, Any]:
    return {year: await support.budget_line(year=year, amount_pence=amount_pence) for year in years}


async def contract(
    *,
    years: Sequence[int] = (2027, 2028, 2029),
    value_pence: int = 120_000_00,
    clusters: Sequence[str] = WITH_POPULATION,
    directions: Sequence[str] = ("higher_is_better",),
    budget_lines: dict[int, Any] | None = None,
    pcpg: str = "Cardiff",
    commissioner: Actor | None = None,
) -> int:
    """A mobilising contract of the Cardiff PCPG (unless told otherwise) worth `value_pence` a year, each year
    committed on its budget line."""
    pcpg_id = await support.pcpg_id(pcpg)
    if budget_lines is None:
        budget_lines = await lines(years) if pcpg == "Cardiff" else {}
    spec = await factories.save(
        factories.SpecificationFactory(pcpg=pcpg_id, start_financial_year=years[0], term_years=len(years))
    )
    for cluster_id in await factories.cluster_ids(*clusters):
        await factories.save(factories.SpecificationClusterFactory(specification=spec.id, cluster=cluster_id))
    for position, direction in enumerate(directions):
        await factories.save(
            factories.SpecificationKpiFactory(
                specification=spec.id, position=position, name=f"KPI {position + 1}", direction=direction
            )
        )
    award = await factories.save(factories.AwardFactory(specification=spec.id))
    board = await Pcpg.select(Pcpg.health_board).where(Pcpg.id == pcpg_id).first()
    assert board is not None
    return await make_contract(
        actor=commissioner or await make_actor(Role.COMMISSIONER),
        contract=ContractIn(
            specification_id=spec.id,
            award_id=award.id,
            pcpg_id=pcpg_id,
            health_board_id=board["health_board"],
            delivery_vehicle_id=award.delivery_vehicle,
            title="Weight management",
            title_cy="Rheoli pwysau",
            years=[
                ContractYearIn(
                    financial_year=year,
                    value_pence=value_pence,
                    budget_line_id=budget_lines[year].id if year in budget_lines else None,
                )
                for year in years
            ],
        ),
        now=support.now(),
    )


async def set_status(contract_id: int, status: str) -> None:
    await Contract.update({Contract.status: status}).where(Contract.id == contract_id)


async def status_of(contract_id: int) -> str:
    row = await Contract.select(Contract.status).where(Contract.id == contract_id).first()
    assert row is not None
    return str(row["status"])


async def committed_by_year(contract_id: int) -> dict[int, int]:
    """What the contract holds on the ledger, by year (commitments not released)."""
    held = await BudgetCommitment.select().where(
        (BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null()
    )
    totals: dict[int, int] = {}
    for row in held:
        totals[row["financial_year"]] = totals.get(row["financial_year"], 0) + int(row["amount_pence"])
    return totals


async def reconciles(line_ids: Sequence[int]) -> bool:
    """budget = earmarked + committed + headroom + actual (beyond commitments), line by line, to the penny."""
    found = await finance_queries.ledgers(list(line_ids))
    return all(
        ledger.budget_pence
        == ledger.earmarked_pence
        + ledger.committed_pence
        + ledger.headroom_pence
        + max(0, ledger.actual_pence - ledger.committed_pence)
        for ledger in found.values()
    )


async def clock_on(day: date, hour: int = 12) -> None:
    """Move the app's training clock (test and demo only) to that day in Wales."""
    from administration.services import set_clock

    await set_clock(actor=await make_actor(Role.NATIONAL_ADMIN), to=at(day, hour), now=support.now())
