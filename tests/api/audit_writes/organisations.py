"""Writes of organisations: registering a delivery vehicle, approving or rejecting it, suspending and reinstating it
(API and pages)."""

from __future__ import annotations

from functools import partial

from tests import factories
from tests.api.audit_writes import Arrange, Users, Write, form

VEHICLE = "/api/v1/delivery-vehicles/{delivery_vehicle_id:int}"


async def _register(users: Users) -> Write:
    http, actor = await users.new("provider")
    body = {
        "name": "Audited CIC",
        "legal_form": "cic",
        "companies_house_number": "12345678",
        "cluster_ids": await factories.cluster_ids("Cardiff North"),
        "contact_name": "A Person",
        "contact_email": "a@example.org",
    }
    return Write(
        partial(http.post, "/api/v1/delivery-vehicles", json=body), "delivery_vehicle.registered", actor.username
    )


async def _approve(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    vehicle = await factories.create_vehicle(status="pending")
    send = partial(http.post, f"/api/v1/delivery-vehicles/{vehicle.id}/approve", json={})
    return Write(send, "delivery_vehicle.approved", actor.username)


async def _reject(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    vehicle = await factories.create_vehicle(status="pending")
    send = partial(http.post, f"/api/v1/delivery-vehicles/{vehicle.id}/reject", json={"reason": "Not eligible"})
    return Write(send, "delivery_vehicle.rejected", actor.username)


async def _register_page(users: Users) -> Write:
    http, actor = await users.new("provider")
    data = await form(
        http,
        name="Audited Federation",
        legal_form="gp_federation",
        cluster_ids=[str(i) for i in await factories.cluster_ids("Cardiff North")],
        contact_name="A Person",
        contact_email="a@example.org",
    )
    send = partial(http.post, "/delivery-vehicles/register", data=data)
    return Write(send, "delivery_vehicle.registered", actor.username)


async def _decide_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    vehicle = await factories.create_vehicle(status="pending")
    data = await form(http, reason="Not eligible", confirm="yes")
    send = partial(http.post, f"/delivery-vehicles/{vehicle.id}/reject", data=data)
    return Write(send, "delivery_vehicle.rejected", actor.username)


async def _suspend(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("national_admin")
    vehicle = await factories.create_vehicle(status="approved")
    if page:
        data = await form(http, reason="Lapsed cover", confirm="yes")
        send = partial(http.post, f"/delivery-vehicles/{vehicle.id}/suspend", data=data)
    else:
        send = partial(http.post, f"/api/v1/delivery-vehicles/{vehicle.id}/suspend", json={"reason": "Lapsed cover"})
    return Write(send, "delivery_vehicle.suspended", actor.username)


async def _reinstate(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("national_admin")
    vehicle = await factories.create_vehicle(status="suspended")
    if page:
        send = partial(http.post, f"/delivery-vehicles/{vehicle.id}/reinstate", data=await form(http))
    else:
        send = partial(http.post, f"/api/v1/delivery-vehicles/{vehicle.id}/reinstate")
    return Write(send, "delivery_vehicle.reinstated", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", "/api/v1/delivery-vehicles"): _register,
    ("POST", f"{VEHICLE}/approve"): _approve,
    ("POST", f"{VEHICLE}/reject"): _reject,
    ("POST", "/delivery-vehicles/register"): _register_page,
    ("POST", "/delivery-vehicles/{delivery_vehicle_id:int}/{decision:str}"): _decide_page,
    ("POST", f"{VEHICLE}/suspend"): partial(_suspend, page=False),
    ("POST", f"{VEHICLE}/reinstate"): partial(_reinstate, page=False),
    ("POST", "/delivery-vehicles/{delivery_vehicle_id:int}/suspend"): partial(_suspend, page=True),
    ("POST", "/delivery-vehicles/{delivery_vehicle_id:int}/reinstate"): partial(_reinstate, page=True),
}
