"""Every list and page of delivery vehicles, budgets, the audit trail and the inbox reads the same number of times
with 50 rows as with 1: nothing is fetched row by row (issue 9)."""

from __future__ import annotations

from itertools import count

from organisations.tables import DeliveryVehicle, DeliveryVehicleCluster
from tests import factories
from tests.pages.query_counts import counting_queries, queries_do_not_grow, queries_for

_names = count(1)


async def _vehicles(n: int) -> None:
    """n waiting vehicles, each serving two Cardiff clusters, in two inserts."""
    clusters = await factories.cluster_ids("Cardiff North", "Cardiff East")
    rows = [
        factories.DeliveryVehicleFactory(status="pending", name=f"Vehicle {next(_names):03d} CIC") for _ in range(n)
    ]
    saved = await DeliveryVehicle.insert(*rows).returning(DeliveryVehicle.id)
    await DeliveryVehicleCluster.insert(
        *[DeliveryVehicleCluster(delivery_vehicle=row["id"], cluster=cluster) for row in saved for cluster in clusters]
    )


async def test_the_counter_sees_the_queries_a_page_sends_negative_control(client_as):
    admin, _ = await client_as("national_admin")
    async with counting_queries() as counted:
        pass
    assert counted.count == 0
    assert await queries_for(admin, "/delivery-vehicles") > 0


async def test_the_delivery_vehicle_list_reads_as_often_with_50_vehicles_as_with_1(client_as):
    for role in ("national_admin", "commissioner", "finance_director"):
        reader, _ = await client_as(role)
        few, many = await queries_do_not_grow(reader, "/delivery-vehicles", _vehicles)
        assert few == many, role
        await DeliveryVehicleCluster.delete(force=True)
        await DeliveryVehicle.delete(force=True)


async def test_the_dashboard_reads_as_often_with_50_pending_vehicles_as_with_1(client_as):
    commissioner, _ = await client_as("commissioner")
    few, many = await queries_do_not_grow(commissioner, "/dashboard", _vehicles)
    assert few == many
