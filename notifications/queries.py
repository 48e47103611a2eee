"""A user's own notices, newest first; and the email outbox in numbers, for an operator (`cdv notify`)."""

from __future__ import annotations

import json
from datetime import datetime

import msgspec
from piccolo.querystring import QueryString

from accounts.actor import Actor
from core.db import engine
from core.i18n import current_language
from core.i18n import gettext as render  # not the extraction keyword: these ids are in rules.py
from core.pagination import Page, check_window
from notifications.rules import MESSAGES, OutboxStatus, outbox_status
from notifications.tables import Notification

MAX_OFFSET = 2_147_483_647  # no inbox is that long, and a larger OFFSET overflows the database drivers


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
        .offset(min(offset, MAX_OFFSET))
    )
    items = [
        NotificationOut(
            id=r["id"],
            kind=r["kind"],
            subject=_shown(r, 0),
            body=_shown(r, 1),
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


def _shown(row: dict, part: int) -> str:
    """The notice in the reader's current language (it was stored in the user's language when made)."""
    params = json.loads(row["params"]) if isinstance(row["params"], str) else (row["params"] or {})
    if row["kind"] not in MESSAGES or not params:
        return row["subject"] if part == 0 else row["body"]
    values = {**params.get("values", {}), **params.get("localise", {}).get(current_language.get(), {})}
    try:
        message = MESSAGES[row["kind"]][part]
        return render(message, **values)
    except (KeyError, ValueError):
        return row["subject"] if part == 0 else row["body"]


class OutboxErrorSummary(msgspec.Struct):
    error: str
    notices: int


class OutboxReport(msgspec.Struct):
    counts: dict[OutboxStatus, int]
    """Unsent notices by status, and those sent since `since`."""
    errors: list[OutboxErrorSummary]
    """The last errors of notices not sent, the most common first."""


async def outbox_report(*, since: datetime) -> OutboxReport:
    db = engine()
    groups = await db.run_querystring(
        QueryString(
            'SELECT ("next_attempt_at" IS NOT NULL) AS scheduled, ("last_error" <> \'\') AS failed, COUNT(*) AS notices'
            ' FROM "notification" WHERE "emailed_at" IS NULL GROUP BY 1, 2'
        )
    )
    counts = dict.fromkeys(OutboxStatus, 0)
    for row in groups:
        status = outbox_status(emailed=False, scheduled=bool(row["scheduled"]), failed=bool(row["failed"]))
        counts[status] += int(row["notices"])
    sent = await db.run_querystring(
        QueryString('SELECT COUNT(*) AS notices FROM "notification" WHERE "emailed_at" >= {}', since)
    )
    counts[OutboxStatus.SENT] = int(sent[0]["notices"] or 0)
    errors = await db.run_querystring(
        QueryString(
            'SELECT "last_error" AS error, COUNT(*) AS notices FROM "notification" WHERE "emailed_at" IS NULL'
            ' AND "last_error" <> \'\' GROUP BY "last_error" ORDER BY 2 DESC, 1 LIMIT 5'
        )
    )
    return OutboxReport(
        counts=counts, errors=[OutboxErrorSummary(error=row["error"], notices=int(row["notices"])) for row in errors]
    )
