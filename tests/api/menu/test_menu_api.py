"""The menu API: anyone reads the current versions (and earlier ones on request); national admins add, edit (a new
version each time) and retire services."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from menu.tables import MenuService, MenuServiceVersion
from tests import commissioning_support as support

PROBLEM = "application/problem+json"


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    return response.json()


def _fields(problem: dict[str, Any]) -> list[str]:
    return [error["field"] for error in problem.get("errors", [])]


def _editable(service: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The body of a PUT from what GET returned."""
    keys = (
        "name",
        "name_cy",
        "description",
        "description_cy",
        "category",
        "unit_of_activity",
        "unit_of_activity_cy",
        "translation_status",
        "price_min_pence",
        "price_max_pence",
        "price_note",
    )
    body = {key: service[key] for key in keys}
    body["kpis"] = [
        {key: kpi[key] for key in ("code", "name", "name_cy", "unit", "direction", "typical_target")}
        for kpi in service["kpis"]
    ]
    return {**body, **changes}


NEW_SERVICE = {
    "code": "falls-prevention",
    "name": "Falls prevention",
    "name_cy": "Atal cwympiadau",
    "description": "Strength and balance classes.",
    "description_cy": "Dosbarthiadau cryfder a chydbwysedd.",
    "category": "frailty_long_term_conditions",
    "unit_of_activity": "participants",
    "unit_of_activity_cy": "cyfranogwyr",
    "kpis": [{"name": "Falls", "name_cy": "Cwympiadau", "unit": "count", "direction": "lower_is_better"}],
}


async def test_anyone_lists_the_menu_with_items_total_limit_and_offset(client, menu):
    response = await client.get("/api/v1/menu/services")
    assert response.status_code == 200
    page = response.json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (23, 50, 0, 23)
    names = [item["name"] for item in page["items"]]
    assert names == sorted(names), "by name"
    assert sum(len(item["kpis"]) for item in page["items"]) == 69
    tail = (await client.get("/api/v1/menu/services?limit=5&offset=20")).json()
    assert (tail["total"], [item["name"] for item in tail["items"]]) == (23, names[20:])
    assert _problem(await client.get("/api/v1/menu/services?limit=500"), 422)


async def test_the_menu_can_be_filtered_by_category(client, menu):
    page = (await client.get("/api/v1/menu/services?category=inclusion_health")).json()
    assert page["total"] >= 1
    assert {item["category"] for item in page["items"]} == {"inclusion_health"}


async def test_anyone_reads_one_service_with_its_suggested_kpis_and_indicative_price(client, menu):
    obesity = await support.service_id("obesity")
    response = await client.get(f"/api/v1/menu/services/{obesity}")
    assert response.status_code == 200
    service = response.json()
    assert (service["code"], service["name"], service["name_cy"], service["version"]) == (
        "obesity",
        "Obesity",
        "Gordewdra",
        1,
    )
    assert (service["price_min_pence"], service["price_max_pence"], service["price_basis"]) == (
        5_500_000,
        21_100_000,
        "derived_from_staffing",
    )
    assert service["translation_status"] == "draft"
    assert len(service["kpis"]) == 3
    assert _problem(await client.get("/api/v1/menu/services/999999"), 404)


async def test_an_admin_edit_makes_a_new_version_and_the_old_one_stays_readable(client, client_as, menu):
    admin, actor = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    current = (await client.get(f"/api/v1/menu/services/{obesity}")).json()
    response = await admin.put(
        f"/api/v1/menu/services/{obesity}",
        json=_editable(current, name="Weight management", change_note="Pathway name"),
    )
    assert response.status_code == 200, response.text
    edited = response.json()
    assert (edited["version"], edited["name"], edited["created_by"], edited["change_note"]) == (
        2,
        "Weight management",
        actor.username,
        "Pathway name",
    )
    old = (await client.get(f"/api/v1/menu/services/{obesity}?version=1")).json()
    assert (old["version"], old["name"], old["current_version"]) == (1, "Obesity", 2)
    versions = (await client.get(f"/api/v1/menu/services/{obesity}/versions")).json()
    assert [(v["version"], v["change_note"]) for v in versions] == [
        (2, "Pathway name"),
        (1, "Loaded from the national menu"),
    ]
    assert _problem(await client.get(f"/api/v1/menu/services/{obesity}?version=3"), 404)


async def test_an_edit_that_changes_nothing_is_a_422_and_makes_no_version(client, client_as, menu):
    admin, _ = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    current = (await client.get(f"/api/v1/menu/services/{obesity}")).json()
    problem = _problem(await admin.put(f"/api/v1/menu/services/{obesity}", json=_editable(current)), 422)
    assert problem["detail"] == "Nothing has changed, so no new version was made"
    assert await MenuServiceVersion.count().where(MenuServiceVersion.menu_service == obesity) == 1


async def test_an_edit_with_half_a_price_range_is_a_422_naming_the_price(client, client_as, menu):
    admin, _ = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    current = (await client.get(f"/api/v1/menu/services/{obesity}")).json()
    response = await admin.put(f"/api/v1/menu/services/{obesity}", json=_editable(current, price_max_pence=None))
    assert _fields(_problem(response, 422)) == ["price_min_pence"]


async def test_an_admin_adds_a_service_and_a_duplicate_code_is_a_409(client, client_as, menu):
    admin, _ = await client_as("national_admin")
    response = await admin.post("/api/v1/menu/services", json=NEW_SERVICE)
    assert response.status_code == 201, response.text
    added = response.json()
    assert (added["code"], added["version"], added["retired"]) == ("falls-prevention", 1, False)
    assert (await client.get("/api/v1/menu/services")).json()["total"] == 24
    problem = _problem(await admin.post("/api/v1/menu/services", json=NEW_SERVICE), 409)
    assert _fields(problem) == ["code"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "Falls Prevention"}, "code"),
        ({"category": "astrology"}, "category"),
        ({"name": ""}, "name"),
        ({"price_min_pence": -100, "price_max_pence": 100}, "price_min_pence"),
        # past the database's 64-bit integer (and no price is that large)
        ({"price_min_pence": 100, "price_max_pence": 2**63}, "price_max_pence"),
        ({"price_min_pence": 2**63, "price_max_pence": 2**64 - 1}, "price_min_pence"),
    ],
)
async def test_a_new_service_that_does_not_fit_is_a_422_naming_the_field(client_as, menu, changes, field):
    admin, _ = await client_as("national_admin")
    problem = _problem(await admin.post("/api/v1/menu/services", json={**NEW_SERVICE, **changes}), 422)
    assert field in _fields(problem)
    assert await MenuService.count() == 23


async def test_an_admin_retires_a_service_which_leaves_the_list_but_stays_readable(client, client_as, menu):
    admin, _ = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    path = f"/api/v1/menu/services/{obesity}/retire"
    assert "reason" in _fields(_problem(await admin.post(path, json={}), 422))
    response = await admin.post(path, json={"reason": "Replaced by the national pathway"})
    assert response.status_code == 200, response.text
    assert response.json()["retired"] is True
    listed = (await client.get("/api/v1/menu/services")).json()
    assert listed["total"] == 22
    assert obesity not in [item["id"] for item in listed["items"]]
    everything = (await client.get("/api/v1/menu/services?include_retired=true")).json()
    assert everything["total"] == 23
    assert (await client.get(f"/api/v1/menu/services/{obesity}")).json()["retired"] is True
    assert _problem(await admin.post(path, json={"reason": "Again"}), 409)
    current = (await client.get(f"/api/v1/menu/services/{obesity}")).json()
    assert _problem(await admin.put(f"/api/v1/menu/services/{obesity}", json=_editable(current, name="Back")), 409)


@pytest.mark.parametrize("role", ["commissioner", "evaluator", "provider", "finance_director"])
async def test_only_national_admins_change_the_menu(client, client_as, menu, role):
    http, _ = await client_as(role)
    obesity = await support.service_id("obesity")
    current = (await client.get(f"/api/v1/menu/services/{obesity}")).json()
    assert _problem(await http.post("/api/v1/menu/services", json=NEW_SERVICE), 403)
    assert _problem(await http.put(f"/api/v1/menu/services/{obesity}", json=_editable(current, name="X")), 403)
    assert _problem(await http.post(f"/api/v1/menu/services/{obesity}/retire", json={"reason": "X"}), 403)
    assert (await client.get(f"/api/v1/menu/services/{obesity}")).json() == current


async def test_an_anonymous_caller_reads_the_menu_but_is_asked_to_sign_in_to_change_it(client, menu):
    obesity = await support.service_id("obesity")
    assert _problem(await client.post("/api/v1/menu/services", json=NEW_SERVICE), 401)
    assert _problem(await client.post(f"/api/v1/menu/services/{obesity}/retire", json={"reason": "X"}), 401)
    assert await MenuService.count() == 23
