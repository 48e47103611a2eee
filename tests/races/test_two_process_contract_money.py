"""A contract's money under bursts through two app processes sharing one database (issue 12, item 3: "refused ...
and changes nothing, also under 20 concurrent attempts ... and with two app processes sharing one PostgreSQL"; issue
16: the same on SQLite with `cdv serve --workers 2`).

Each burst alternates between two processes (tests/races/processes.py): each has its own connection pool and caches,
so only the database (row locks on PostgreSQL, the file's lock on SQLite) keeps the budget line, the contract and its
versions apart. What a user notices is asserted: as many approvals as the line has room for, the rest refused as a
409 naming the line, the year and the shortfall, never a 5xx nor a "database is locked"; a refused contract exactly
as it was; a ledger that reconciles to the penny afterwards.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import msgspec
import pytest

from accounts.actor import Role
from audit.queries import verify_chain
from contracts.rules import VariationKind
from contracts.schemas.variation import VariationIn, YearValueIn
from contracts.services.variations import propose_variation
from contracts.tables import (
    Contract,
    ContractAllocation,
    ContractPayment,
    ContractVariation,
    ContractVersion,
    ContractYear,
)
from core.money import format_pounds
from core.periods import FinancialYear
from finance import queries as finance_queries
from finance.rules import budget_line_label
from finance.tables import BudgetCommitment, BudgetCommitmentCluster
from tests import commissioning_support as support
from tests import contracts_support_lifecycle as lifecycle_support
from tests import contracts_support_variations as cs
from tests.conftest import make_actor
from tests.races.processes import Call, TwoApps, conflict, statuses

pytestmark = pytest.mark.races

AT_ONCE = 20
YEAR = 2027
LABEL = budget_line_label(pcpg="Cardiff", financial_year=YEAR, funding_stream="cluster_funding")


def _assert_names_the_shortfall(answer: httpx.Response, line_id: int, shortfall_pence: int) -> None:
    problem = conflict(answer)
    assert problem["detail"] == (
        f"The budget line {LABEL} has not enough headroom for {FinancialYear(YEAR).label}: "
        f"{format_pounds(shortfall_pence)} short"
    ), problem
    assert (problem["budget_line_id"], problem["financial_year"], problem["shortfall_pence"]) == (
        line_id,
        YEAR,
        shortfall_pence,
    ), problem


async def _reconciles(line_id: int) -> None:
    """budget = earmarked + committed (unspent) + headroom + actual, to the penny; committed never above budget."""
    ledger = (await finance_queries.ledgers([line_id]))[line_id]
    assert ledger.committed_pence <= ledger.budget_pence, ledger
    assert ledger.headroom_pence >= 0, ledger
    assert ledger.budget_pence == (
        ledger.earmarked_pence + ledger.committed_unspent_pence + ledger.headroom_pence + ledger.actual_pence
    ), ledger
    held = await BudgetCommitment.select(BudgetCommitment.amount_pence).where(
        (BudgetCommitment.budget_line == line_id) & BudgetCommitment.released_at.is_null()
    )
    assert sum(int(row["amount_pence"]) for row in held) == ledger.committed_pence


async def _state(contract_id: int) -> dict[str, Any]:
    """Everything an approval could change about a contract's money, row by row (ids included, so a row deleted and
    made again shows)."""
    contract = await Contract.select(
        Contract.version, Contract.status, Contract.total_value_pence, Contract.start_on, Contract.end_on
    ).where(Contract.id == contract_id)
    commitments = await BudgetCommitment.select().where(BudgetCommitment.contract == contract_id)
    return {
        "contract": contract,
        "years": await ContractYear.select().where(ContractYear.contract == contract_id).order_by(ContractYear.id),
        "payments": await ContractPayment.select()
        .where(ContractPayment.contract == contract_id)
        .order_by(ContractPayment.id),
        "allocations": await ContractAllocation.select()
        .where(ContractAllocation.contract == contract_id)
        .order_by(ContractAllocation.id),
        "commitments": sorted(commitments, key=lambda row: row["id"]),
        "commitment_split": await BudgetCommitmentCluster.select()
        .where(BudgetCommitmentCluster.budget_commitment.is_in([row["id"] for row in commitments] or [0]))
        .order_by(BudgetCommitmentCluster.id),
        "versions": await ContractVersion.select(ContractVersion.id, ContractVersion.version)
        .where(ContractVersion.contract == contract_id)
        .order_by(ContractVersion.id),
    }


def _values(*pairs: tuple[int, int]) -> list[YearValueIn]:
    return [YearValueIn(year, value) for year, value in pairs]


async def _propose(made_by: Any, contract_id: int, values: list[YearValueIn], effective_on: date) -> int:
    return await propose_variation(
        actor=made_by,
        contract_id=contract_id,
        change=VariationIn(
            kind=VariationKind.ADDITIONAL_ACTIVITY,
            reason="More sessions",
            effective_on=effective_on,
            annual_values=values,
        ),
        now=support.now(),
    )


async def _decider_tokens(two_apps: TwoApps, count: int = 2) -> list[str]:
    """Bearer tokens of Cardiff commissioners who proposed nothing (so each may decide)."""
    return [await two_apps.token((await make_actor(Role.COMMISSIONER)).username) for _ in range(count)]


def _approve(contract_id: int, number: int, token: str) -> Call:
    return Call("POST", f"/api/v1/contracts/{contract_id}/variations/{number}/approve", token, json={})


async def test_twenty_approvals_on_one_line_through_two_processes_commit_only_what_fits(two_apps: TwoApps):
    value, raised = 10_000_00, 15_000_00
    fits = 7
    left_over = 3_333_33  # not a whole raise: the eighth is £1,666.67 short
    line = await support.budget_line(year=YEAR, amount_pence=AT_ONCE * value + fits * (raised - value) + left_over)
    contract_ids = []
    for _ in range(AT_ONCE):
        made = await cs.contract(values={YEAR: value}, lines={YEAR: line})
        await _propose(made.proposer, made.contract_id, _values((YEAR, raised)), date(YEAR, 10, 1))
        contract_ids.append(made.contract_id)
    before = {contract_id: await _state(contract_id) for contract_id in contract_ids}
    await two_apps.settle()
    tokens = await _decider_tokens(two_apps)

    answers = await two_apps.at_once(
        [_approve(contract_id, 1, tokens[n % 2]) for n, contract_id in enumerate(contract_ids)]
    )

    two_apps.assert_no_server_errors(answers)
    assert statuses(answers) == {200: fits, 409: AT_ONCE - fits}, two_apps.logs()
    shortfall = (raised - value) - left_over
    for answer in answers:
        if answer.status_code == 409:
            _assert_names_the_shortfall(answer, line.id, shortfall)
    approved = [c for c, answer in zip(contract_ids, answers, strict=True) if answer.status_code == 200]
    refused = [c for c, answer in zip(contract_ids, answers, strict=True) if answer.status_code == 409]
    ledger = (await finance_queries.ledgers([line.id]))[line.id]
    assert (ledger.committed_pence, ledger.headroom_pence) == (AT_ONCE * value + fits * (raised - value), left_over)
    await _reconciles(line.id)
    for contract_id in refused:
        assert await _state(contract_id) == before[contract_id], contract_id
    rows = await Contract.select(Contract.id, Contract.version, Contract.total_value_pence).where(
        Contract.id.is_in(approved)
    )
    assert sorted((row["version"], row["total_value_pence"]) for row in rows) == [(2, raised)] * fits
    assert await ContractVariation.count().where(ContractVariation.status == "approved") == fits
    assert await ContractVariation.count().where(ContractVariation.status == "proposed") == AT_ONCE - fits
    assert (await verify_chain()).intact


async def test_twenty_approvals_on_one_contract_through_two_processes_each_make_their_own_version(
    two_apps: TwoApps,
):
    value, step = 100_000_00, 1_000_00
    fits = 12
    left_over = 333_33
    budget = value + fits * step + left_over  # variation n asks for value + n x step: the first twelve fit
    line = await support.budget_line(year=YEAR, amount_pence=budget)
    made = await cs.contract(values={YEAR: value}, lines={YEAR: line})
    asked = {}
    for n in range(1, AT_ONCE + 1):
        number = await _propose(made.proposer, made.contract_id, _values((YEAR, value + n * step)), date(YEAR, 10, 1))
        asked[number] = value + n * step
    await two_apps.settle()
    tokens = await _decider_tokens(two_apps)

    answers = await two_apps.at_once([_approve(made.contract_id, n, tokens[n % 2]) for n in sorted(asked)])

    two_apps.assert_no_server_errors(answers)
    assert statuses(answers) == {200: fits, 409: AT_ONCE - fits}, two_apps.logs()
    for number, answer in zip(sorted(asked), answers, strict=True):
        # The contract's own commitment is released before the check, so each asks the whole line for its value.
        if asked[number] <= budget:
            assert answer.status_code == 200, (number, answer.text)
        else:
            _assert_names_the_shortfall(answer, line.id, asked[number] - budget)
    variations = await ContractVariation.select(
        ContractVariation.id, ContractVariation.number, ContractVariation.status, ContractVariation.version_made
    ).where(ContractVariation.contract == made.contract_id)
    made_versions = {row["version_made"]: row for row in variations if row["status"] == "approved"}
    assert sorted(made_versions) == list(range(2, fits + 2))  # one version each, without gaps or duplicates
    assert all(row["version_made"] is None for row in variations if row["status"] == "proposed")
    versions = await ContractVersion.select(
        ContractVersion.version, ContractVersion.variation, ContractVersion.particulars
    ).where(ContractVersion.contract == made.contract_id)
    assert sorted(row["version"] for row in versions) == list(range(1, fits + 2))
    for row in versions:
        if row["version"] == 1:
            continue
        variation = made_versions[row["version"]]
        assert row["variation"] == variation["id"]
        particulars = row["particulars"]
        if isinstance(particulars, str):
            particulars = msgspec.json.decode(particulars)
        assert particulars["annual_values"] == {FinancialYear(YEAR).label: asked[variation["number"]]}
    last = asked[made_versions[fits + 1]["number"]]
    contract = await Contract.select(Contract.version, Contract.total_value_pence).where(
        Contract.id == made.contract_id
    )
    assert contract == [{"version": fits + 1, "total_value_pence": last}]
    ledger = (await finance_queries.ledgers([line.id]))[line.id]
    assert (ledger.committed_pence, ledger.headroom_pence) == (last, budget - last)
    await _reconciles(line.id)
    assert (await verify_chain()).intact


async def test_terminations_and_approvals_of_one_contract_through_two_processes_terminate_once(two_apps: TwoApps):
    await lifecycle_support.clock_on(date(YEAR, 6, 1))
    proposer = await make_actor(Role.COMMISSIONER)
    lines = await lifecycle_support.lines()
    contract_id = await lifecycle_support.contract(budget_lines=lines, commissioner=proposer)
    # Variation 1 raises 2027-28 from £120,000 to £160,000 (quarters of £40,000); variation 2 waits for after.
    raise_first = _values((2027, 160_000_00), (2028, 120_000_00), (2029, 120_000_00))
    raise_later = _values((2027, 120_000_00), (2028, 130_000_00), (2029, 120_000_00))
    assert await _propose(proposer, contract_id, raise_first, date(YEAR, 7, 1)) == 1
    assert await _propose(proposer, contract_id, raise_later, date(YEAR, 7, 1)) == 2
    await two_apps.settle()
    tokens = await _decider_tokens(two_apps)
    terminate = {"terminated_on": "2027-08-15", "reason": "The provider withdrew"}
    calls = []
    for _ in range(AT_ONCE // 2):  # terminate, terminate, approve, approve, ...: each kind reaches both processes
        calls += [Call("POST", f"/api/v1/contracts/{contract_id}/terminate", token, json=terminate) for token in tokens]
        calls += [_approve(contract_id, 1, token) for token in tokens]

    answers = await two_apps.at_once(calls)

    two_apps.assert_no_server_errors(answers)
    terminations = [a for c, a in zip(calls, answers, strict=True) if c.path.endswith("/terminate")]
    approvals = [a for c, a in zip(calls, answers, strict=True) if c.path.endswith("/approve")]
    assert statuses(terminations) == {200: 1, 409: AT_ONCE - 1}, [a.text[:200] for a in terminations]
    for answer in terminations + approvals:
        if answer.status_code != 200:
            conflict(answer)
    assert statuses(approvals) in ({409: AT_ONCE}, {200: 1, 409: AT_ONCE - 1}), [a.text[:200] for a in approvals]
    varied = any(answer.status_code == 200 for answer in approvals)
    # Kept: April to September 2027 (the quarters starting on or before 15 August), of whichever 2027-28 value
    # the contract had when it was terminated; 2028-29 and 2029-30 released in full.
    kept = 80_000_00 if varied else 60_000_00
    assert await lifecycle_support.committed_by_year(contract_id) == {2027: kept}
    payments = await ContractPayment.select(ContractPayment.amount_pence).where(ContractPayment.contract == contract_id)
    assert sum(int(row["amount_pence"]) for row in payments) == kept
    assert await lifecycle_support.status_of(contract_id) == "terminated"
    for line in lines.values():
        await _reconciles(line.id)
    contract = await Contract.select(Contract.version).where(Contract.id == contract_id).first()
    assert contract == {"version": 2 if varied else 1}
    before = await _state(contract_id)

    after_termination = (await two_apps.at_once([_approve(contract_id, 2, tokens[0])]))[0]

    problem = conflict(after_termination)
    assert problem["detail"] == "A contract that has ended cannot be varied (its status: Terminated)", problem
    assert await _state(contract_id) == before
    second = await ContractVariation.select(ContractVariation.status).where(
        (ContractVariation.contract == contract_id) & (ContractVariation.number == 2)
    )
    assert second == [{"status": "proposed"}]
    assert (await verify_chain()).intact
