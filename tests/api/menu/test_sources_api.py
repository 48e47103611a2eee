"""PUT /api/v1/menu/services/{id}/sources: a national administrator edits a service's sources (a new version)."""

from __future__ import annotations

import pytest

from tests.api.audit_writes.menu import on_the_menu

PROBLEM = "application/problem+json"


async def test_the_sources_are_saved_as_a_new_version(client_as):
    admin, _ = await client_as("national_admin")
    service = await on_the_menu()
    before = (await admin.get(f"/api/v1/menu/services/{service}")).json()
    kpi = before["kpis"][0]["code"]
    body = {"source": "https://example.org/a ; https://example.org/b", "kpis": [{"code": kpi, "target_source": "NICE"}]}
    response = await admin.put(f"/api/v1/menu/services/{service}/sources", json=body)
    assert response.status_code == 200, response.text
    out = response.json()
    assert (out["version"], out["source"], out["kpis"][0]["target_source"]) == (
        before["version"] + 1,
        "https://example.org/a ; https://example.org/b",
        "NICE",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source": "x" * 8001}, "source"),
        ({"kpis": [{"source": "x"}]}, "code"),
        ({"kpis": [{"code": "no-such-kpi"}]}, "kpis"),
        ({"source": "a\u0000b"}, "source"),
        ({"sources": "x"}, "sources"),
    ],
)
async def test_bad_input_is_a_problem_naming_the_field(client_as, body, field):
    admin, _ = await client_as("national_admin")
    service = await on_the_menu()
    response = await admin.put(f"/api/v1/menu/services/{service}/sources", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"].endswith(field), response.json()


@pytest.mark.parametrize("role", ["commissioner", "finance_director", "provider", "evaluator"])
async def test_no_other_role_edits_sources(client_as, role):
    http, _ = await client_as(role)
    service = await on_the_menu()
    assert (await http.put(f"/api/v1/menu/services/{service}/sources", json={"source": "x"})).status_code == 403
