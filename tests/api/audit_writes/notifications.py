"""Writes of notifications: a user marks a notice read (API), or every notice in the inbox (page)."""

from __future__ import annotations

from functools import partial

from tests import factories
from tests.api.audit_writes import Arrange, Users, Write, form


async def _read(users: Users) -> Write:
    http, actor = await users.new("provider")
    notice = await factories.save(factories.NotificationFactory(user=actor.user_id))
    send = partial(http.post, f"/api/v1/notifications/{notice.id}/read", json={})
    return Write(send, "notification.read", actor.username)


async def _read_all_page(users: Users) -> Write:
    http, actor = await users.new("provider")
    for _ in range(2):
        await factories.save(factories.NotificationFactory(user=actor.user_id))
    return Write(partial(http.post, "/inbox/read", data=await form(http)), "notification.read", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", "/api/v1/notifications/{notification_id:int}/read"): _read,
    ("POST", "/inbox/read"): _read_all_page,
}
