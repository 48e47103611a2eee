"""The choice of provider for a direct award: every approved vehicle the reader may see, however many, by name."""

from __future__ import annotations

from accounts.actor import Role
from organisations.queries import list_approved_vehicles
from organisations.tables import DeliveryVehicle, DeliveryVehicleCluster
from tests import factories
from tests.conftest import make_actor


async def _vehicles(n: int, *, status: str, cluster: str, prefix: str) -> None:
    """n vehicles serving one cluster, in two inserts."""
    (cluster_id,) = await factories.cluster_ids(cluster)
    rows = [factories.DeliveryVehicleFactory(status=status, name=f"{prefix} {i:03d} CIC") for i in range(n)]
    saved = await DeliveryVehicle.insert(*rows).returning(DeliveryVehicle.id)
    await DeliveryVehicleCluster.insert(
        *[DeliveryVehicleCluster(delivery_vehicle=row["id"], cluster=cluster_id) for row in saved]
    )


async def test_every_approved_vehicle_serving_the_commissioners_pcpg_is_listed_past_two_hundred():
    await _vehicles(205, status="approved", cluster="Cardiff North", prefix="Cardiff")
    await _vehicles(3, status="pending", cluster="Cardiff North", prefix="Waiting")
    await _vehicles(2, status="approved", cluster="CityHealth", prefix="Swansea")
    commissioner = await make_actor(Role.COMMISSIONER)

    listed = await list_approved_vehicles(actor=commissioner)

    assert len(listed) == 205
    assert [v.name for v in listed[:2]] == ["Cardiff 000 CIC", "Cardiff 001 CIC"]
    assert all(v.name.startswith("Cardiff") for v in listed), "neither waiting nor outside the PCPG"
