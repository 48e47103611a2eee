"""Writes of administration: the training clock, set and cleared."""

from __future__ import annotations

from functools import partial

from tests import factories
from tests.api.audit_writes import Arrange, Users, Write


async def _set_clock(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    send = partial(http.put, "/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    return Write(send, "clock.set", actor.username)


async def _clear_clock(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    await factories.save(factories.ClockSettingFactory())
    return Write(partial(http.delete, "/api/v1/admin/clock"), "clock.cleared", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("PUT", "/api/v1/admin/clock"): _set_clock,
    ("DELETE", "/api/v1/admin/clock"): _clear_clock,
}
