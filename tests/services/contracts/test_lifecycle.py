"""A contract's status moves and what is set while mobilising, on the real database: the state after, the audit
row, and a refusal that writes nothing (issue 12, items 2 and 4)."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from contracts.rules import CONTRACT_MOVES, ContractStatus
from contracts.schemas.lifecycle import (
    ActivityPlanIn,
    AllocationSplitIn,
    KpiThresholdPairIn,
    KpiThresholdsIn,
    SplitAmountIn,
    SplitPercentIn,
)
from contracts.services import lifecycle
from contracts.tables import (
    Contract,
    ContractActivity,
    ContractAllocation,
    ContractKpi,
    ContractPayment,
    ContractVersion,
)
from core.errors import Conflict, NotFound, RuleBroken
from finance import queries as finance_queries
from finance.tables import BudgetCommitment, BudgetCommitmentCluster
from tests import contracts_support_lifecycle as cs
from tests import factories
from tests.conftest import make_actor

IN_TERM = cs.at(date(2027, 6, 1))


async def _audited(action: str, contract_id: int) -> list[dict]:
    return (
        await AuditEvent.select(AuditEvent.actor_username, AuditEvent.after)
        .where((AuditEvent.action == action) & (AuditEvent.entity_id == str(contract_id)))
        .output(load_json=True)
    )


async def _snapshot(contract_id: int) -> dict:
    """Everything a refused move must leave as it was."""
    contract = await Contract.select().where(Contract.id == contract_id).first()
    return {
        "contract": contract,
        "commitments": await BudgetCommitment.select().where(BudgetCommitment.contract == contract_id),
        "payments": await ContractPayment.select().where(ContractPayment.contract == contract_id),
        "allocations": await ContractAllocation.select().where(ContractAllocation.contract == contract_id),
        "kpis": await ContractKpi.select().where(ContractKpi.contract == contract_id),
        "audit": await AuditEvent.count(),
    }


async def _move(name: str, actor, contract_id: int, now=IN_TERM):  # type: ignore[no-untyped-def]
    if name == "mobilise":
        return await lifecycle.mobilise_contract(actor=actor, contract_id=contract_id, now=now)
    if name == "suspend":
        return await lifecycle.suspend_contract(actor=actor, contract_id=contract_id, reason="Staff shortage", now=now)
    if name == "resume":
        return await lifecycle.resume_contract(actor=actor, contract_id=contract_id, now=now)
    return await lifecycle.terminate_contract(
        actor=actor, contract_id=contract_id, terminated_on=date(2027, 6, 30), reason="Provider closed", now=now
    )


MOVES = {
    "mobilise": (ContractStatus.MOBILISING, ContractStatus.LIVE),
    "suspend": (ContractStatus.LIVE, ContractStatus.SUSPENDED),
    "resume": (ContractStatus.SUSPENDED, ContractStatus.LIVE),
}


@pytest.mark.parametrize("status", list(ContractStatus))
@pytest.mark.parametrize("move", ["mobilise", "suspend", "resume", "terminate"])
async def test_each_move_is_allowed_only_from_its_status_and_a_refused_one_writes_nothing(status, move):
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(years=(2027,), commissioner=commissioner)
    await cs.set_status(contract_id, status.value)
    allowed = (
        status in CONTRACT_MOVES
        and status in {ContractStatus.MOBILISING, ContractStatus.LIVE, ContractStatus.SUSPENDED}
        if move == "terminate"
        else MOVES[move][0] is status
    )
    before = await _snapshot(contract_id)

    if allowed:
        out = await _move(move, commissioner, contract_id)
        target = ContractStatus.TERMINATED if move == "terminate" else MOVES[move][1]
        assert out.status == target.value
        assert await cs.status_of(contract_id) == target.value
        assert target in CONTRACT_MOVES[status]
    else:
        with pytest.raises(Conflict) as refused:
            await _move(move, commissioner, contract_id)
        assert refused.value.status_code == 409
        assert await _snapshot(contract_id) == before


async def test_a_contract_goes_live_on_its_start_date_and_not_the_day_before():
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(commissioner=commissioner)
    before = await _snapshot(contract_id)

    with pytest.raises(RuleBroken, match="before the contract starts"):
        await lifecycle.mobilise_contract(actor=commissioner, contract_id=contract_id, now=cs.at(date(2027, 3, 31)))
    assert await _snapshot(contract_id) == before

    out = await lifecycle.mobilise_contract(actor=commissioner, contract_id=contract_id, now=cs.at(date(2027, 4, 1), 0))
    assert (out.status, out.live_from_on) == ("live", date(2027, 4, 1))
    [event] = await _audited("contract.mobilised", contract_id)
    assert event["actor_username"] == commissioner.username


async def test_suspending_needs_a_reason_and_keeps_it_and_resuming_goes_live_again():
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(commissioner=commissioner)
    await lifecycle.mobilise_contract(actor=commissioner, contract_id=contract_id, now=IN_TERM)

    with pytest.raises(RuleBroken) as blank:
        await lifecycle.suspend_contract(actor=commissioner, contract_id=contract_id, reason="   ", now=IN_TERM)
    assert blank.value.field == "reason"
    assert await cs.status_of(contract_id) == "live"

    out = await lifecycle.suspend_contract(
        actor=commissioner, contract_id=contract_id, reason="Premises flooded", now=IN_TERM
    )
    assert (out.status, out.status_reason) == ("suspended", "Premises flooded")
    assert (await _audited("contract.suspended", contract_id))[0]["after"]["reason"] == "Premises flooded"
    assert (await lifecycle.resume_contract(actor=commissioner, contract_id=contract_id, now=IN_TERM)).status == "live"
    assert len(await _audited("contract.resumed", contract_id)) == 1


async def test_a_contract_expires_the_day_after_its_last_day_by_the_clock_as_the_service():
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(years=(2027,), commissioner=commissioner)  # ends 31 March 2028
    await lifecycle.mobilise_contract(actor=commissioner, contract_id=contract_id, now=IN_TERM)
    ended = await cs.contract(years=(2027,), budget_lines={}, commissioner=commissioner)
    await lifecycle.terminate_contract(
        actor=commissioner, contract_id=ended, terminated_on=date(2027, 6, 30), reason="Closed", now=IN_TERM
    )

    assert await lifecycle.expire_due_contracts(now=cs.at(date(2028, 3, 31), 23)) == 0
    assert await cs.status_of(contract_id) == "live"

    assert await lifecycle.expire_due_contracts(now=cs.at(date(2028, 4, 1), 0)) == 1
    assert await cs.status_of(contract_id) == "expired"
    assert await cs.status_of(ended) == "terminated"
    [event] = await _audited("contract.expired", contract_id)
    assert event["actor_username"] == "system"
    assert await lifecycle.expire_due_contracts(now=cs.at(date(2028, 4, 2))) == 0  # once only


async def test_terminating_in_the_second_quarter_keeps_two_quarters_of_year_one_and_releases_the_later_years():
    commissioner = await make_actor(Role.COMMISSIONER)
    budget_lines = await cs.lines()
    contract_id = await cs.contract(
        value_pence=100_000_01, budget_lines=budget_lines, commissioner=commissioner
    )  # 100,000.01 a year: quarters of 25,000.01, 25,000.00, 25,000.00, 25,000.00
    schedule = (
        await ContractPayment.select()
        .where(ContractPayment.contract == contract_id)
        .order_by(ContractPayment.financial_year, ContractPayment.quarter)
    )
    year_one = [int(p["amount_pence"]) for p in schedule if p["financial_year"] == 2027]
    preview = await lifecycle.termination_preview(
        actor=commissioner, contract_id=contract_id, terminated_on=date(2027, 8, 15), now=IN_TERM
    )

    await lifecycle.terminate_contract(
        actor=commissioner, contract_id=contract_id, terminated_on=date(2027, 8, 15), reason="Closed", now=IN_TERM
    )

    kept = year_one[0] + year_one[1]
    assert kept == 50_000_01
    assert await cs.committed_by_year(contract_id) == {2027: kept}
    ledgers = await finance_queries.ledgers([line.id for line in budget_lines.values()])
    assert [ledgers[budget_lines[y].id].committed_pence for y in (2027, 2028, 2029)] == [kept, 0, 0]
    assert await cs.reconciles([line.id for line in budget_lines.values()])
    assert [(line.committed_after_pence, line.released_pence) for line in preview.lines] == [
        (kept, 100_000_01 - kept),
        (0, 100_000_01),
        (0, 100_000_01),
    ]
    payments = (
        await ContractPayment.select().where(ContractPayment.contract == contract_id).order_by(ContractPayment.quarter)
    )
    assert [(p["financial_year"], p["quarter"], p["amount_pence"]) for p in payments] == [
        (2027, 1, year_one[0]),
        (2027, 2, year_one[1]),
    ]
    assert (preview.last_payment.quarter, preview.last_payment.amount_pence) == (2, year_one[1])
    allocations = await ContractAllocation.select().where(ContractAllocation.contract == contract_id)
    by_year: dict[int, int] = {}
    for a in allocations:
        by_year[a["financial_year"]] = by_year.get(a["financial_year"], 0) + int(a["amount_pence"])
    assert by_year == {2027: kept, 2028: 0, 2029: 0}
    assert {a["method"] for a in allocations} == {"population"}
    [commitment] = await BudgetCommitment.select().where(
        (BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null()
    )
    split = await BudgetCommitmentCluster.select().where(BudgetCommitmentCluster.budget_commitment == commitment["id"])
    assert sum(int(s["amount_pence"]) for s in split) == kept
    contract = await Contract.select().where(Contract.id == contract_id).first()
    assert (contract["status"], contract["terminated_on"], contract["status_reason"]) == (
        "terminated",
        date(2027, 8, 15),
        "Closed",
    )
    [event] = await _audited("contract.terminated", contract_id)
    assert event["after"]["retained_value_pence"] == kept


async def test_a_termination_keeps_an_explicit_split_in_proportion():
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(years=(2027,), clusters=cs.WITHOUT_POPULATION, commissioner=commissioner)
    east, west = await factories.cluster_ids(*cs.WITHOUT_POPULATION)
    await lifecycle.set_allocations(
        actor=commissioner,
        contract_id=contract_id,
        data=AllocationSplitIn(percentages=[SplitPercentIn(east, "75"), SplitPercentIn(west, "25")]),
        now=IN_TERM,
    )
    await lifecycle.terminate_contract(
        actor=commissioner, contract_id=contract_id, terminated_on=date(2027, 6, 30), reason="Closed", now=IN_TERM
    )
    rows = await ContractAllocation.select().where(ContractAllocation.contract == contract_id)
    assert {r["cluster"]: (r["amount_pence"], r["method"]) for r in rows} == {
        east: (22_500_00, "explicit"),
        west: (7_500_00, "explicit"),
    }


@pytest.mark.parametrize(
    ("terminated_on", "words"),
    [(date(2027, 5, 31), "in the past"), (date(2030, 4, 1), "already ends")],
)
async def test_a_termination_date_in_the_past_or_after_the_term_is_refused_and_nothing_changes(terminated_on, words):
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(commissioner=commissioner)
    before = await _snapshot(contract_id)
    with pytest.raises(RuleBroken, match=words):
        await lifecycle.terminate_contract(
            actor=commissioner, contract_id=contract_id, terminated_on=terminated_on, reason="x", now=IN_TERM
        )
    assert await _snapshot(contract_id) == before


async def test_an_explicit_split_is_saved_only_when_exact_to_the_penny():
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(years=(2027, 2028), clusters=cs.WITHOUT_POPULATION, commissioner=commissioner)
    east, west = await factories.cluster_ids(*cs.WITHOUT_POPULATION)
    assert await ContractAllocation.count().where(ContractAllocation.contract == contract_id) == 0
    before = await _snapshot(contract_id)

    def amounts(last_west_2028: int) -> AllocationSplitIn:
        return AllocationSplitIn(
            amounts=[
                SplitAmountIn(2027, east, 100_000_00),
                SplitAmountIn(2027, west, 20_000_00),
                SplitAmountIn(2028, east, 60_000_00),
                SplitAmountIn(2028, west, last_west_2028),
            ]
        )

    for wrong in (59_999_99, 60_000_01):
        with pytest.raises(RuleBroken) as refused:
            await lifecycle.set_allocations(
                actor=commissioner, contract_id=contract_id, data=amounts(wrong), now=IN_TERM
            )
        assert (refused.value.params["year"], refused.value.params["value"]) == ("2028-29", "£120,000.00")
        assert await _snapshot(contract_id) == before
    with pytest.raises(RuleBroken, match="exactly 100"):
        await lifecycle.set_allocations(
            actor=commissioner,
            contract_id=contract_id,
            data=AllocationSplitIn(percentages=[SplitPercentIn(east, "50"), SplitPercentIn(west, "49.99")]),
            now=IN_TERM,
        )
    assert await _snapshot(contract_id) == before

    await lifecycle.set_allocations(actor=commissioner, contract_id=contract_id, data=amounts(60_000_00), now=IN_TERM)

    rows = await ContractAllocation.select().where(ContractAllocation.contract == contract_id)
    assert {(r["financial_year"], r["cluster"]): r["amount_pence"] for r in rows} == {
        (2027, east): 100_000_00,
        (2027, west): 20_000_00,
        (2028, east): 60_000_00,
        (2028, west): 60_000_00,
    }
    assert {r["method"] for r in rows} == {"explicit"}
    splits = await BudgetCommitmentCluster.select(
        BudgetCommitmentCluster.budget_commitment.financial_year, BudgetCommitmentCluster.amount_pence
    )
    assert sorted(int(s["amount_pence"]) for s in splits) == [20_000_00, 60_000_00, 60_000_00, 100_000_00]
    [version] = await ContractVersion.select().where(ContractVersion.contract == contract_id).output(load_json=True)
    assert version["particulars"]["allocations"]["2027-28"] == {"Cardiff East": 100_000_00, "Cardiff West": 20_000_00}
    assert len(await _audited("contract.allocated", contract_id)) == 1


async def test_kpi_thresholds_and_the_activity_plan_are_set_while_mobilising_only():
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(
        years=(2027,), directions=("higher_is_better", "lower_is_better"), commissioner=commissioner
    )
    higher, lower = [
        k["id"]
        for k in await ContractKpi.select().where(ContractKpi.contract == contract_id).order_by(ContractKpi.position)
    ]
    before = await _snapshot(contract_id)

    def thresholds(higher_green: str, lower_green: str) -> KpiThresholdsIn:
        return KpiThresholdsIn(
            thresholds=[KpiThresholdPairIn(higher, higher_green, "70"), KpiThresholdPairIn(lower, lower_green, "10")],
            activity=[ActivityPlanIn(2027, 1, 120), ActivityPlanIn(2027, 2, 130)],
        )

    for bad, field in (
        (thresholds("69.9", "5"), f"thresholds.{higher}.green_from"),
        (thresholds("85", "10.5"), f"thresholds.{lower}.green_from"),
        (thresholds("eighty", "5"), f"thresholds.{higher}.green_from"),
    ):
        with pytest.raises(RuleBroken) as refused:
            await lifecycle.set_kpis(actor=commissioner, contract_id=contract_id, data=bad, now=IN_TERM)
        assert refused.value.field == field
        assert await _snapshot(contract_id) == before

    await lifecycle.set_kpis(actor=commissioner, contract_id=contract_id, data=thresholds("70", "10"), now=IN_TERM)

    kpis = await ContractKpi.select().where(ContractKpi.contract == contract_id).order_by(ContractKpi.position)
    assert [(k["green_from"], k["red_from"]) for k in kpis] == [("70", "70"), ("10", "10")]
    plan = (
        await ContractActivity.select()
        .where(ContractActivity.contract == contract_id)
        .order_by(ContractActivity.quarter)
    )
    assert [(p["quarter"], p["units"]) for p in plan] == [(1, 120), (2, 130)]
    versions = await ContractVersion.select().where(ContractVersion.contract == contract_id).output(load_json=True)
    assert len(versions) == 1  # a mobilisation edit, not a variation
    assert versions[0]["particulars"]["kpis"][0]["green_from"] == "70"

    await lifecycle.mobilise_contract(actor=commissioner, contract_id=contract_id, now=IN_TERM)
    with pytest.raises(Conflict, match="while mobilising"):
        await lifecycle.set_kpis(actor=commissioner, contract_id=contract_id, data=thresholds("90", "5"), now=IN_TERM)
    with pytest.raises(Conflict, match="while mobilising"):
        await lifecycle.set_allocations(
            actor=commissioner,
            contract_id=contract_id,
            data=AllocationSplitIn(percentages=[SplitPercentIn(1, "100")]),
            now=IN_TERM,
        )


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.COMMISSIONER, {"pcpg_names": ("Vale of Glamorgan",)}),
        (Role.PROVIDER, {}),
        (Role.FINANCE_DIRECTOR, {}),
    ],
)
async def test_someone_who_does_not_manage_the_contract_cannot_move_it_it_is_not_found(role, scope):
    contract_id = await cs.contract()
    outsider = await make_actor(role, **scope)
    before = await _snapshot(contract_id)
    for move in ("mobilise", "suspend", "resume", "terminate"):
        with pytest.raises(NotFound):
            await _move(move, outsider, contract_id)
    with pytest.raises(NotFound):
        await lifecycle.termination_preview(
            actor=outsider, contract_id=contract_id, terminated_on=date(2027, 6, 30), now=IN_TERM
        )
    assert await _snapshot(contract_id) == before
