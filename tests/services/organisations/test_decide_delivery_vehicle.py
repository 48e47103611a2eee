import json
from datetime import UTC, datetime
from typing import Any

import pytest

from accounts.actor import Actor
from audit.tables import AuditEvent
from core.errors import Conflict, NotFound, RuleBroken
from organisations.schemas import DeliveryVehicleDecisionIn
from organisations.services import approve_delivery_vehicle, reject_delivery_vehicle
from organisations.tables import DeliveryVehicle, Pcpg
from tests import factories
from tests.conftest import make_actor

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def _pending(*clusters: str) -> int:
    vehicle = await factories.create_vehicle(status="pending", cluster_names=clusters or ("Cardiff North",))
    return int(vehicle.id)


async def _stored(vehicle_id: int) -> dict[str, Any]:
    row = await DeliveryVehicle.select(
        DeliveryVehicle.status,
        DeliveryVehicle.decided_at,
        DeliveryVehicle.decided_by_username,
        DeliveryVehicle.decision_reason,
    ).where(DeliveryVehicle.id == vehicle_id)
    return row[0]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def test_a_national_admin_approves_a_pending_vehicle():
    admin = await make_actor("national_admin")
    vehicle_id = await _pending()
    vehicle = await approve_delivery_vehicle(
        actor=admin, delivery_vehicle_id=vehicle_id, decision=DeliveryVehicleDecisionIn(), now=NOW
    )
    assert (vehicle.status, vehicle.decided_at, vehicle.decided_by) == ("approved", NOW, admin.username)
    assert await _stored(vehicle_id) == {
        "status": "approved",
        "decided_at": NOW,
        "decided_by_username": admin.username,
        "decision_reason": "",
    }


async def test_approving_is_audited_against_the_pcpg_the_vehicle_serves():
    commissioner = await make_actor("commissioner")
    vehicle_id = await _pending()
    await approve_delivery_vehicle(
        actor=commissioner, delivery_vehicle_id=vehicle_id, decision=DeliveryVehicleDecisionIn(), now=NOW
    )
    event = await AuditEvent.select().where(AuditEvent.action == "delivery_vehicle.approved").first()
    assert event is not None
    assert (event["entity_id"], event["actor_username"], event["occurred_at"]) == (
        str(vehicle_id),
        commissioner.username,
        NOW,
    )
    assert event["pcpg_id"] == await factories.reference_id(Pcpg, "Cardiff")
    assert (_json(event["before"]), _json(event["after"])) == (
        {"status": "pending"},
        {"status": "approved", "reason": ""},
    )


async def test_a_commissioner_approves_a_vehicle_serving_one_of_their_pcpgs_among_others():
    commissioner = await make_actor("commissioner", pcpg_names=("Vale of Glamorgan",))
    vehicle_id = await _pending("Cardiff North", "Central Vale")
    vehicle = await approve_delivery_vehicle(
        actor=commissioner, delivery_vehicle_id=vehicle_id, decision=DeliveryVehicleDecisionIn(), now=NOW
    )
    assert vehicle.status == "approved"


async def test_a_commissioner_rejects_a_vehicle_with_a_reason():
    commissioner = await make_actor("commissioner")
    vehicle_id = await _pending()
    decision = DeliveryVehicleDecisionIn(reason="  Not a registered company  ")
    vehicle = await reject_delivery_vehicle(
        actor=commissioner, delivery_vehicle_id=vehicle_id, decision=decision, now=NOW
    )
    assert (vehicle.status, vehicle.decision_reason) == ("rejected", "Not a registered company")
    event = await AuditEvent.select().where(AuditEvent.action == "delivery_vehicle.rejected").first()
    assert event is not None
    assert _json(event["after"]) == {"status": "rejected", "reason": "Not a registered company"}


async def _refused(actor: Actor, vehicle_id: int, decide: Any, reason: str, error: type[Exception]) -> Any:
    before, events = await _stored(vehicle_id), await AuditEvent.count()
    with pytest.raises(error) as refused:
        await decide(
            actor=actor, delivery_vehicle_id=vehicle_id, decision=DeliveryVehicleDecisionIn(reason=reason), now=NOW
        )
    assert await _stored(vehicle_id) == before, "a refused decision changed the vehicle"
    assert await AuditEvent.count() == events, "a refused decision was audited"
    return refused.value


@pytest.mark.parametrize("reason", ["", "   "])
async def test_rejecting_is_refused_without_a_reason(reason):
    error = await _refused(
        await make_actor("national_admin"), await _pending(), reject_delivery_vehicle, reason, RuleBroken
    )
    assert (error.field, error.message) == ("reason", "Give the reason for rejecting the registration")


@pytest.mark.parametrize("decide", [approve_delivery_vehicle, reject_delivery_vehicle])
async def test_a_commissioner_of_another_pcpg_is_told_the_vehicle_does_not_exist(decide):
    swansea = await make_actor("commissioner", pcpg_names=("Swansea Bay",))
    await _refused(swansea, await _pending(), decide, "Not ours", NotFound)


@pytest.mark.parametrize("role", ["provider", "evaluator", "finance_director"])
async def test_other_roles_are_told_the_vehicle_does_not_exist(role):
    await _refused(await make_actor(role), await _pending(), approve_delivery_vehicle, "", NotFound)


async def test_deciding_on_a_vehicle_that_does_not_exist_is_refused():
    admin = await make_actor("national_admin")
    with pytest.raises(NotFound):
        await approve_delivery_vehicle(
            actor=admin, delivery_vehicle_id=999_999, decision=DeliveryVehicleDecisionIn(), now=NOW
        )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (approve_delivery_vehicle, approve_delivery_vehicle),
        (approve_delivery_vehicle, reject_delivery_vehicle),
        (reject_delivery_vehicle, approve_delivery_vehicle),
    ],
)
async def test_deciding_twice_is_refused_and_keeps_the_first_decision(first, second):
    admin = await make_actor("national_admin")
    vehicle_id = await _pending()
    await first(
        actor=admin, delivery_vehicle_id=vehicle_id, decision=DeliveryVehicleDecisionIn(reason="First"), now=NOW
    )
    error = await _refused(admin, vehicle_id, second, "Second", Conflict)
    assert error.status_code == 409
    assert error.message == "This delivery vehicle has already been %(status)s"
    assert error.params == {"status": "approved" if first is approve_delivery_vehicle else "rejected"}
