"""Earned autonomy's services (issue 15, item 5): a commissioner's override and its lifting, the quarterly recompute
by the clock (once a quarter, an override holding), the audit and the notices, and the return schedule following
the tier from the next quarter while returns under way keep their shape."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from contracts.autonomy_rules import AutonomyTier
from contracts.tables import ContractKpi, TierRecompute, VehicleTier
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from notifications.tables import Notification
from returns.autonomy.performance import red_free_by_vehicle
from returns.autonomy.queries import get_vehicle_autonomy
from returns.autonomy.services import lift_tier_override, recompute_tiers, set_tier_override
from returns.queries.payments import get_payment
from returns.rules import PaymentStatus, ReturnStatus
from returns.services.schedule import sync_returns
from returns.tables import DeliveryReturn, ReturnKpiValue
from tests import contracts_support_lifecycle as cs
from tests import returns_support_autonomy as rs
from tests import returns_support_payments as ps
from tests.conftest import make_actor

IN_Q2 = cs.at(date(2027, 8, 10))


async def test_an_override_reshapes_the_returns_from_the_next_quarter_and_is_audited_and_told():
    v = await rs.vehicle()
    assert await rs.returns_of(v.contract_id) == [(q, 1, False, "not_started") for q in (1, 2, 3, 4)]

    out = await set_tier_override(
        actor=v.commissioner,
        delivery_vehicle_id=v.id,
        tier=AutonomyTier.HIGH,
        reason="Excellent annual review",
        now=rs.IN_Q1,
    )

    assert (out.tier, out.next_tier, out.overridden) == (AutonomyTier.STANDARD, AutonomyTier.HIGH, True)
    # Q1 keeps its tier (the decision applies from Q2); Q2 is the half year's only quarter under the new tier
    assert await rs.returns_of(v.contract_id) == [
        (1, 1, False, "not_started"),
        (2, 1, True, "not_started"),
        (4, 2, True, "not_started"),
    ]
    event = await AuditEvent.select().where(AuditEvent.action == "autonomy.tier_overridden").first()
    assert event is not None and event["actor_username"] == v.commissioner.username
    told = await Notification.select(Notification.user, Notification.subject).where(
        Notification.kind == "autonomy_tier_changed"
    )
    assert {row["user"] for row in told} >= {v.manager.user_id, v.commissioner.user_id}
    assert "Q2 2027-28" in told[0]["subject"]


async def test_a_return_already_under_way_keeps_its_shape_when_the_tier_changes():
    v = await rs.vehicle()
    await ps.set_return_status(v.contract_id, 2027, 3, ReturnStatus.DRAFT.value)

    await set_tier_override(
        actor=v.commissioner, delivery_vehicle_id=v.id, tier=AutonomyTier.HIGH, reason="Strong results", now=rs.IN_Q1
    )

    assert await rs.returns_of(v.contract_id) == [
        (1, 1, False, "not_started"),
        (2, 1, True, "not_started"),
        (3, 1, False, "draft"),
        (4, 1, True, "not_started"),
    ]


async def test_the_override_needs_a_reason_and_a_commissioner_of_a_pcpg_the_vehicle_serves():
    v = await rs.vehicle()
    with pytest.raises(RuleBroken) as refused:
        await set_tier_override(
            actor=v.commissioner, delivery_vehicle_id=v.id, tier=AutonomyTier.HIGH, reason="  ", now=rs.IN_Q1
        )
    assert refused.value.field == "reason"
    elsewhere = await make_actor(Role.COMMISSIONER, username="swansea", pcpg_names=("Swansea Bay",))
    with pytest.raises(NotFound):
        await set_tier_override(
            actor=elsewhere, delivery_vehicle_id=v.id, tier=AutonomyTier.HIGH, reason="Why not", now=rs.IN_Q1
        )
    with pytest.raises(NotAllowed):
        await set_tier_override(
            actor=v.manager, delivery_vehicle_id=v.id, tier=AutonomyTier.HIGH, reason="We are good", now=rs.IN_Q1
        )
    assert await VehicleTier.count() == 0
    assert not await AuditEvent.exists().where(AuditEvent.action == "autonomy.tier_overridden")


async def test_the_recompute_runs_once_a_quarter_and_an_override_holds():
    v = await rs.vehicle()
    await set_tier_override(
        actor=v.commissioner, delivery_vehicle_id=v.id, tier=AutonomyTier.HIGH, reason="Strong results", now=rs.IN_Q1
    )

    assert await recompute_tiers(now=IN_Q2) == 0  # no levels confirmed: it would earn standard, but the override holds
    assert await recompute_tiers(now=IN_Q2) == 0
    assert await TierRecompute.count() == 1
    assert await VehicleTier.count() == 1
    out = await get_vehicle_autonomy(actor=v.manager, delivery_vehicle_id=v.id, now=IN_Q2)
    assert (out.tier, out.next_tier, out.earned) == (AutonomyTier.HIGH, AutonomyTier.HIGH, AutonomyTier.STANDARD)


async def test_the_recompute_moves_a_vehicle_to_the_tier_it_earns_from_the_next_quarter_once():
    v = await rs.vehicle()
    await rs.tier_row(v.id, "high", (2027, 1))
    await sync_returns(actor=v.commissioner, contract_id=v.contract_id, now=rs.IN_Q1)
    assert await rs.returns_of(v.contract_id) == [(2, 2, True, "not_started"), (4, 2, True, "not_started")]

    assert await recompute_tiers(now=IN_Q2) == 1
    assert await recompute_tiers(now=IN_Q2) == 0  # the same quarter again changes nothing

    rows = await VehicleTier.select().order_by(VehicleTier.id)
    assert [(r["tier"], r["financial_year"], r["quarter"], r["source"]) for r in rows][-1] == (
        "standard",
        2027,
        3,
        "computed",
    )
    assert await rs.returns_of(v.contract_id) == [
        (2, 2, True, "not_started"),
        (3, 1, False, "not_started"),
        (4, 1, False, "not_started"),
    ]
    assert await AuditEvent.exists().where(AuditEvent.action == "autonomy.tier_recomputed")
    assert await AuditEvent.exists().where(AuditEvent.action == "autonomy.tiers_recomputed")
    assert await Notification.exists().where(
        (Notification.kind == "autonomy_tier_changed") & (Notification.user == v.manager.user_id)
    )
    assert await recompute_tiers(now=cs.at(date(2027, 11, 1))) == 0  # next quarter: runs, nothing to change
    assert await TierRecompute.count() == 2


async def test_lifting_an_override_gives_back_the_earned_tier_and_only_an_override_can_be_lifted():
    v = await rs.vehicle()
    with pytest.raises(Conflict):
        await lift_tier_override(actor=v.commissioner, delivery_vehicle_id=v.id, reason="Nothing", now=rs.IN_Q1)
    await set_tier_override(
        actor=v.commissioner, delivery_vehicle_id=v.id, tier=AutonomyTier.HIGH, reason="Strong results", now=rs.IN_Q1
    )
    out = await lift_tier_override(actor=v.commissioner, delivery_vehicle_id=v.id, reason="Review over", now=IN_Q2)
    assert (out.overridden, out.next_tier) == (False, AutonomyTier.STANDARD)
    assert out.history[0].source_label == "Override lifted"
    assert await AuditEvent.exists().where(AuditEvent.action == "autonomy.override_lifted")


async def test_a_half_yearly_return_once_accepted_makes_both_its_quarters_payable():
    v = await rs.vehicle()
    await rs.tier_row(v.id, "high", (2027, 1))
    await sync_returns(actor=v.commissioner, contract_id=v.contract_id, now=rs.IN_Q1)
    finance = await ps.finance_director()
    late = date(2027, 12, 1)

    async def state(quarter: int) -> PaymentStatus:
        found = await get_payment(
            actor=finance, contract_id=v.contract_id, financial_year=2027, quarter=quarter, now=cs.at(late)
        )
        return found.status

    assert [await state(q) for q in (1, 2, 3)] == [PaymentStatus.SCHEDULED] * 3
    await ps.accept(v.contract_id, 2027, 2)
    assert [await state(q) for q in (1, 2, 3)] == [
        PaymentStatus.PAYABLE,
        PaymentStatus.PAYABLE,
        PaymentStatus.SCHEDULED,
    ]
    payment = await get_payment(
        actor=finance, contract_id=v.contract_id, financial_year=2027, quarter=1, now=cs.at(late)
    )
    assert payment.period_from == date(2027, 4, 1) and payment.period_to == date(2027, 9, 30)


async def test_red_free_quarters_count_accepted_returns_without_a_red_kpi_back_from_the_last_quarter():
    v = await rs.vehicle()
    await ContractKpi.update({ContractKpi.green_from: "80", ContractKpi.red_from: "50"}).where(
        ContractKpi.contract == v.contract_id
    )
    kpi = await ContractKpi.select(ContractKpi.id).where(ContractKpi.contract == v.contract_id).first()
    assert kpi is not None
    for quarter, value in ((1, "90"), (2, "49"), (3, "60")):
        return_id = await ps.accept(v.contract_id, 2027, quarter)
        await ReturnKpiValue(delivery_return=return_id, contract_kpi=kpi["id"], value=value).save()

    assert await red_free_by_vehicle([v.id], (2027, 3)) == {v.id: 1}  # amber counts; Q2 was red
    assert await red_free_by_vehicle([v.id], (2027, 1)) == {v.id: 1}
    assert await red_free_by_vehicle([v.id], (2027, 4)) == {v.id: 0}  # Q4 not accepted: the run is broken
    await DeliveryReturn.update({DeliveryReturn.status: "submitted"}).where(
        (DeliveryReturn.contract == v.contract_id) & (DeliveryReturn.quarter == 3)
    )
    assert await red_free_by_vehicle([v.id], (2027, 3)) == {v.id: 0}  # submitted is not accepted


async def test_the_apps_hourly_job_recomputes_the_tiers_at_start_up_and_cdv_can_too():
    import asyncio

    from api.cli import parser
    from contracts.expiry import hourly_expiry

    async with hourly_expiry(False, every_seconds=3600)(None):  # negative control: no clock work given
        await asyncio.sleep(0.2)
    assert await TierRecompute.count() == 0
    async with hourly_expiry(False, every_seconds=3600, also=(recompute_tiers,))(None):
        for _ in range(100):
            if await TierRecompute.count():
                break
            await asyncio.sleep(0.05)
    assert await TierRecompute.count() == 1
    assert parser().parse_args(["autonomy", "recompute"]).run.__name__ == "_cmd_autonomy_recompute"
