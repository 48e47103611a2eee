"""Writes of contracts' viability: a national administrator sets the thresholds (API and page)."""

from __future__ import annotations

from functools import partial

from tests.api.audit_writes import Arrange, Users, Write, form


async def _set(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    body = {"min_live_services": 3, "min_annual_value_pence": 150_000_00}
    return Write(
        partial(http.put, "/api/v1/viability/thresholds", json=body), "viability.thresholds_set", actor.username
    )


async def _set_page(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    data = await form(http, min_live_services="3", min_annual_value="150000", confirm="yes")
    return Write(partial(http.post, "/viability/thresholds", data=data), "viability.thresholds_set", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("PUT", "/api/v1/viability/thresholds"): _set,
    ("POST", "/viability/thresholds"): _set_page,
}
