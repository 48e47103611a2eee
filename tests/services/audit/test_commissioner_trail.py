"""A commissioner's audit trail holds the events of the delivery vehicles serving their PCPG's clusters."""

from __future__ import annotations

from datetime import UTC, datetime

from accounts.actor import Role
from audit.queries import list_audit_events
from organisations.schemas import DeliveryVehicleIn
from organisations.services import register_delivery_vehicle
from tests import factories
from tests.conftest import make_actor

NOW = datetime.now(UTC)


async def _register(name: str, cluster: str, number: str) -> int:
    provider = await make_actor(Role.PROVIDER)
    vehicle = await register_delivery_vehicle(
        actor=provider,
        data=DeliveryVehicleIn(
            name=name,
            legal_form="cic",
            companies_house_number=number,
            cluster_ids=await factories.cluster_ids(cluster),
            contact_name="A Person",
            contact_email="a@example.org",
        ),
        now=NOW,
    )
    return vehicle.id


async def test_a_commissioner_sees_registrations_of_vehicles_serving_their_clusters_and_no_others():
    cardiff_vehicle = await _register("Cardiff Care CIC", "Cardiff North", "11112222")
    swansea_vehicle = await _register("Bay Care CIC", "Penderi", "33334444")
    cardiff = await make_actor(Role.COMMISSIONER)
    seen = {(e.action, e.entity_id) for e in (await list_audit_events(actor=cardiff, limit=200)).items}
    assert ("delivery_vehicle.registered", str(cardiff_vehicle)) in seen
    assert ("delivery_vehicle.registered", str(swansea_vehicle)) not in seen
