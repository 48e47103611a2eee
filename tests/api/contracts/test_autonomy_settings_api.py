"""GET/PUT /api/v1/autonomy/settings (issue 15, item 5): the defaults until set, a national administrator's terms in
force at once, and refusals naming the field."""

from __future__ import annotations

from tests.api.audit_writes.autonomy import TERMS


async def test_the_defaults_are_in_force_until_a_national_administrator_sets_the_terms(client_as):
    reader, _ = await client_as("provider")
    body = (await reader.get("/api/v1/autonomy/settings")).json()
    assert body["is_default"] is True
    earned, high = body["tiers"][1], body["tiers"][2]
    assert (earned["variation_limit_pence"], earned["min_level"], earned["red_free_quarters"]) == (5_000_00, 3, 4)
    assert [d["key"] for d in high["domains"]] == ["governance", "finance", "service_delivery", "data_and_reporting"]
    assert (high["frequency"], high["light"]) == ("half_yearly", True)

    admin, _ = await client_as("national_admin")
    response = await admin.put("/api/v1/autonomy/settings", json=TERMS)
    assert response.status_code == 200, response.text
    after = (await reader.get("/api/v1/autonomy/settings")).json()
    assert after["is_default"] is False and after["tiers"][1]["min_level"] == 2
    refused = await reader.put("/api/v1/autonomy/settings", json=TERMS)
    assert refused.status_code == 403


async def test_terms_that_make_high_autonomy_easier_than_earned_or_name_no_known_domain_are_refused(client_as):
    admin, _ = await client_as("national_admin")
    easier = await admin.put("/api/v1/autonomy/settings", json=TERMS | {"high_red_free_quarters": 1})
    assert easier.status_code == 422 and [e["field"] for e in easier.json()["errors"]] == ["high_min_level"]
    unknown = await admin.put("/api/v1/autonomy/settings", json=TERMS | {"earned_domains": ["cooking"]})
    assert unknown.status_code == 422 and [e["field"] for e in unknown.json()["errors"]] == ["earned_domains"]
    none = await admin.put("/api/v1/autonomy/settings", json=TERMS | {"earned_domains": []})
    assert none.status_code == 422 and [e["field"] for e in none.json()["errors"]] == ["earned_domains"]
    assert (await admin.get("/api/v1/autonomy/settings")).json()["is_default"] is True
