"""Every successful write of accounts, organisations and administration adds at least one event to the audit trail.

The table of writes is checked against the app's own routes of those domains, so a new write route there without
an entry here fails.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from audit.tables import AuditEvent
from tests import factories
from tests.api.conftest import build_app
from tests.conftest import PASSWORD, csrf_from

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
VEHICLE = "/api/v1/delivery-vehicles/{delivery_vehicle_id:int}"
PAGE_DECISION = "/delivery-vehicles/{delivery_vehicle_id:int}/{decision:str}"

Act = Callable[[Any], Awaitable[tuple[httpx.Response, str, str]]]


async def _token(client_as: Any) -> tuple[httpx.Response, str, str]:
    http, actor = await client_as("evaluator")
    response = await http.post("/api/v1/auth/token", json={"username": actor.username, "password": PASSWORD})
    return response, "api_token.issued", actor.username


async def _register(client_as: Any) -> tuple[httpx.Response, str, str]:
    http, actor = await client_as("provider")
    body = {
        "name": "Audited CIC",
        "legal_form": "cic",
        "companies_house_number": "12345678",
        "cluster_ids": await factories.cluster_ids("Cardiff North"),
        "contact_name": "A Person",
        "contact_email": "a@example.org",
    }
    return await http.post("/api/v1/delivery-vehicles", json=body), "delivery_vehicle.registered", actor.username


async def _approve(client_as: Any) -> tuple[httpx.Response, str, str]:
    http, actor = await client_as("commissioner")
    vehicle = await factories.create_vehicle(status="pending")
    response = await http.post(f"/api/v1/delivery-vehicles/{vehicle.id}/approve", json={})
    return response, "delivery_vehicle.approved", actor.username


async def _reject(client_as: Any) -> tuple[httpx.Response, str, str]:
    http, actor = await client_as("national_admin")
    vehicle = await factories.create_vehicle(status="pending")
    response = await http.post(f"/api/v1/delivery-vehicles/{vehicle.id}/reject", json={"reason": "Not eligible"})
    return response, "delivery_vehicle.rejected", actor.username


async def _set_clock(client_as: Any) -> tuple[httpx.Response, str, str]:
    http, actor = await client_as("national_admin")
    response = await http.put("/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    return response, "clock.set", actor.username


async def _clear_clock(client_as: Any) -> tuple[httpx.Response, str, str]:
    http, actor = await client_as("national_admin")
    await factories.save(factories.ClockSettingFactory())
    return await http.delete("/api/v1/admin/clock"), "clock.cleared", actor.username


async def _page_form(http: httpx.AsyncClient, form_path: str) -> str:
    return csrf_from((await http.get(form_path)).text)


async def _sign_in_page(client_as: Any) -> tuple[httpx.Response, str, str]:
    user = await factories.create_user(role=factories.Role.EVALUATOR)
    http, _ = await client_as("evaluator")
    http.cookies.clear()
    token = await _page_form(http, "/sign-in")
    form = {"username": user.username, "password": PASSWORD, "_csrf_token": token}
    return await http.post("/sign-in", data=form), "user.signed_in", user.username


async def _sign_out_page(client_as: Any) -> tuple[httpx.Response, str, str]:
    http, actor = await client_as("evaluator")
    token = await _page_form(http, "/dashboard")
    return await http.post("/sign-out", data={"_csrf_token": token}), "user.signed_out", actor.username


async def _register_page(client_as: Any) -> tuple[httpx.Response, str, str]:
    http, actor = await client_as("provider")
    token = await _page_form(http, "/delivery-vehicles/register")
    form = {
        "_csrf_token": token,
        "name": "Audited Federation",
        "legal_form": "gp_federation",
        "cluster_ids": [str(i) for i in await factories.cluster_ids("Cardiff North")],
        "contact_name": "A Person",
        "contact_email": "a@example.org",
    }
    response = await http.post("/delivery-vehicles/register", data=form)
    return response, "delivery_vehicle.registered", actor.username


async def _decide_page(client_as: Any) -> tuple[httpx.Response, str, str]:
    http, actor = await client_as("commissioner")
    vehicle = await factories.create_vehicle(status="pending")
    token = await _page_form(http, f"/delivery-vehicles/{vehicle.id}/reject")
    form = {"_csrf_token": token, "reason": "Not eligible"}
    response = await http.post(f"/delivery-vehicles/{vehicle.id}/reject", data=form)
    return response, "delivery_vehicle.rejected", actor.username


WRITES: dict[tuple[str, str], Act] = {
    ("POST", "/api/v1/auth/token"): _token,
    ("POST", "/api/v1/delivery-vehicles"): _register,
    ("POST", f"{VEHICLE}/approve"): _approve,
    ("POST", f"{VEHICLE}/reject"): _reject,
    ("PUT", "/api/v1/admin/clock"): _set_clock,
    ("DELETE", "/api/v1/admin/clock"): _clear_clock,
    ("POST", "/sign-in"): _sign_in_page,
    ("POST", "/sign-out"): _sign_out_page,
    ("POST", "/delivery-vehicles/register"): _register_page,
    ("POST", PAGE_DECISION): _decide_page,
}


# The domains whose writes this table performs. Later domains (menu, finance, commissioning, ...) check the
# audit row of each operation in their own tests/services/<domain>/ files.
DOMAINS = ("accounts.", "organisations.", "administration.", "audit.", "api.")


def test_the_table_lists_every_write_route_of_these_domains():
    app = build_app()
    routes = {
        (method, path)
        for path, methods in app.route_handler_method_map.items()
        for method, handler in methods.items()
        if method in WRITE_METHODS and handler.fn.__module__.startswith(DOMAINS)
    }
    assert routes == set(WRITES), "add the new write route to WRITES (and make it audited)"


@pytest.mark.parametrize("route", list(WRITES), ids=[f"{method} {path}" for method, path in WRITES])
async def test_a_successful_write_adds_an_audit_event_naming_who_did_it(client_as, route):
    before = await AuditEvent.count()
    response, action, username = await WRITES[route](client_as)
    assert 200 <= response.status_code < 400, response.text
    assert "/sign-in" not in response.headers.get("location", ""), "the write was not refused"
    added = await AuditEvent.select(AuditEvent.action, AuditEvent.actor_username).where(AuditEvent.action == action)
    assert await AuditEvent.count() > before
    assert {"action": action, "actor_username": username} in added
