"""Scope of the audit trail: a commissioner reads only the events tagged with their PCPG; only a national admin
verifies the hash chain."""

from __future__ import annotations

from audit.tables import AuditEvent
from tests import factories


async def _vehicle(*clusters: str, name: str = "Some Care CIC", status: str = "pending") -> int:
    return (await factories.create_vehicle(cluster_names=clusters, name=name, status=status)).id


async def test_a_commissioners_audit_trail_shows_only_events_tagged_with_their_pcpg(client_as):
    cardiff = await _vehicle("Cardiff North", name="Roath Wellbeing CIC")
    swansea = await _vehicle("Afan", name="Afan Valley Care CIC")
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
    assert "approved the delivery vehicle Roath Wellbeing CIC" in page
    assert "Afan Valley Care CIC" not in page
    assert "Afan Valley Care CIC" in (await admin.get("/audit")).text


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
