"""The email outbox's worker: claim the notices that are due, send them outside any transaction, then mark each sent
or schedule its next attempt.

A notice is written in the transaction of the operation that caused it (services.notify), so one rolled back never
exists and is never sent. Sending happens here, never in a request: a claim is one short transaction (a lease, so two
workers never send one notice; PostgreSQL skips rows another worker is claiming, SQLite's IMMEDIATE lock serialises
claims), the SMTP conversation runs in a thread with no transaction open, and the result is a second short
transaction. A worker killed mid-send leaves its lease to expire, and the notice is claimed again: it is then sent
with the same Message-ID, so a mail system that did get the first copy can recognise the second.

Not audited: sending changes nothing a user decided; the operation that made the notice is in the audit trail.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

from piccolo.querystring import QueryString

from core.db import engine, is_postgres, write_transaction
from notifications.rules import (
    LEASE_PER_MESSAGE,
    SMTP_TIMEOUT_SECONDS,
    next_attempt_at,
    short_error,
)

log = logging.getLogger("cdv.notifications")

_DUE = (
    'SELECT "id" FROM "notification" WHERE "emailed_at" IS NULL AND "next_attempt_at" <= {}'
    ' AND ("claimed_until" IS NULL OR "claimed_until" <= {}) ORDER BY "next_attempt_at", "id" LIMIT {}'
)
_CLAIM = 'UPDATE "notification" SET "claimed_until" = {}, "attempts" = "attempts" + 1 WHERE "id" IN (%s) RETURNING "id"'
_CLAIMED = (
    'SELECT n."id", n."subject", n."body", n."link", n."attempts", u."email" FROM "notification" n'
    ' JOIN "app_user" u ON u."id" = n."user" WHERE n."id" IN (%s) ORDER BY n."id"'
)


@dataclass(frozen=True)
class Mailer:
    """Where email goes (CDV_SMTP_HOST, CDV_SMTP_PORT, CDV_MAIL_FROM); no host: nothing is sent, notices wait."""

    host: str
    port: int
    sender: str
    timeout: float = SMTP_TIMEOUT_SECONDS


@dataclass(frozen=True)
class Claimed:
    id: int
    subject: str
    body: str
    link: str
    address: str
    attempts: int


async def _run(sql: str, *values: Any) -> list[dict[str, Any]]:
    return list(await engine().run_querystring(QueryString(sql, *values)) or [])


async def claim_due(*, now: datetime, limit: int) -> list[Claimed]:
    """Take a lease on up to `limit` due notices whose lease is free, and count the attempt now: a worker that dies
    mid-send has still used one, so a notice that crashes every sender ends up held, not retried for ever."""
    lease = now + LEASE_PER_MESSAGE * limit
    due = _DUE + (" FOR UPDATE SKIP LOCKED" if is_postgres() else "")
    async with write_transaction():
        taken = [int(row["id"]) for row in await _run(_CLAIM % due, lease, now, now, limit)]
        # By the ids this claim returned, not by the lease's time: two workers may choose the same instant.
        rows = await _run(_CLAIMED % ", ".join(str(i) for i in taken)) if taken else []
    return [
        Claimed(
            id=row["id"],
            subject=row["subject"],
            body=row["body"],
            link=row["link"],
            address=row["email"] or "",
            attempts=row["attempts"],
        )
        for row in rows
    ]


def message_for(notice: Claimed, *, sender: str) -> EmailMessage:
    """The email, with a Message-ID made from the notice alone, so every copy of one notice carries the same."""
    domain = sender.rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = notice.address
    message["Subject"] = notice.subject
    message["Message-ID"] = f"<notice-{notice.id}@{domain}>"
    message.set_content(notice.body + (f"\n\n{notice.link}" if notice.link else ""))
    return message


def _send(mailer: Mailer, message: EmailMessage) -> None:
    with smtplib.SMTP(mailer.host, mailer.port, timeout=mailer.timeout) as smtp:
        smtp.send_message(message)


async def _mark_sent(notice_id: int, *, now: datetime) -> None:
    async with write_transaction():
        await _run(
            'UPDATE "notification" SET "emailed_at" = {}, "claimed_until" = NULL, "last_error" = \'\' WHERE "id" = {}',
            now,
            notice_id,
        )


async def _mark_failed(notice: Claimed, error: str, *, now: datetime, hold: bool = False) -> None:
    retry_at = None if hold else next_attempt_at(attempts=notice.attempts, failed_at=now)
    async with write_transaction():
        await _run(
            'UPDATE "notification" SET "next_attempt_at" = {}, "claimed_until" = NULL, "last_error" = {}'
            ' WHERE "id" = {} AND "emailed_at" IS NULL',
            retry_at,
            error,
            notice.id,
        )


async def deliver_due(
    mailer: Mailer, *, limit: int = 20, now: datetime | None = None, stop: asyncio.Event | None = None
) -> int:
    """Claim one batch of due notices and email them; returns how many the mail server took. Once `stop` is set (the
    app shutting down) the notices not yet begun are given back at once, not left to their lease."""
    return (await _deliver_batch(mailer, limit=limit, now=now, stop=stop))[1]


async def deliver_all_due(mailer: Mailer, *, now: datetime | None = None) -> int:
    """Batches until nothing is due (for `cdv notify` and `cdv remind`, from cron); a failure is due again only
    minutes later, so this ends."""
    total = 0
    while True:
        tried, sent = await _deliver_batch(mailer, limit=5, now=now)
        total += sent
        if not tried:
            return total


async def _deliver_batch(
    mailer: Mailer, *, limit: int, now: datetime | None, stop: asyncio.Event | None = None
) -> tuple[int, int]:
    """How many were claimed, and how many of them were sent. The outbox runs on the real clock, not the training
    clock: mail leaves when it is written. `now` is for tests."""
    if not mailer.host:
        return 0, 0
    claimed = await claim_due(now=now or datetime.now(UTC), limit=limit)
    sent = 0
    for index, notice in enumerate(claimed):
        if stop is not None and stop.is_set():
            await _give_back(claimed[index:])
            break
        if not notice.address:  # the user's address was removed after the notice was made
            await _mark_failed(notice, "the user has no email address", now=now or datetime.now(UTC), hold=True)
            continue
        try:
            await asyncio.to_thread(_send, mailer, message_for(notice, sender=mailer.sender))
        except Exception as error:  # any failure leaves the notice to try again later, never lost
            log.warning("could not email notice %s (attempt %s): %s", notice.id, notice.attempts, short_error(error))
            await _mark_failed(notice, short_error(error), now=now or datetime.now(UTC))
            continue
        await _mark_sent(notice.id, now=now or datetime.now(UTC))
        sent += 1
    return len(claimed), sent


async def _give_back(notices: list[Claimed]) -> None:
    """Claims not begun: free again, and the attempt not counted."""
    async with write_transaction():
        for notice in notices:
            await _run(
                'UPDATE "notification" SET "claimed_until" = NULL, "attempts" = "attempts" - 1 WHERE "id" = {}',
                notice.id,
            )


async def retry_held(*, now: datetime) -> int:
    """An operator's `cdv notify --retry`: notices held after too many failures are due again (their attempts kept)."""
    async with write_transaction():
        rows = await _run(
            'UPDATE "notification" SET "next_attempt_at" = {} WHERE "emailed_at" IS NULL AND "next_attempt_at" IS NULL'
            ' AND "attempts" > 0 RETURNING "id"',
            now,
        )
    return len(rows)
