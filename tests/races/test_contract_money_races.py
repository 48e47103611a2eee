"""Concurrent moves on one contract that touch its money: terminations and changes of its split by cluster arriving
at once each get a proper answer (one termination succeeds, the rest are refused), never a 5xx, and the ledger
reconciles to the penny afterwards. Real commits: IMMEDIATE transactions on SQLite, row locks on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from contracts.tables import ContractAllocation
from finance import queries as finance_queries
from finance.tables import BudgetCommitment, BudgetCommitmentCluster
from tests import contracts_support_lifecycle as cs
from tests import factories

pytestmark = pytest.mark.races


async def _commissioners(client_as, count: int = 4):  # type: ignore[no-untyped-def]
    return [await client_as("commissioner") for _ in range(count)]


async def test_twenty_terminations_at_once_make_one_termination_and_the_ledger_holds_its_kept_quarters(client_as):
    await cs.clock_on(date(2027, 6, 1))
    clients = await _commissioners(client_as)
    budget_lines = await cs.lines()
    contract_id = await cs.contract(budget_lines=budget_lines, commissioner=clients[0][1])
    days = [date(2027, 6, 30), date(2027, 8, 15), date(2027, 12, 1), date(2028, 5, 1)]

    results = await asyncio.gather(
        *[
            clients[i % 4][0].post(
                f"/api/v1/contracts/{contract_id}/terminate",
                json={"terminated_on": days[i % 4].isoformat(), "reason": f"Attempt {i}"},
            )
            for i in range(20)
        ]
    )

    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [409] * 19, [r.text[:200] for r in results if r.status_code not in (200, 409)]
    [won] = [r.json() for r in results if r.status_code == 200]
    kept_on = date.fromisoformat(won["terminated_on"])
    expected = {
        date(2027, 6, 30): {2027: 30_000_00},
        date(2027, 8, 15): {2027: 60_000_00},
        date(2027, 12, 1): {2027: 90_000_00},
        date(2028, 5, 1): {2027: 120_000_00, 2028: 30_000_00},
    }[kept_on]
    assert await cs.committed_by_year(contract_id) == expected
    ledgers = await finance_queries.ledgers([line.id for line in budget_lines.values()])
    assert {
        y: ledgers[line.id].committed_pence for y, line in budget_lines.items() if ledgers[line.id].committed_pence
    } == (expected)
    assert await cs.reconciles([line.id for line in budget_lines.values()])
    assert await cs.status_of(contract_id) == "terminated"


async def test_splits_and_terminations_at_once_leave_the_split_summing_to_what_the_ledger_holds(client_as):
    await cs.clock_on(date(2027, 6, 1))
    clients = await _commissioners(client_as)
    budget_lines = await cs.lines()
    contract_id = await cs.contract(
        budget_lines=budget_lines, clusters=cs.WITHOUT_POPULATION, commissioner=clients[0][1]
    )
    east, west = await factories.cluster_ids(*cs.WITHOUT_POPULATION)

    def split(i: int):  # type: ignore[no-untyped-def]
        east_share = 10 + i * 4
        return {
            "percentages": [
                {"cluster_id": east, "percent": str(east_share)},
                {"cluster_id": west, "percent": str(100 - east_share)},
            ]
        }

    requests = []
    for i in range(20):
        http = clients[i % 4][0]
        if i % 2:
            requests.append(
                http.post(
                    f"/api/v1/contracts/{contract_id}/terminate",
                    json={"terminated_on": "2027-08-15", "reason": f"Attempt {i}"},
                )
            )
        else:
            requests.append(http.put(f"/api/v1/contracts/{contract_id}/allocations", json=split(i)))
    results = await asyncio.gather(*requests)

    assert all(r.status_code in (200, 409) for r in results), [r.text[:200] for r in results]
    terminations = [r for i, r in enumerate(results) if i % 2]
    assert sorted(r.status_code for r in terminations) == [200] + [409] * 9
    assert await cs.status_of(contract_id) == "terminated"
    assert await cs.committed_by_year(contract_id) == {2027: 60_000_00}
    assert await cs.reconciles([line.id for line in budget_lines.values()])
    allocations = await ContractAllocation.select().where(ContractAllocation.contract == contract_id)
    by_year: dict[int, int] = {}
    for a in allocations:
        by_year[a["financial_year"]] = by_year.get(a["financial_year"], 0) + int(a["amount_pence"])
    assert by_year in ({}, {2027: 60_000_00, 2028: 0, 2029: 0})  # no split if every termination came first
    held = await BudgetCommitment.select(BudgetCommitment.id).where(
        (BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null()
    )
    parts = await BudgetCommitmentCluster.select().where(
        BudgetCommitmentCluster.budget_commitment.is_in([h["id"] for h in held])
    )
    if by_year:
        assert sorted(int(p["amount_pence"]) for p in parts) == sorted(
            int(a["amount_pence"]) for a in allocations if a["financial_year"] == 2027
        )
