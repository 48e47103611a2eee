"""A finance director's decisions on quarterly payments (issue 13, item 4): when a payment is due, approving it
(actual spend on the ledger and by cluster, to the penny), separation of duties, withholding and releasing, scope."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.actor import Actor, Role
from audit.tables import AuditEvent
from contracts.tables import ContractAllocation
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from returns.queries.payments import get_payment, list_payments
from returns.rules import PaymentStatus
from returns.services.payments import approve_payment, release_payment, withhold_payment
from returns.tables import Payment, PaymentCluster
from tests import contracts_support_lifecycle as cs
from tests import returns_support_payments as ps

QUARTER = 30_000_00  # a quarter of £120,000 a year


async def _state(actor: Actor, contract_id: int, quarter: int, day: date) -> PaymentStatus:
    found = await get_payment(
        actor=actor, contract_id=contract_id, financial_year=2027, quarter=quarter, now=cs.at(day)
    )
    return found.status


async def test_in_advance_a_payment_is_due_from_its_quarters_first_day_and_not_the_day_before():
    contract_id = await cs.contract(years=(2027,))
    await ps.pay_in_advance(contract_id)
    finance = await ps.finance_director()
    assert await _state(finance, contract_id, 2, date(2027, 6, 30)) is PaymentStatus.SCHEDULED
    assert await _state(finance, contract_id, 2, date(2027, 7, 1)) is PaymentStatus.PAYABLE
    due = await list_payments(actor=finance, now=cs.at(date(2027, 7, 1)), status="payable")
    assert [(p.quarter, p.amount_pence) for p in due.items] == [(1, QUARTER), (2, QUARTER)]
    assert due.total == 2 and due.amount_pence == 2 * QUARTER
    with pytest.raises(Conflict):
        await approve_payment(
            actor=finance, contract_id=contract_id, financial_year=2027, quarter=3, now=cs.at(date(2027, 7, 1))
        )


async def test_in_arrears_a_payment_is_due_only_once_its_return_is_accepted():
    contract_id = await cs.contract(years=(2027,))
    finance = await ps.finance_director()
    late = date(2028, 3, 1)
    assert await _state(finance, contract_id, 1, late) is PaymentStatus.SCHEDULED
    await ps.set_return_status(contract_id, 2027, 1, "submitted")
    assert await _state(finance, contract_id, 1, late) is PaymentStatus.SCHEDULED
    await ps.accept(contract_id, 2027, 1)
    assert await _state(finance, contract_id, 1, date(2027, 7, 1)) is PaymentStatus.PAYABLE
    listed = await list_payments(actor=finance, now=cs.at(late))
    assert [(p.quarter, p.status) for p in listed.items][:2] == [
        (1, PaymentStatus.PAYABLE),
        (2, PaymentStatus.SCHEDULED),
    ]


async def test_approving_moves_the_amount_from_committed_to_actual_and_splits_it_across_clusters_to_the_penny():
    contract_id = await cs.contract(years=(2027,), value_pence=100_000_01)  # quarters of £25,000.01 and £25,000.00
    line = await ps.line_of(contract_id, 2027)
    before = await ps.ledger(line)
    await ps.accept(contract_id, 2027, 1)
    finance = await ps.finance_director()
    paid = await approve_payment(
        actor=finance, contract_id=contract_id, financial_year=2027, quarter=1, now=cs.at(date(2027, 8, 1))
    )
    after = await ps.ledger(line)
    assert paid.status is PaymentStatus.APPROVED and paid.amount_pence == 25_000_01
    assert after.actual_pence - before.actual_pence == 25_000_01
    assert after.committed_unspent_pence == before.committed_unspent_pence - 25_000_01
    assert after.headroom_pence == before.headroom_pence
    assert after.budget_pence == (
        after.earmarked_pence + after.committed_unspent_pence + after.actual_pence + after.headroom_pence
    )
    parts = await PaymentCluster.select().where(PaymentCluster.payment.contract == contract_id)
    assert sum(int(p["amount_pence"]) for p in parts) == 25_000_01 and len(parts) == 2
    year = {
        a["cluster"]: int(a["amount_pence"])
        for a in await ContractAllocation.select().where(ContractAllocation.contract == contract_id)
    }
    for part in parts:  # in the proportions of the year's split, within a penny
        assert abs(int(part["amount_pence"]) * sum(year.values()) - 25_000_01 * year[part["cluster"]]) < sum(
            year.values()
        )
    assert [c.amount_pence for c in paid.clusters] == [
        int(p["amount_pence"]) for p in sorted(parts, key=lambda p: p["cluster"])
    ]
    event = await AuditEvent.select().where(AuditEvent.action == "payment.approved").first()
    assert event is not None and event["actor_username"] == finance.username
    with pytest.raises(Conflict):  # approved is final: never twice
        await approve_payment(
            actor=finance, contract_id=contract_id, financial_year=2027, quarter=1, now=cs.at(date(2027, 8, 1))
        )


async def test_whoever_accepted_the_return_cannot_approve_its_payment():
    """One account has one role (accounts.actor): a commissioner who accepts cannot hold a finance director's right,
    so the service's refusal is shown with a crafted actor holding both, as a later change of roles would make."""
    commissioner = await ps.make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(years=(2027,))
    await ps.accept(contract_id, 2027, 1, by=commissioner.username)
    finance = await ps.finance_director()
    both = Actor(
        user_id=commissioner.user_id,
        username=commissioner.username,
        role=Role.FINANCE_DIRECTOR,
        health_board_id=finance.health_board_id,
    )
    day = cs.at(date(2027, 8, 1))
    with pytest.raises(NotAllowed):
        await approve_payment(actor=both, contract_id=contract_id, financial_year=2027, quarter=1, now=day)
    assert await Payment.count() == 0
    found = await get_payment(actor=both, contract_id=contract_id, financial_year=2027, quarter=1, now=day)
    assert "someone else must approve" in found.refused_approval and "approve" not in [a.action for a in found.actions]
    await approve_payment(
        actor=finance, contract_id=contract_id, financial_year=2027, quarter=1, now=day
    )  # another may
    assert await Payment.count() == 1


async def test_a_withheld_payment_is_not_spent_until_released_and_approved():
    contract_id = await cs.contract(years=(2027,))
    line = await ps.line_of(contract_id, 2027)
    await ps.accept(contract_id, 2027, 1)
    finance = await ps.finance_director()
    day = cs.at(date(2027, 8, 1))
    where = {"actor": finance, "contract_id": contract_id, "financial_year": 2027, "quarter": 1, "now": day}
    with pytest.raises(RuleBroken):
        await withhold_payment(**where, reason="  ")
    held = await withhold_payment(**where, reason="KPI 1 red two quarters running")
    assert held.status is PaymentStatus.WITHHELD and held.reason == "KPI 1 red two quarters running"
    assert (await ps.ledger(line)).actual_pence == 0
    with pytest.raises(Conflict):
        await approve_payment(**where)
    assert [p.quarter for p in (await list_payments(actor=finance, now=day, status="withheld")).items] == [1]
    released = await release_payment(**where, reason="Recovery plan agreed")
    assert released.status is PaymentStatus.PAYABLE and released.released and released.reason == "Recovery plan agreed"
    with pytest.raises(Conflict):
        await release_payment(**where, reason="Again")
    await approve_payment(**where)
    assert (await ps.ledger(line)).actual_pence == QUARTER
    actions = [e["action"] for e in await AuditEvent.select().order_by(AuditEvent.sequence)]
    assert actions[-3:] == ["payment.withheld", "payment.released", "payment.approved"]


async def test_another_health_boards_finance_director_finds_no_such_payment():
    contract_id = await cs.contract(years=(2027,))
    await ps.accept(contract_id, 2027, 1)
    other = await ps.finance_director("Swansea Bay University Health Board")
    day = cs.at(date(2027, 8, 1))
    with pytest.raises(NotFound):
        await approve_payment(actor=other, contract_id=contract_id, financial_year=2027, quarter=1, now=day)
    with pytest.raises(NotFound):
        await get_payment(actor=other, contract_id=contract_id, financial_year=2027, quarter=1, now=day)
    assert (await list_payments(actor=other, now=day)).total == 0
    assert (await list_payments(actor=await ps.finance_director(), now=day)).total == 4
    admin = await ps.make_actor(Role.NATIONAL_ADMIN)  # reads every payment, decides none
    with pytest.raises(NotFound):
        await approve_payment(actor=admin, contract_id=contract_id, financial_year=2027, quarter=1, now=day)
    assert await Payment.count() == 0
