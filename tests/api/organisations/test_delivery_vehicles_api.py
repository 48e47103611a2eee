"""The delivery vehicle API: a provider registers; a national admin or the right commissioner approves or rejects."""

from __future__ import annotations

from typing import Any

import pytest

from audit.tables import AuditEvent
from organisations.tables import DeliveryVehicle
from tests import factories

PROBLEM = "application/problem+json"


async def _details(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Cardiff North Health CIC",
        "legal_form": "cic",
        "companies_house_number": "12345678",
        "cluster_ids": await factories.cluster_ids("Cardiff North", "Cardiff West"),
        "contact_name": "Siân Evans",
        "contact_email": "sian@example.org",
        **changes,
    }


async def _pending(*clusters: str) -> int:
    return (await factories.create_vehicle(cluster_names=clusters or ("Cardiff North",), status="pending")).id


async def test_a_provider_registers_their_vehicle_and_it_waits_for_approval(client_as):
    provider, actor = await client_as("provider")
    response = await provider.post("/api/v1/delivery-vehicles", json=await _details(companies_house_number="1234567"))
    assert response.status_code == 201
    vehicle = response.json()
    assert (vehicle["name"], vehicle["status"], vehicle["registered_by"]) == (
        "Cardiff North Health CIC",
        "pending",
        actor.username,
    )
    assert vehicle["companies_house_number"] == "01234567", "the leading zero is restored"
    assert sorted(c["name"] for c in vehicle["clusters"]) == ["Cardiff North", "Cardiff West"]
    me = (await provider.get("/api/v1/me")).json()
    assert me["delivery_vehicle_id"] == vehicle["id"], "the provider now acts for the vehicle they registered"
    assert (await provider.get(f"/api/v1/delivery-vehicles/{vehicle['id']}")).json()["status"] == "pending"


async def test_a_provider_cannot_register_a_second_vehicle(client_as):
    provider, _ = await client_as("provider")
    assert (await provider.post("/api/v1/delivery-vehicles", json=await _details())).status_code == 201
    again = await provider.post("/api/v1/delivery-vehicles", json=await _details(companies_house_number="87654321"))
    assert again.status_code == 403
    assert again.headers["content-type"] == PROBLEM
    assert await DeliveryVehicle.count() == 1


@pytest.mark.parametrize("number", ["A1234567", "ABC12345", "123456789", "12-34-56"])
async def test_an_invalid_companies_house_number_is_a_problem_naming_it_and_nothing_is_saved(client_as, number):
    provider, _ = await client_as("provider")
    response = await provider.post("/api/v1/delivery-vehicles", json=await _details(companies_house_number=number))
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["errors"][0]["field"] == "companies_house_number"
    assert "Companies House number" in problem["detail"]
    assert await DeliveryVehicle.count() == 0


async def test_a_community_interest_company_must_give_its_number(client_as):
    provider, _ = await client_as("provider")
    response = await provider.post("/api/v1/delivery-vehicles", json=await _details(companies_house_number=None))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "companies_house_number"


async def test_a_gp_federation_may_register_without_a_number(client_as):
    provider, _ = await client_as("provider")
    body = await _details(legal_form="gp_federation", companies_house_number=None)
    response = await provider.post("/api/v1/delivery-vehicles", json=body)
    assert response.status_code == 201
    assert response.json()["companies_house_number"] is None


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"cluster_ids": []}, 422, "cluster_ids"),
        ({"cluster_ids": [999_999]}, 422, "cluster_ids"),
        ({"contact_email": "not-an-email"}, 422, "contact_email"),
        ({"legal_form": "partnership"}, 422, "legal_form"),
        ({"name": ""}, 422, "name"),
        ({"website": "https://example.org"}, 422, "website"),
    ],
    ids=["no clusters", "unknown cluster", "bad email", "unknown legal form", "empty name", "unknown field"],
)
async def test_each_refused_registration_names_the_field_and_saves_nothing(client_as, changes, status, field):
    provider, _ = await client_as("provider")
    response = await provider.post("/api/v1/delivery-vehicles", json=await _details(**changes))
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == field
    assert await DeliveryVehicle.count() == 0


async def test_a_companies_house_number_already_registered_is_a_conflict(client_as):
    await factories.create_vehicle(companies_house_number="12345678")
    provider, _ = await client_as("provider")
    response = await provider.post("/api/v1/delivery-vehicles", json=await _details(companies_house_number="12345678"))
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "companies_house_number"
    assert await DeliveryVehicle.count() == 1


async def test_a_national_admin_approves_a_pending_vehicle(client_as):
    admin, actor = await client_as("national_admin")
    vehicle_id = await _pending()
    response = await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/approve", json={"reason": "Checked"})
    assert response.status_code == 200
    vehicle = response.json()
    assert (vehicle["status"], vehicle["decided_by"], vehicle["decision_reason"]) == (
        "approved",
        actor.username,
        "Checked",
    )
    assert vehicle["decided_at"] is not None


async def test_approval_needs_no_body_at_all(client_as):
    admin, _ = await client_as("national_admin")
    vehicle_id = await _pending()
    response = await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/approve")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"


async def test_the_commissioner_for_a_pcpg_the_vehicle_serves_approves_it(client_as):
    commissioner, _ = await client_as("commissioner")
    vehicle_id = await _pending("Cardiff North")
    response = await commissioner.post(f"/api/v1/delivery-vehicles/{vehicle_id}/approve", json={})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"


async def test_a_commissioner_for_another_pcpg_cannot_approve_it_and_it_stays_pending(client_as):
    commissioner, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    vehicle_id = await _pending("Cardiff North")
    response = await commissioner.post(f"/api/v1/delivery-vehicles/{vehicle_id}/approve", json={})
    assert response.status_code == 404
    row = await DeliveryVehicle.select(DeliveryVehicle.status).where(DeliveryVehicle.id == vehicle_id).first()
    assert row == {"status": "pending"}


async def test_the_right_commissioner_rejects_with_a_reason_the_provider_can_read(client_as):
    commissioner, _ = await client_as("commissioner")
    vehicle_id = await _pending("Cardiff East")
    response = await commissioner.post(
        f"/api/v1/delivery-vehicles/{vehicle_id}/reject", json={"reason": "  Not a registered company  "}
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_reason"]) == ("rejected", "Not a registered company")


async def test_an_admin_rejects_too(client_as):
    admin, _ = await client_as("national_admin")
    vehicle_id = await _pending("Afan")
    response = await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/reject", json={"reason": "Duplicate"})
    assert (response.status_code, response.json()["status"]) == (200, "rejected")


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}], ids=["no reason", "empty", "spaces"])
async def test_rejecting_without_a_reason_is_a_problem_naming_reason(client_as, body):
    admin, _ = await client_as("national_admin")
    vehicle_id = await _pending()
    response = await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/reject", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "reason"
    row = await DeliveryVehicle.select(DeliveryVehicle.status).where(DeliveryVehicle.id == vehicle_id).first()
    assert row == {"status": "pending"}


async def test_approving_twice_is_a_conflict_and_the_first_decision_stands(client_as):
    admin, _ = await client_as("national_admin")
    vehicle_id = await _pending()
    assert (
        await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/approve", json={"reason": "First"})
    ).status_code == 200
    again = await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/approve", json={"reason": "Second"})
    assert again.status_code == 409
    assert again.headers["content-type"] == PROBLEM
    rejected_after = await admin.post(
        f"/api/v1/delivery-vehicles/{vehicle_id}/reject", json={"reason": "Changed my mind"}
    )
    assert rejected_after.status_code == 409
    vehicle = (await admin.get(f"/api/v1/delivery-vehicles/{vehicle_id}")).json()
    assert (vehicle["status"], vehicle["decision_reason"]) == ("approved", "First")


async def test_deciding_on_an_unknown_vehicle_is_404(client_as):
    admin, _ = await client_as("national_admin")
    response = await admin.post("/api/v1/delivery-vehicles/999999/approve", json={})
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


async def test_a_registration_shows_in_the_audit_trail_with_who_and_what(client_as):
    provider, actor = await client_as("provider")
    vehicle = (await provider.post("/api/v1/delivery-vehicles", json=await _details())).json()
    admin, _ = await client_as("national_admin")
    events = (await admin.get("/api/v1/audit/events?action=delivery_vehicle.registered")).json()["items"]
    assert len(events) == 1
    event = events[0]
    assert (event["actor_username"], event["entity_type"], event["entity_id"]) == (
        actor.username,
        "DeliveryVehicle",
        str(vehicle["id"]),
    )
    assert event["after"]["companies_house_number"] == "12345678"
    assert event["after"]["status"] == "pending"


async def test_an_approval_shows_in_the_audit_trail_tagged_with_the_pcpg(client_as):
    admin, actor = await client_as("national_admin")
    vehicle_id = await _pending("Cardiff North")
    await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/approve", json={"reason": "Checked"})
    events = (await admin.get("/api/v1/audit/events?action=delivery_vehicle.approved")).json()["items"]
    assert [(e["actor_username"], e["entity_id"], e["before"], e["after"]) for e in events] == [
        (actor.username, str(vehicle_id), {"status": "pending"}, {"status": "approved", "reason": "Checked"})
    ]
    commissioner, _ = await client_as("commissioner")
    seen = (await commissioner.get("/api/v1/audit/events?action=delivery_vehicle.approved")).json()["items"]
    assert [e["entity_id"] for e in seen] == [str(vehicle_id)], "the Cardiff commissioner sees the Cardiff approval"


async def test_a_refused_write_adds_nothing_to_the_audit_trail(client_as):
    admin, _ = await client_as("national_admin")
    vehicle_id = await _pending()
    before = await AuditEvent.count()
    response = await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/reject", json={"reason": ""})
    assert response.status_code == 422
    assert await AuditEvent.count() == before


async def test_the_list_shows_each_role_only_the_vehicles_it_may_see(client_as):
    cardiff = await _pending("Cardiff North")
    swansea = await _pending("Afan")
    await factories.create_vehicle(cluster_names=("Cardiff South West",), status="approved")
    commissioner, _ = await client_as("commissioner")
    body = (await commissioner.get("/api/v1/delivery-vehicles?status=pending")).json()
    assert [item["id"] for item in body["items"]] == [cardiff]
    assert body["total"] == 1
    admin, _ = await client_as("national_admin")
    pending = (await admin.get("/api/v1/delivery-vehicles?status=pending")).json()
    assert sorted(item["id"] for item in pending["items"]) == sorted([cardiff, swansea])
    assert (await admin.get("/api/v1/delivery-vehicles")).json()["total"] == 3
