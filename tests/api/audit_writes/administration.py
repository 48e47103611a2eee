"""Writes of administration: the training clock, set, moved on and cleared (API and page)."""

from __future__ import annotations

from functools import partial

from tests import factories
from tests.api.audit_writes import Arrange, Users, Write, form


async def _set_clock(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    send = partial(http.put, "/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    return Write(send, "clock.set", actor.username)


async def _clear_clock(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    await factories.save(factories.ClockSettingFactory())
    return Write(partial(http.delete, "/api/v1/admin/clock"), "clock.cleared", actor.username)


async def _advance(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    send = partial(http.post, "/api/v1/admin/clock/advance", json={"days": 7})
    return Write(send, "clock.advanced", actor.username)


async def _set_page(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    data = await form(http, day="2", month="4", year="2027", time="09:00")
    return Write(partial(http.post, "/admin/clock", data=data), "clock.set", actor.username)


async def _advance_page(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    send = partial(http.post, "/admin/clock/advance", data=await form(http, days="7"))
    return Write(send, "clock.advanced", actor.username)


async def _reset_page(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    await factories.save(factories.ClockSettingFactory())
    return Write(partial(http.post, "/admin/clock/reset", data=await form(http)), "clock.cleared", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("PUT", "/api/v1/admin/clock"): _set_clock,
    ("DELETE", "/api/v1/admin/clock"): _clear_clock,
    ("POST", "/api/v1/admin/clock/advance"): _advance,
    ("POST", "/admin/clock"): _set_page,
    ("POST", "/admin/clock/advance"): _advance_page,
    ("POST", "/admin/clock/reset"): _reset_page,
}
