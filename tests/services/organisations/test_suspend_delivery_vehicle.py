"""A national administrator suspends an approved delivery vehicle with a reason (it cannot bid meanwhile, and the bid
service says why), and reinstates it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from audit.tables import AuditEvent
from core.errors import Conflict, DomainError, NotAllowed, NotFound, RuleBroken
from core.public_ids import is_public_id
from notifications.tables import Notification
from organisations.schemas import DeliveryVehicleDecisionIn, SuspensionIn
from organisations.services import (
    approve_delivery_vehicle,
    reinstate_delivery_vehicle,
    suspend_delivery_vehicle,
)
from organisations.tables import DeliveryVehicle
from tests import bidding_support as b
from tests import factories
from tests.api.audit_writes.menu import on_the_menu
from tests.conftest import make_actor

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
REASON = "Insurance certificate lapsed"


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _status(vehicle_id: int) -> str:
    row = await DeliveryVehicle.select(DeliveryVehicle.status).where(DeliveryVehicle.id == vehicle_id).first()
    return row["status"]


async def test_a_suspended_vehicle_shows_why_since_when_and_by_whom_and_its_managers_are_told():
    admin = await make_actor("national_admin", full_name="Alys Morgan")
    vehicle = await factories.create_vehicle(name="Bay Health CIC")
    manager = await make_actor("provider", delivery_vehicle_id=vehicle.id, language="cy")
    out = await suspend_delivery_vehicle(
        actor=admin, delivery_vehicle_id=vehicle.id, data=SuspensionIn(reason=f"  {REASON} "), now=NOW
    )
    assert (out.status, out.suspended_at, out.suspended_by_name, out.suspension_reason) == (
        "suspended",
        NOW,
        "Alys Morgan",
        REASON,
    )
    assert (out.can_suspend, out.can_reinstate) == (False, True)
    (event,) = await AuditEvent.select().where(AuditEvent.action == "delivery_vehicle.suspended")
    assert (event["entity_id"], event["actor_username"]) == (str(vehicle.id), admin.username)
    assert (_json(event["before"]), _json(event["after"])) == (
        {"name": "Bay Health CIC", "status": "approved"},
        {"status": "suspended", "reason": REASON},
    )
    (notice,) = await Notification.select().where(Notification.user == manager.user_id)
    assert notice["language"] == "cy"
    assert REASON in notice["body"]


async def test_a_suspended_vehicle_cannot_bid_and_is_told_why_and_bids_again_once_reinstated():
    await on_the_menu()
    deal = await b.tender()
    bidder = await b.provider("Alpha Care CIC")
    admin = await make_actor("national_admin")
    await suspend_delivery_vehicle(
        actor=admin, delivery_vehicle_id=bidder.delivery_vehicle_id, data=SuspensionIn(reason=REASON), now=b.BEFORE
    )
    with pytest.raises(NotAllowed) as refused:
        await b.bid(bidder, deal)
    assert refused.value.message == (
        "Your delivery vehicle is suspended, so it cannot bid until a national administrator reinstates it"
    )
    assert await AuditEvent.count().where(AuditEvent.action.like("bid.%")) == 0
    out = await reinstate_delivery_vehicle(actor=admin, delivery_vehicle_id=bidder.delivery_vehicle_id, now=b.BEFORE)
    assert (out.status, out.suspended_at, out.suspension_reason, out.can_suspend) == ("approved", None, "", True)
    assert is_public_id(await b.bid(bidder, deal))  # the bid is made again
    events = await AuditEvent.select(AuditEvent.action).where(AuditEvent.action.like("delivery_vehicle.%"))
    assert [e["action"] for e in events] == ["delivery_vehicle.suspended", "delivery_vehicle.reinstated"]


async def _refused(error: type[DomainError], *, status: str = "approved", role: str = "national_admin", **data):
    actor = await make_actor(role)
    vehicle = await factories.create_vehicle(status=status)
    before = await AuditEvent.count()
    with pytest.raises(error) as refused:
        await suspend_delivery_vehicle(
            actor=actor, delivery_vehicle_id=vehicle.id, data=SuspensionIn(**{"reason": REASON, **data}), now=NOW
        )
    assert (await AuditEvent.count(), await _status(vehicle.id)) == (before, status)
    return refused.value


async def test_a_suspension_without_a_reason_is_refused_naming_the_field():
    error = await _refused(RuleBroken, reason="   ")
    assert (error.field, error.message) == ("reason", "Give the reason for suspending the delivery vehicle")


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
async def test_only_an_approved_vehicle_is_suspended(status):
    error = await _refused(Conflict, status=status)
    assert error.message == "Only an approved delivery vehicle can be suspended: this one is %(status)s"


@pytest.mark.parametrize("role", ["commissioner", "finance_director", "provider", "evaluator"])
async def test_only_a_national_administrator_suspends(role):
    await _refused(NotAllowed, role=role)


async def test_an_unknown_vehicle_is_not_found():
    admin = await make_actor("national_admin")
    for vehicle_id in (999_999, 2**40):
        with pytest.raises(NotFound):
            await suspend_delivery_vehicle(
                actor=admin, delivery_vehicle_id=vehicle_id, data=SuspensionIn(reason=REASON), now=NOW
            )


@pytest.mark.parametrize("status", ["pending", "approved", "rejected"])
async def test_only_a_suspended_vehicle_is_reinstated(status):
    admin = await make_actor("national_admin")
    vehicle = await factories.create_vehicle(status=status)
    with pytest.raises(Conflict):
        await reinstate_delivery_vehicle(actor=admin, delivery_vehicle_id=vehicle.id, now=NOW)
    assert await _status(vehicle.id) == status


async def test_a_commissioner_cannot_reinstate_nor_approve_a_suspended_vehicle():
    commissioner = await make_actor("commissioner")
    vehicle = await factories.create_vehicle(status="suspended")
    with pytest.raises(NotAllowed):
        await reinstate_delivery_vehicle(actor=commissioner, delivery_vehicle_id=vehicle.id, now=NOW)
    with pytest.raises(Conflict):
        await approve_delivery_vehicle(
            actor=commissioner, delivery_vehicle_id=vehicle.id, decision=DeliveryVehicleDecisionIn(), now=NOW
        )
    assert await _status(vehicle.id) == "suspended"
