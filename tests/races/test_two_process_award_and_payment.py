"""Confirming awards and approving payments in bursts through two app processes sharing one database, and all five
money operations at once on one line (issue 16, item 1): two `cdv serve` on PostgreSQL, one `cdv serve --workers 2`
on SQLite (tests/races/processes.py).

An award's money is already held on its line (the specification's earmark), so confirming it swaps the earmark for a
commitment in one transaction and needs no headroom of its own: publishes racing for the line's last headroom never
make a confirmation fail, and the publishes that fit are exactly those the headroom left before the burst allows.
A payment spends what its contract already holds: each is approved once however many finance directors press at
once. Publishing, confirming, approving a variation, terminating and approving a payment, all at once on one line,
must not deadlock (the audit trail's lock is the last any of them takes). What a user notices is asserted: as many
successes as fit, the rest a 409 problem, never a 5xx nor a "database is locked"; afterwards the ledger reconciles
to the penny and every finance invariant and the audit chain hold (api/scale/check.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from accounts.actor import Role
from api.scale.check import check_invariants
from commissioning.rules import SpecificationStatus
from commissioning.tables import Award, Specification
from contracts.rules import VariationKind
from contracts.schemas.variation import VariationIn, YearValueIn
from contracts.services.variations import propose_variation
from contracts.tables import Contract, ContractVariation
from core.money import format_pounds
from finance import queries as finance_queries
from finance.rules import budget_line_label
from finance.tables import BudgetCommitment, BudgetEarmark
from returns.tables import Payment
from tests import commissioning_support as support
from tests import contracts_support_lifecycle as lifecycle_support
from tests import factories
from tests import returns_support_payments as payment_support
from tests.conftest import make_actor
from tests.races.processes import Call, TwoApps, conflict, statuses

pytestmark = pytest.mark.races

AT_ONCE = 20
YEAR = 2027


async def _all_hold(line_id: int) -> None:
    """The line's ledger adds up to the penny with nothing over-committed, and so does everything else."""
    ledger = (await finance_queries.ledgers([line_id]))[line_id]
    assert ledger.headroom_pence >= 0 and ledger.committed_pence + ledger.earmarked_pence <= ledger.budget_pence
    assert ledger.budget_pence == (
        ledger.earmarked_pence + ledger.committed_unspent_pence + ledger.headroom_pence + ledger.actual_pence
    ), ledger
    # The quarters' returns were put straight into "accepted" (returns_support_payments.accept), without the versions
    # a real submission saves: that check is the seeding's, not the burst's.
    seeded = "a delivery return's versions"
    assert [problem for problem in await check_invariants() if not problem.startswith(seeded)] == []


async def _standstill_over(commissioner: Any, line: Any, value_pence: int) -> int:
    """A published specification whose award's standstill ended long ago: its earmark is its award's value."""
    spec = await support.published(commissioner, [line], value_pence=value_pence)
    vehicle = await factories.create_vehicle(cluster_names=("Cardiff North",), status="approved")
    award = await factories.save(
        factories.AwardFactory(
            specification=spec.id,
            delivery_vehicle=vehicle.id,
            annual_values=[{"financial_year": YEAR, "value_pence": value_pence}],
            notice_at=support.now() - timedelta(days=60),
        )
    )
    return int(award.id)


async def test_confirmations_beside_publishes_on_one_line_make_each_contract_once_and_publish_only_what_fits(
    two_apps: TwoApps, menu
):
    each = 10_000_00
    awards, fits = AT_ONCE // 2, 4
    left_over = fits * each + 2_500_00  # after the awards' earmarks: four publishes fit, the fifth is £7,500 short
    line = await support.budget_line(year=YEAR, amount_pence=awards * each + left_over)
    commissioners = [await make_actor(Role.COMMISSIONER), await make_actor(Role.COMMISSIONER)]
    award_ids = [await _standstill_over(commissioners[0], line, each) for _ in range(awards)]
    drafts = [(await support.draft(commissioners[1], [line], value_pence=each)).id for _ in range(AT_ONCE // 2)]
    await two_apps.settle()
    tokens = [await two_apps.token(actor.username) for actor in commissioners]
    calls = []
    for n, award_id in enumerate(award_ids):  # each award confirmed through both processes, a publish beside each
        calls += [Call("POST", f"/api/v1/awards/{award_id}/confirm", tokens[(n + k) % 2]) for k in range(2)]
        calls += [Call("POST", f"/api/v1/specifications/{drafts[n]}/publish", tokens[n % 2])]
    calls += [Call("POST", f"/api/v1/specifications/{spec_id}/publish", tokens[n % 2]) for spec_id in drafts[awards:]]

    answers = await two_apps.at_once(calls)

    two_apps.assert_no_server_errors(answers)
    confirmations = [a for c, a in zip(calls, answers, strict=True) if c.path.endswith("/confirm")]
    publishes = [a for c, a in zip(calls, answers, strict=True) if c.path.endswith("/publish")]
    assert statuses(confirmations) == {200: awards, 409: awards}, [a.text[:200] for a in confirmations]
    for pair in zip(confirmations[::2], confirmations[1::2], strict=True):
        assert sorted(a.status_code for a in pair) == [200, 409]  # one of each award's two attempts stands
        assert "already" in conflict(next(a for a in pair if a.status_code == 409))["detail"]
    assert statuses(publishes) == {200: fits, 409: AT_ONCE // 2 - fits}, [a.text[:200] for a in publishes]
    label = budget_line_label(pcpg="Cardiff", financial_year=YEAR, funding_stream="cluster_funding")
    for answer in publishes:
        if answer.status_code == 409:
            assert label in conflict(answer)["detail"] and format_pounds(7_500_00) in answer.json()["detail"]
    assert await Contract.count() == awards
    references = sorted(row["reference"] for row in await Contract.select(Contract.reference))
    assert references == [f"CON-{YEAR}-{n:04d}" for n in range(1, awards + 1)]  # numbered in order, none twice
    assert await Award.count().where(Award.status == "confirmed") == awards
    assert await Specification.count().where(Specification.status == SpecificationStatus.AWARDED) == awards
    held = await BudgetCommitment.select(BudgetCommitment.amount_pence).where(BudgetCommitment.released_at.is_null())
    assert [int(row["amount_pence"]) for row in held] == [each] * awards
    earmarks = await BudgetEarmark.count().where(BudgetEarmark.released_at.is_null())
    assert earmarks == fits  # the awards' earmarks released, the new publishes' held
    ledger = (await finance_queries.ledgers([line.id]))[line.id]
    assert (ledger.committed_pence, ledger.earmarked_pence, ledger.headroom_pence) == (
        awards * each,
        fits * each,
        left_over - fits * each,
    )
    await _all_hold(line.id)


async def test_twenty_approvals_of_ten_payments_through_two_processes_pay_each_once(two_apps: TwoApps):
    await lifecycle_support.clock_on(date(YEAR, 8, 1))  # the first quarter's payments in arrears are due
    contracts = AT_ONCE // 2
    line = await support.budget_line(year=YEAR, amount_pence=contracts * 120_000_00 + 1_000_00)
    contract_ids = [
        await lifecycle_support.contract(years=(YEAR,), budget_lines={YEAR: line}) for _ in range(contracts)
    ]
    for contract_id in contract_ids:
        await payment_support.accept(contract_id, YEAR, 1)
    directors = [await payment_support.finance_director(), await payment_support.finance_director()]
    await two_apps.settle()
    tokens = [await two_apps.token(director.username) for director in directors]
    calls = [
        Call("POST", f"/api/v1/contracts/{contract_id}/payments/{YEAR}/1/approve", tokens[(n + k) % 2])
        for n, contract_id in enumerate(contract_ids)
        for k in range(2)
    ]

    answers = await two_apps.at_once(calls)

    two_apps.assert_no_server_errors(answers)
    assert statuses(answers) == {200: contracts, 409: contracts}, [a.text[:200] for a in answers]
    for pair in zip(answers[::2], answers[1::2], strict=True):
        assert sorted(a.status_code for a in pair) == [200, 409]
        conflict(next(a for a in pair if a.status_code == 409))
    payments = await Payment.select(Payment.contract, Payment.status, Payment.amount_pence)
    assert sorted((row["contract"], row["status"], int(row["amount_pence"])) for row in payments) == [
        (contract_id, "approved", 30_000_00) for contract_id in sorted(contract_ids)
    ]
    ledger = (await finance_queries.ledgers([line.id]))[line.id]
    assert (ledger.actual_pence, ledger.committed_pence) == (contracts * 30_000_00, contracts * 120_000_00)
    await _all_hold(line.id)


async def test_every_money_operation_at_once_on_one_line_leaves_a_ledger_that_adds_up_to_the_penny(
    two_apps: TwoApps, menu
):
    each, raised, yearly = 10_000_00, 15_000_00, 120_000_00
    kinds = AT_ONCE // 5
    await lifecycle_support.clock_on(date(YEAR, 8, 1))  # quarter 1 due for payment; variations from October
    headroom = 12_500_00  # before any termination frees money: one publish, or two raises, fit
    budget = kinds * (each + each + yearly + yearly) + headroom
    line = await support.budget_line(year=YEAR, amount_pence=budget)
    commissioners = [await make_actor(Role.COMMISSIONER), await make_actor(Role.COMMISSIONER)]
    award_ids = [await _standstill_over(commissioners[0], line, each) for _ in range(kinds)]
    deadline = lifecycle_support.at(date(YEAR, 9, 30))  # after the training clock's day
    draft_ids = [
        (await support.draft(commissioners[1], [line], value_pence=each, deadline=deadline)).id for _ in range(kinds)
    ]
    varied = []
    for _ in range(kinds):
        contract_id = await lifecycle_support.contract(years=(YEAR,), value_pence=each, budget_lines={YEAR: line})
        change = VariationIn(
            kind=VariationKind.ADDITIONAL_ACTIVITY,
            reason="More sessions",
            effective_on=date(YEAR, 10, 1),
            annual_values=[YearValueIn(YEAR, raised)],
        )
        await propose_variation(actor=commissioners[1], contract_id=contract_id, change=change, now=support.now())
        varied.append(contract_id)
    ending = [await lifecycle_support.contract(years=(YEAR,), budget_lines={YEAR: line}) for _ in range(kinds)]
    paid = [await lifecycle_support.contract(years=(YEAR,), budget_lines={YEAR: line}) for _ in range(kinds)]
    for contract_id in paid:
        await payment_support.accept(contract_id, YEAR, 1)
    director = await payment_support.finance_director()
    await two_apps.settle()
    tokens = [await two_apps.token(actor.username) for actor in commissioners]
    paying = await two_apps.token(director.username)
    end = {"terminated_on": f"{YEAR}-08-15", "reason": "The provider withdrew"}  # keeps April to September
    calls = []
    for n in range(kinds):  # one of each kind in turn, so every kind reaches both processes
        calls += [
            Call("POST", f"/api/v1/specifications/{draft_ids[n]}/publish", tokens[n % 2]),
            Call("POST", f"/api/v1/awards/{award_ids[n]}/confirm", tokens[(n + 1) % 2]),
            Call("POST", f"/api/v1/contracts/{varied[n]}/variations/1/approve", tokens[0], json={}),
            Call("POST", f"/api/v1/contracts/{ending[n]}/terminate", tokens[n % 2], json=end),
            Call("POST", f"/api/v1/contracts/{paid[n]}/payments/{YEAR}/1/approve", paying),
        ]

    answers = await two_apps.at_once(calls)

    two_apps.assert_no_server_errors(answers)
    by_kind: dict[str, list[httpx.Response]] = {}
    for call, answer in zip(calls, answers, strict=True):
        by_kind.setdefault(call.path.split("/")[-1] if "/payments/" not in call.path else "pay", []).append(answer)
    for kind in ("confirm", "terminate", "pay"):  # money already held: never refused for want of headroom
        assert statuses(by_kind[kind]) == {200: kinds}, (kind, [a.text[:200] for a in by_kind[kind]])
    label = budget_line_label(pcpg="Cardiff", financial_year=YEAR, funding_stream="cluster_funding")
    for answer in by_kind["publish"] + by_kind["approve"]:
        if answer.status_code != 200:
            assert label in conflict(answer)["detail"], answer.text
    published = sum(answer.status_code == 200 for answer in by_kind["publish"])
    raises = sum(answer.status_code == 200 for answer in by_kind["approve"])
    assert published + raises >= 1  # the headroom before the burst fits at least one
    assert await ContractVariation.count().where(ContractVariation.status == "approved") == raises
    ledger = (await finance_queries.ledgers([line.id]))[line.id]
    committed = kinds * each + raises * raised + (kinds - raises) * each + kinds * yearly // 2 + kinds * yearly
    assert (ledger.earmarked_pence, ledger.committed_pence, ledger.actual_pence) == (
        published * each,
        committed,
        kinds * yearly // 4,
    )
    assert ledger.headroom_pence == budget - published * each - committed
    await _all_hold(line.id)
