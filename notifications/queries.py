"""A user's own notices, newest first."""

from __future__ import annotations

from datetime import datetime

import msgspec

from accounts.actor import Actor
from core.pagination import Page, check_window
from notifications.tables import Notification


class NotificationOut(msgspec.Struct):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read: bool


async def list_notifications(*, actor: Actor, limit: int = 50, offset: int = 0) -> Page[NotificationOut]:
    check_window(limit, offset)
    condition = Notification.user == (actor.user_id or -1)
    rows = (
        await Notification.select()
        .where(condition)
        .order_by(Notification.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    items = [
        NotificationOut(
            id=r["id"],
            kind=r["kind"],
            subject=r["subject"],
            body=r["body"],
            link=r["link"],
            created_at=r["created_at"],
            read=r["read_at"] is not None,
        )
        for r in rows
    ]
    return Page(items=items, total=await Notification.count().where(condition), limit=limit, offset=offset)


async def unread_count(actor: Actor) -> int:
    return await Notification.count().where(
        (Notification.user == (actor.user_id or -1)) & Notification.read_at.is_null()
    )
