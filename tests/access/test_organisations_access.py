"""Scope of delivery vehicles: a role that uses a vehicle route still sees only its own vehicles (a provider's own,
those serving a commissioner's PCPG or a finance director's health board); everyone else's are "not found"."""

from __future__ import annotations

from organisations.tables import DeliveryVehicle
from tests import factories
from tests.conftest import csrf_from


async def _vehicle(*clusters: str, status: str = "pending") -> int:
    return (await factories.create_vehicle(cluster_names=clusters, status=status)).id


async def test_a_provider_cannot_see_another_providers_vehicle(client_as):
    own, other = await _vehicle("Cardiff North"), await _vehicle("Cardiff North")
    provider, _ = await client_as("provider", delivery_vehicle_id=own)
    assert (await provider.get(f"/api/v1/delivery-vehicles/{own}")).status_code == 200
    assert (await provider.get(f"/api/v1/delivery-vehicles/{other}")).status_code == 404
    assert (await provider.get(f"/delivery-vehicles/{own}")).status_code == 200
    assert (await provider.get(f"/delivery-vehicles/{other}")).status_code == 404
    listed = (await provider.get("/api/v1/delivery-vehicles")).json()["items"]
    assert [item["id"] for item in listed] == [own]


async def test_a_provider_without_a_vehicle_sees_none(client_as):
    other = await _vehicle("Cardiff North")
    provider, _ = await client_as("provider")
    assert (await provider.get(f"/api/v1/delivery-vehicles/{other}")).status_code == 404
    assert (await provider.get("/api/v1/delivery-vehicles")).json()["total"] == 0


async def test_a_cardiff_commissioner_can_neither_see_nor_decide_on_a_swansea_bay_vehicle(client_as):
    swansea = await _vehicle("Afan", "BayHealth")
    commissioner, _ = await client_as("commissioner")
    token = csrf_from((await commissioner.get("/sign-in")).text)
    assert (await commissioner.get(f"/api/v1/delivery-vehicles/{swansea}")).status_code == 404
    assert (await commissioner.get(f"/delivery-vehicles/{swansea}")).status_code == 404
    assert (await commissioner.get(f"/delivery-vehicles/{swansea}/approve")).status_code == 404
    assert (await commissioner.post(f"/api/v1/delivery-vehicles/{swansea}/approve", json={})).status_code == 404
    assert (
        await commissioner.post(f"/api/v1/delivery-vehicles/{swansea}/reject", json={"reason": "x"})
    ).status_code == 404
    page_post = await commissioner.post(f"/delivery-vehicles/{swansea}/approve", data={"_csrf_token": token})
    assert page_post.status_code == 404
    assert (await commissioner.get("/api/v1/delivery-vehicles")).json()["total"] == 0
    row = await DeliveryVehicle.select(DeliveryVehicle.status).where(DeliveryVehicle.id == swansea).first()
    assert row == {"status": "pending"}


async def test_a_vehicle_serving_cardiff_and_swansea_bay_is_seen_by_both_commissioners(client_as):
    both = await _vehicle("Cardiff North", "Afan")
    cardiff, _ = await client_as("commissioner")
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    assert (await cardiff.get(f"/api/v1/delivery-vehicles/{both}")).status_code == 200
    assert (await swansea.get(f"/api/v1/delivery-vehicles/{both}")).status_code == 200


async def test_a_cardiff_and_vale_finance_director_cannot_see_a_swansea_bay_vehicle(client_as):
    swansea, cardiff = await _vehicle("Afan"), await _vehicle("Central Vale")
    finance, _ = await client_as("finance_director")
    assert (await finance.get(f"/api/v1/delivery-vehicles/{swansea}")).status_code == 404
    assert (await finance.get(f"/delivery-vehicles/{swansea}")).status_code == 404
    assert (await finance.get(f"/api/v1/delivery-vehicles/{cardiff}")).status_code == 200
    assert (await finance.get(f"/delivery-vehicles/{cardiff}")).status_code == 200
    listed = (await finance.get("/api/v1/delivery-vehicles")).json()["items"]
    assert [item["id"] for item in listed] == [cardiff]


async def test_an_evaluator_uses_neither_delivery_vehicles_nor_the_audit_trail(client_as):
    vehicle_id = await _vehicle("Cardiff North")
    evaluator, _ = await client_as("evaluator")
    for path in (
        "/api/v1/delivery-vehicles",
        f"/api/v1/delivery-vehicles/{vehicle_id}",
        "/delivery-vehicles",
        f"/delivery-vehicles/{vehicle_id}",
        "/api/v1/audit/events",
        "/audit",
    ):
        assert (await evaluator.get(path)).status_code == 403, path
