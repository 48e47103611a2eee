"""Suspending and reinstating a delivery vehicle through the API (national administrators)."""

from __future__ import annotations

import pytest

from tests import factories

PROBLEM = "application/problem+json"


async def test_a_national_admin_suspends_with_a_reason_and_reinstates(client_as):
    admin, _ = await client_as("national_admin")
    vehicle = await factories.create_vehicle()
    provider, _ = await client_as("provider", delivery_vehicle_id=vehicle.id)
    suspended = await admin.post(f"/api/v1/delivery-vehicles/{vehicle.id}/suspend", json={"reason": "Lapsed cover"})
    assert suspended.status_code == 200, suspended.text
    assert (suspended.json()["status"], suspended.json()["suspension_reason"]) == ("suspended", "Lapsed cover")
    seen = (await provider.get(f"/api/v1/delivery-vehicles/{vehicle.id}")).json()
    assert (seen["status"], seen["status_label"]) == ("suspended", "Suspended")
    listed = (await admin.get("/api/v1/delivery-vehicles", params={"status": "suspended"})).json()
    assert [v["id"] for v in listed["items"]] == [vehicle.id]
    again = await admin.post(f"/api/v1/delivery-vehicles/{vehicle.id}/suspend", json={"reason": "Twice"})
    assert (again.status_code, again.headers["content-type"]) == (409, PROBLEM)
    assert again.json()["detail"] == "Only an approved delivery vehicle can be suspended: this one is Suspended"
    reinstated = await admin.post(f"/api/v1/delivery-vehicles/{vehicle.id}/reinstate")
    assert (reinstated.status_code, reinstated.json()["status"]) == (200, "approved")


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "x" * 2001}, {"reason": "ok", "extra": 1}])
async def test_a_missing_or_bad_reason_is_a_problem_naming_the_field(client_as, body):
    admin, _ = await client_as("national_admin")
    vehicle = await factories.create_vehicle()
    response = await admin.post(f"/api/v1/delivery-vehicles/{vehicle.id}/suspend", json=body)
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    assert response.json()["errors"][0]["field"] in ("reason", "extra")


@pytest.mark.parametrize("role", ["commissioner", "finance_director", "provider", "evaluator"])
async def test_no_other_role_suspends_or_reinstates(client_as, role):
    vehicle = await factories.create_vehicle()
    http, _ = await client_as(role, **({"delivery_vehicle_id": vehicle.id} if role == "provider" else {}))
    assert (await http.post(f"/api/v1/delivery-vehicles/{vehicle.id}/suspend", json={"reason": "x"})).status_code == 403
    assert (await http.post(f"/api/v1/delivery-vehicles/{vehicle.id}/reinstate")).status_code == 403
