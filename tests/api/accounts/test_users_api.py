"""The users API (national administrators): add with a role and scope, change a scope, deactivate, password links;
and setting a password with a link's token."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from accounts.tables import PasswordLink, User
from organisations.tables import HealthBoard, Pcpg
from tests import factories
from tests.conftest import PASSWORD

PROBLEM = "application/problem+json"
USERS = "/api/v1/admin/users"
NEW_PASSWORD = "a-brand-new-password"


async def _add(admin: httpx.AsyncClient, **changes: Any) -> httpx.Response:
    body = {"full_name": "Anna Price", "username": "anna", "role": "commissioner", **changes}
    if body["role"] == "commissioner" and "pcpg_ids" not in changes:
        body["pcpg_ids"] = [await factories.reference_id(Pcpg, "Cardiff")]
    return await admin.post(USERS, json=body)


async def test_a_national_admin_adds_a_commissioner_and_gets_a_one_time_link_for_them(client_as, client):
    admin, _ = await client_as("national_admin")
    response = await _add(admin)
    assert response.status_code == 201, response.text
    created = response.json()
    user, link = created["user"], created["password_link"]
    assert (user["full_name"], user["username"], user["role"], user["active"]) == (
        "Anna Price",
        "anna",
        "commissioner",
        True,
    )
    assert [p["name"] for p in user["pcpgs"]] == ["Cardiff"]
    assert link["url"].startswith("http://testserver/set-password/")
    token = link["url"].rsplit("/", 1)[1]
    body = {"token": token, "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD}
    assert (await client.post("/api/v1/auth/password", json=body)).status_code == 204
    signed_in = await client.post("/api/v1/auth/token", json={"username": "anna", "password": NEW_PASSWORD})
    assert signed_in.status_code == 201
    again = await client.post("/api/v1/auth/password", json=body)
    assert (again.status_code, again.headers["content-type"]) == (404, PROBLEM)
    assert "expired or has already been used" in again.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"username": "anna price"}, "username"),
        ({"role": "chief"}, "role"),
        ({"pcpg_ids": []}, "pcpg_ids"),
        ({"pcpg_ids": [999_999]}, "pcpg_ids"),
        ({"role": "finance_director"}, "health_board_id"),
        ({"role": "provider", "delivery_vehicle_id": 999_999}, "delivery_vehicle_id"),
        ({"language": "fr"}, "language"),
        ({"password": "chosen-by-admin"}, "password"),
    ],
)
async def test_bad_input_is_a_problem_naming_the_field_and_adds_nobody(client_as, changes, field):
    admin, _ = await client_as("national_admin")
    before = await User.count()
    response = await _add(admin, **changes)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in [error["field"] for error in response.json()["errors"]], response.json()
    assert await User.count() == before


async def test_a_username_already_taken_is_a_conflict_naming_it(client_as):
    admin, _ = await client_as("national_admin")
    await factories.create_user(role=factories.Role.EVALUATOR, username="anna")
    response = await _add(admin)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (409, "username")


async def test_users_are_listed_by_full_name_and_filtered_by_role_and_status(client_as):
    admin, me = await client_as("national_admin")
    await factories.create_user(role=factories.Role.EVALUATOR, full_name="Zoe Evans")
    await factories.create_user(role=factories.Role.EVALUATOR, full_name="Aled Jones", active=False)
    everyone = (await admin.get(USERS)).json()
    assert [u["full_name"] for u in everyone["items"]] == ["Aled Jones", me.full_name, "Zoe Evans"]
    evaluators = (await admin.get(USERS, params={"role": "evaluator", "status": "active"})).json()
    assert [u["full_name"] for u in evaluators["items"]] == ["Zoe Evans"]
    assert (await admin.get(USERS, params={"role": "chief"})).status_code == 422


async def test_a_finance_director_moves_health_board(client_as):
    admin, _ = await client_as("national_admin")
    finance, finance_actor = await client_as("finance_director")
    board = await factories.reference_id(HealthBoard, "Swansea Bay University Health Board")
    response = await admin.put(f"{USERS}/{finance_actor.user_id}/scope", json={"health_board_id": board})
    assert response.status_code == 200, response.text
    assert response.json()["health_board"]["name"] == "Swansea Bay University Health Board"
    assert (await finance.get("/api/v1/me")).json()["health_board_id"] == board
    empty = await admin.put(f"{USERS}/{finance_actor.user_id}/scope", json={})
    assert (empty.status_code, empty.json()["errors"][0]["field"]) == (422, "health_board_id")


async def test_a_deactivated_users_token_stops_working_at_once(client_as):
    admin, _ = await client_as("national_admin")
    provider, provider_actor = await client_as("provider")
    assert (await provider.get("/api/v1/me")).status_code == 200
    response = await admin.post(f"{USERS}/{provider_actor.user_id}/deactivate")
    assert (response.status_code, response.json()["active"]) == (200, False)
    assert (await provider.get("/api/v1/me")).status_code == 401
    signed_in = await provider.post(
        "/api/v1/auth/token", json={"username": provider_actor.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 401


async def test_the_last_national_admin_deactivating_themselves_is_refused_with_a_clear_reason(client_as):
    admin, me = await client_as("national_admin")
    response = await admin.post(f"{USERS}/{me.user_id}/deactivate")
    assert (response.status_code, response.headers["content-type"]) == (409, PROBLEM)
    assert response.json()["detail"] == (
        "You are the last active national administrator, so you cannot deactivate your own account"
    )
    assert (await admin.get("/api/v1/me")).status_code == 200


async def test_a_password_link_is_issued_for_a_user_and_replaces_the_one_before(client_as):
    admin, _ = await client_as("national_admin")
    _, evaluator = await client_as("evaluator")
    first = await admin.post(f"{USERS}/{evaluator.user_id}/password-link")
    second = await admin.post(f"{USERS}/{evaluator.user_id}/password-link")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["url"] != second.json()["url"]
    assert await PasswordLink.count() == 1


@pytest.mark.parametrize("role", ["commissioner", "evaluator", "provider", "finance_director"])
async def test_no_other_role_uses_the_users_api(client_as, role):
    http, me = await client_as(role)
    assert (await http.get(USERS)).status_code == 403
    assert (await http.get(f"{USERS}/{me.user_id}")).status_code == 403
    assert (await _add(http)).status_code == 403
    assert (await http.post(f"{USERS}/{me.user_id}/deactivate")).status_code == 403
    assert (await http.post(f"{USERS}/{me.user_id}/password-link")).status_code == 403
    assert (await http.put(f"{USERS}/{me.user_id}/scope", json={})).status_code == 403
    assert await User.count() == 1


async def test_a_short_or_mistyped_password_is_a_problem_naming_the_field(client):
    response = await client.post(
        "/api/v1/auth/password", json={"token": "x", "password": "short", "confirmation": "short"}
    )
    assert (response.status_code, response.headers["content-type"]) == (404, PROBLEM), "an unknown link first"
    missing = await client.post("/api/v1/auth/password", json={"token": "x", "password": "p"})
    assert (missing.status_code, missing.json()["errors"][0]["field"]) == (422, "confirmation")
