"""GET /api/v1/delivery-vehicles/{id}/autonomy, PUT .../override and POST .../override/lift (issue 15, item 5): the
tier read as the vehicle is scoped, set by a commissioner of a PCPG it serves with a reason, problems naming the
field, and only an override lifted."""

from __future__ import annotations

from datetime import date

from tests import contracts_support_lifecycle as cs
from tests import returns_support_autonomy as rs

PROBLEM = "application/problem+json"


async def test_a_commissioner_sets_the_tier_and_the_vehicle_reads_it_with_the_reason(client_as, as_user):
    await cs.clock_on(date(2027, 5, 10))
    v = await rs.vehicle()
    commissioner = await as_user(v.commissioner)
    response = await commissioner.put(
        f"/api/v1/delivery-vehicles/{v.id}/autonomy/override", json={"tier": "high", "reason": "Strong review"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["tier"], body["next_tier"], body["next_quarter_label"]) == ("standard", "high", "Q2 2027-28")
    assert body["overridden"] is True and body["can_override"] is True
    manager = await as_user(v.manager)
    own = (await manager.get(f"/api/v1/delivery-vehicles/{v.id}/autonomy")).json()
    assert own["history"][0]["reason"] == "Strong review" and own["can_override"] is False
    assert own["terms"]["tier"] == "standard"  # this quarter's; high applies from Q2
    refused = await manager.put(
        f"/api/v1/delivery-vehicles/{v.id}/autonomy/override", json={"tier": "high", "reason": "We are good"}
    )
    assert refused.status_code == 403


async def test_another_pcpgs_commissioner_finds_no_such_vehicle(client_as):
    v = await rs.vehicle()
    other, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    for response in (
        await other.get(f"/api/v1/delivery-vehicles/{v.id}/autonomy"),
        await other.put(f"/api/v1/delivery-vehicles/{v.id}/autonomy/override", json={"tier": "high", "reason": "x"}),
    ):
        assert response.status_code == 404 and response.headers["content-type"].startswith(PROBLEM)
    cardiff, _ = await client_as("commissioner")  # negative control: a Cardiff commissioner reads it
    assert (await cardiff.get(f"/api/v1/delivery-vehicles/{v.id}/autonomy")).status_code == 200


async def test_a_missing_reason_or_an_unknown_tier_is_a_problem_naming_the_field(as_user):
    v = await rs.vehicle()
    http = await as_user(v.commissioner)
    path = f"/api/v1/delivery-vehicles/{v.id}/autonomy/override"
    blank = await http.put(path, json={"tier": "high", "reason": "   "})
    assert blank.status_code == 422 and [e["field"] for e in blank.json()["errors"]] == ["reason"]
    unknown = await http.put(path, json={"tier": "platinum", "reason": "Why not"})
    assert unknown.status_code == 422 and [e["field"] for e in unknown.json()["errors"]] == ["tier"]
    lift = await http.post(f"{path}/lift", json={"reason": "Nothing to lift"})
    assert lift.status_code == 409 and lift.headers["content-type"].startswith(PROBLEM)
