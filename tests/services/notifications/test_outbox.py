"""The email outbox against a real local SMTP server: a server that refuses loses no notice (attempts counted, the next
try backs off, then a working server gets it exactly once); one that fails too often leaves the notice held for an
operator, never dropped; a worker killed mid-send gives its notices back once its lease has passed, and the copy sent
again carries the same Message-ID; one told to stop gives back at once what it had not begun; `cdv notify`'s numbers
say what is waiting, failing, held and sent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from accounts.actor import Role
from core.db import write_transaction
from notifications.outbox import Mailer, claim_due, deliver_all_due, deliver_due, retry_held
from notifications.queries import outbox_report
from notifications.rules import LEASE_PER_MESSAGE, MAX_ATTEMPTS, OutboxStatus
from notifications.services import notify
from notifications.tables import Notification
from tests.conftest import make_actor
from tests.smtp_support import MailServer, free_port, mail_server

SENDER = "no-reply@cdv.example.org"
T0 = datetime.now(UTC) + timedelta(days=1)  # every notice made in these tests is due by then (tests pass `now`)


@pytest.fixture
def smtp() -> Iterator[tuple[MailServer, Mailer]]:
    with mail_server() as server:
        yield server, Mailer(host="127.0.0.1", port=server.port, sender=SENDER, timeout=5)


async def _notice(user_id: int, key: str = "1") -> None:
    async with write_transaction():
        await notify(
            user_ids=[user_id],
            kind="bid_received",
            key=key,
            params={"title": "Social prescribing", "reference": "CAR-2027-001", "when": "01/12/2026 10:00"},
            link="/",
            now=T0,
        )


async def _outbox() -> dict:
    (row,) = await Notification.select(
        Notification.attempts, Notification.next_attempt_at, Notification.last_error, Notification.emailed_at
    )
    return row


async def _counts(since: datetime = T0 - timedelta(days=1)) -> dict[OutboxStatus, int]:
    return (await outbox_report(since=since)).counts


async def test_a_refusing_server_loses_nothing_backs_off_then_a_working_one_gets_it_exactly_once(smtp):
    server, mailer = smtp
    user = await make_actor(Role.PROVIDER, email="patient@example.org")
    await _notice(user.user_id)
    server.refusing = True

    assert await deliver_all_due(mailer, now=T0) == 0
    first = await _outbox()
    assert first["attempts"] == 1 and first["emailed_at"] is None
    assert "550" in first["last_error"] and "Mailbox unavailable" in first["last_error"]
    assert first["next_attempt_at"] == T0 + timedelta(minutes=1)
    assert (await _counts())[OutboxStatus.FAILING] == 1
    report = await outbox_report(since=T0)
    assert [(e.notices, "550" in e.error) for e in report.errors] == [(1, True)]

    assert await deliver_all_due(mailer, now=T0 + timedelta(seconds=59)) == 0  # not due yet: nothing tried
    assert (await _outbox())["attempts"] == 1
    assert await deliver_all_due(mailer, now=T0 + timedelta(minutes=1)) == 0  # refused again: now 2 minutes
    second = await _outbox()
    assert second["attempts"] == 2
    assert second["next_attempt_at"] == T0 + timedelta(minutes=3)

    refused = Mailer(host="127.0.0.1", port=free_port(), sender=SENDER, timeout=5)  # nobody listening
    assert await deliver_all_due(refused, now=T0 + timedelta(minutes=3)) == 0
    third = await _outbox()
    assert third["attempts"] == 3 and "ConnectionRefusedError" in third["last_error"]
    assert third["next_attempt_at"] == T0 + timedelta(minutes=7)
    assert server.messages == []

    server.refusing = False
    assert await deliver_all_due(mailer, now=T0 + timedelta(minutes=7)) == 1
    assert await deliver_all_due(mailer, now=T0 + timedelta(hours=5)) == 0
    assert [message["To"] for message in server.messages] == ["patient@example.org"]
    sent = await _outbox()
    assert sent["emailed_at"] == T0 + timedelta(minutes=7) and sent["last_error"] == ""
    counts = await _counts()
    assert counts[OutboxStatus.SENT] == 1 and counts[OutboxStatus.FAILING] == 0
    assert (await _counts(since=T0 + timedelta(minutes=8)))[OutboxStatus.SENT] == 0


async def test_a_notice_failing_every_time_is_held_for_an_operator_and_sent_when_they_retry(smtp):
    server, mailer = smtp
    user = await make_actor(Role.PROVIDER, email="unlucky@example.org")
    await _notice(user.user_id)
    server.refusing = True
    when = T0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert await deliver_all_due(mailer, now=when) == 0
        row = await _outbox()
        assert row["attempts"] == attempt
        if attempt < MAX_ATTEMPTS:
            assert row["next_attempt_at"] <= when + timedelta(hours=2)  # the back-off's cap
            when = row["next_attempt_at"]
    held = await _outbox()
    assert held["next_attempt_at"] is None and held["emailed_at"] is None  # held, still there
    assert await deliver_all_due(mailer, now=when + timedelta(days=30)) == 0
    counts = await _counts()
    assert counts[OutboxStatus.HELD] == 1 and counts[OutboxStatus.FAILING] == 0

    server.refusing = False
    assert await retry_held(now=when) == 1
    assert await deliver_all_due(mailer, now=when) == 1
    assert [message["To"] for message in server.messages] == ["unlucky@example.org"]
    assert (await _counts())[OutboxStatus.HELD] == 0


async def test_a_lease_left_by_a_worker_killed_mid_send_is_claimed_again_and_resent_with_the_same_message_id(smtp):
    server, mailer = smtp
    user = await make_actor(Role.PROVIDER, email="lease@example.org")
    await _notice(user.user_id)
    (crashed,) = await claim_due(now=T0, limit=1)  # a worker claims it, then dies before it marks it sent
    lease = LEASE_PER_MESSAGE

    assert await deliver_all_due(mailer, now=T0 + lease - timedelta(seconds=1)) == 0  # its lease still holds
    assert server.messages == []
    assert await deliver_all_due(mailer, now=T0 + lease) == 1
    assert await deliver_all_due(mailer, now=T0 + lease * 3) == 0
    (message,) = server.messages
    assert message["Message-ID"] == f"<notice-{crashed.id}@cdv.example.org>"
    row = await _outbox()
    assert row["attempts"] == 2  # the crashed attempt counts


async def test_a_user_without_an_address_has_the_notice_in_the_inbox_only_never_waiting(smtp):
    server, mailer = smtp
    silent = await make_actor(Role.PROVIDER, email="")
    reachable = await make_actor(Role.PROVIDER, email="reachable@example.org")
    await _notice(silent.user_id)
    await _notice(reachable.user_id)
    counts = await _counts()
    assert counts[OutboxStatus.WAITING] == 1 and counts[OutboxStatus.INBOX_ONLY] == 1
    assert await deliver_all_due(mailer, now=T0) == 1
    assert [message["To"] for message in server.messages] == ["reachable@example.org"]
    counts = await _counts()
    assert counts[OutboxStatus.WAITING] == 0 and counts[OutboxStatus.SENT] == 1


async def test_a_worker_told_to_stop_finishes_the_message_under_way_and_gives_the_rest_back_at_once(smtp):
    server, mailer = smtp
    for n in range(3):
        user = await make_actor(Role.PROVIDER, email=f"stop{n}@example.org")
        await _notice(user.user_id, key=f"stop{n}")
    stop = asyncio.Event()
    original = server.handle_DATA

    async def stop_during_the_first(srv, session, envelope) -> str:  # the app's shutdown arrives mid-send
        stop.set()
        return await original(srv, session, envelope)

    server.handle_DATA = stop_during_the_first  # type: ignore[method-assign]
    assert await deliver_due(mailer, limit=3, now=T0, stop=stop) == 1
    rows = await Notification.select(Notification.attempts, Notification.claimed_until, Notification.emailed_at)
    unsent = [row for row in rows if row["emailed_at"] is None]
    assert len(unsent) == 2
    assert all(row["claimed_until"] is None and row["attempts"] == 0 for row in unsent)  # free again, not counted
    assert await deliver_all_due(mailer, now=T0 + timedelta(seconds=1)) == 2  # no lease to wait for
    assert sorted(m["To"] for m in server.messages) == [f"stop{n}@example.org" for n in range(3)]


async def test_two_workers_claiming_at_the_same_instant_each_get_only_their_own_notices():
    user = await make_actor(Role.PROVIDER, email="twins@example.org")
    await _notice(user.user_id, key="1")
    await _notice(user.user_id, key="2")

    first = await claim_due(now=T0, limit=1)
    second = await claim_due(now=T0, limit=1)  # the same clock reading, so the same lease time

    assert len(first) == 1 and len(second) == 1
    assert first[0].id != second[0].id
    assert await claim_due(now=T0, limit=5) == []
