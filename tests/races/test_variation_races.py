"""Twenty approvals of different contracts' variations at once, all drawing on one budget line: the line is never
over-committed, each refusal is a 409 naming the line, the year and the shortfall, and nothing fails.

Real concurrent requests through the app, with real commits: IMMEDIATE transactions on SQLite, row locks on
PostgreSQL.
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from contracts.rules import VariationKind
from contracts.schemas.variation import VariationIn, YearValueIn
from contracts.services.variations import propose_variation
from contracts.tables import Contract, ContractVariation
from finance import queries as finance_queries
from finance.tables import BudgetCommitment
from tests import commissioning_support as support
from tests import contracts_support_variations as cs

pytestmark = pytest.mark.races

CONTRACTS = 20
VALUE = 10_000_00
RAISED = 15_000_00
HEADROOM = 50_000_00  # room for ten of the twenty raises


async def test_concurrent_approvals_never_commit_more_than_the_line_holds(client_as):
    line = await support.budget_line(year=2027, amount_pence=CONTRACTS * VALUE + HEADROOM)
    contract_ids = []
    for _ in range(CONTRACTS):
        made = await cs.contract(values={2027: VALUE}, lines={2027: line})
        await propose_variation(
            actor=made.proposer,
            contract_id=made.contract_id,
            change=VariationIn(
                kind=VariationKind.ADDITIONAL_ACTIVITY,
                reason="More sessions",
                effective_on=date(2027, 10, 1),
                annual_values=[YearValueIn(2027, RAISED)],
            ),
            now=support.now(),
        )
        contract_ids.append(made.contract_id)
    deciders = [(await client_as("commissioner"))[0] for _ in range(4)]

    results = await asyncio.gather(
        *[
            deciders[index % len(deciders)].post(f"/api/v1/contracts/{contract_id}/variations/1/approve", json={})
            for index, contract_id in enumerate(contract_ids)
        ]
    )

    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] * 10 + [409] * 10, [r.text for r in results if r.status_code not in (200, 409)]
    refused = next(r for r in results if r.status_code == 409)
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["detail"] == (
        "The budget line Cardiff, 2027-28, Cluster funding has not enough headroom for 2027-28: £5,000.00 short"
    )
    ledger = (await finance_queries.ledgers([line.id]))[line.id]
    assert (ledger.committed_pence, ledger.headroom_pence) == (CONTRACTS * VALUE + HEADROOM, 0)
    assert ledger.budget_pence == ledger.earmarked_pence + ledger.committed_pence + ledger.headroom_pence
    held = await BudgetCommitment.select(BudgetCommitment.amount_pence).where(BudgetCommitment.released_at.is_null())
    assert sorted(r["amount_pence"] for r in held) == [VALUE] * 10 + [RAISED] * 10
    versions = await Contract.select(Contract.version, Contract.total_value_pence).where(
        Contract.id.is_in(contract_ids)
    )
    assert sorted((r["version"], r["total_value_pence"]) for r in versions) == [(1, VALUE)] * 10 + [(2, RAISED)] * 10
    assert await ContractVariation.count().where(ContractVariation.status == "approved") == 10
