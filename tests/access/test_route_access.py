"""Every route x every role: allowed, asked to sign in, refused (403), or not found by scope (404).

The cases come from the app's own route map, so a route without an entry in ROUTES (tests/access/routes.py)
fails here until someone decides who may use it. Scope (which rows a role sees) is tested by name further down.
"""

from __future__ import annotations

import re

import pytest

from audit.tables import AuditEvent
from organisations.tables import DeliveryVehicle
from tests import factories
from tests.access.routes import APP_ROUTES, ROLES, ROUTES, arrange, fill, mismatch
from tests.access.test_issue3_access import ROUTES as ISSUE3_ROUTES
from tests.conftest import csrf_from


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def test_every_route_of_the_app_has_an_entry_saying_who_may_use_it():
    """Here, or in the issue 3 table of tests/access/test_issue3_access.py (which names its parameters its own way)."""
    elsewhere = {(route.method, _shape(route.path)) for route in ISSUE3_ROUTES}
    missing = [
        f"{method} {path}"
        for method, path in APP_ROUTES
        if (method, path) not in ROUTES and (method, _shape(path)) not in elsewhere
    ]
    assert not missing, f"add these to ROUTES in tests/access/routes.py with who may use them: {missing}"


def test_the_table_has_no_route_the_app_no_longer_has():
    stale = sorted(set(ROUTES) - set(APP_ROUTES))
    assert not stale, f"remove these from ROUTES: {stale}"


COVERED = [route for route in APP_ROUTES if route in ROUTES]


@pytest.mark.parametrize("route", COVERED, ids=[f"{method} {path}" for method, path in COVERED])
async def test_each_role_gets_the_answer_the_table_gives_for_the_route(app, route):
    method, path = route
    entry = ROUTES[route]
    assert set(entry.expected) == set(ROLES)
    wrong = {}
    for role in ROLES:
        http, scenario = await arrange(app, role, entry)
        try:
            response = await http.request(method, await fill(path, entry, scenario), **entry.body(scenario))
        finally:
            await http.aclose()
        problem = mismatch(entry.expected[role], response, path)
        if problem:
            wrong[role] = problem
    assert not wrong, wrong


# Scope: a role that uses a route still sees only its own rows; everyone else's are "not found".


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


async def test_a_commissioners_audit_trail_shows_only_events_tagged_with_their_pcpg(client_as):
    cardiff, swansea = await _vehicle("Cardiff North"), await _vehicle("Afan")
    admin, _ = await client_as("national_admin")
    for vehicle_id in (cardiff, swansea):
        response = await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/approve", json={})
        assert response.status_code == 200
    everything = (await admin.get("/api/v1/audit/events")).json()
    assert {e["entity_id"] for e in everything["items"] if e["action"] == "delivery_vehicle.approved"} == {
        str(cardiff),
        str(swansea),
    }
    commissioner, _ = await client_as("commissioner")
    scoped = (await commissioner.get("/api/v1/audit/events")).json()
    assert [(e["action"], e["entity_id"]) for e in scoped["items"]] == [("delivery_vehicle.approved", str(cardiff))]
    assert scoped["total"] == 1 < everything["total"]
    page = (await commissioner.get("/audit")).text
    assert f"DeliveryVehicle {cardiff}" in page
    assert f"DeliveryVehicle {swansea}" not in page


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


async def test_only_a_national_admin_can_verify_the_audit_chain(client_as):
    await factories.create_vehicle(status="pending")
    admin, _ = await client_as("national_admin")
    await admin.put("/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    report = (await admin.get("/api/v1/audit/verify")).json()
    assert report["intact"] is True
    assert report["events"] == await AuditEvent.count() > 0
    assert "nhsuk-inset-text" in (await admin.get("/audit")).text
    for role in ("commissioner", "evaluator", "provider", "finance_director"):
        other, _ = await client_as(role)
        assert (await other.get("/api/v1/audit/verify")).status_code == 403, role
    commissioner, _ = await client_as("commissioner")
    assert "is intact" not in (await commissioner.get("/audit")).text
