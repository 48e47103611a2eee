"""The email outbox under real concurrency (issue 16, item 4), on both databases with real commits: workers at once
(three in one process on their own connections, and two `cdv notify` processes) never send one notice twice, counted
by Message-ID at a real SMTP server; and a mail server taking 10 s over a message slows no request, read or write,
made to the app whose worker is sending meanwhile."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pytest

from accounts.actor import Role
from core.db import write_transaction
from notifications.outbox import Mailer, deliver_due
from notifications.services import notify
from notifications.tables import Notification
from tests.conftest import api_token, make_actor, sign_in_pages
from tests.races.processes import cdv
from tests.smtp_support import MailServer, mail_server

pytestmark = pytest.mark.races

SENDER = "no-reply@cdv.example.org"
PARAMS = {"title": "Social prescribing", "reference": "CAR-2027-001", "when": "01/12/2026 10:00"}
NOW = datetime.now(UTC)


def _serve(delay: float) -> Iterator[tuple[MailServer, int]]:
    with mail_server(delay) as server:
        yield server, server.port


@pytest.fixture
def quick_smtp() -> Iterator[tuple[MailServer, int]]:
    yield from _serve(0.05)


@pytest.fixture
def slow_smtp() -> Iterator[tuple[MailServer, int]]:
    yield from _serve(10.0)


async def _notices(count: int) -> list[int]:
    """`count` notices, each to its own user with an address, committed."""
    users = [await make_actor(Role.PROVIDER, email=f"user{n}@example.org") for n in range(count)]
    async with write_transaction():
        await notify(
            user_ids=[user.user_id for user in users],  # type: ignore[misc]
            kind="bid_received",
            key="race",
            params=PARAMS,
            link="/",
            now=NOW,
        )
    return [row["id"] for row in await Notification.select(Notification.id)]


async def test_three_workers_at_once_send_each_notice_exactly_once(quick_smtp):
    server, port = quick_smtp
    ids = await _notices(12)
    mailer = Mailer(host="127.0.0.1", port=port, sender=SENDER, timeout=10)

    async def worker() -> int:
        sent = 0
        while batch := await deliver_due(mailer, limit=2):
            sent += batch
        return sent

    sent = await asyncio.gather(*(worker() for _ in range(3)))
    assert sum(sent) == 12
    assert len([n for n in sent if n]) >= 2, sent  # they did overlap: more than one worker sent some
    assert server.copies() == Counter({f"<notice-{i}@cdv.example.org>": 1 for i in ids})
    assert await Notification.count().where(Notification.emailed_at.is_null()) == 0


async def test_two_cdv_notify_processes_at_once_send_each_notice_exactly_once(quick_smtp):
    server, port = quick_smtp
    server.delay = 0.4  # about 5 s of sending: the two processes overlap
    ids = await _notices(12)
    env = {"CDV_SMTP_HOST": "127.0.0.1", "CDV_SMTP_PORT": str(port), "CDV_MAIL_FROM": SENDER}
    answers = await asyncio.gather(cdv("notify", **env), cdv("notify", **env))
    said = [out for _, out in answers]
    assert [code for code, _ in answers] == [0, 0], said
    sent = [int(text.split("emails sent: ")[1].split()[0]) for text in said]
    assert sum(sent) == 12, said
    assert server.copies() == Counter({f"<notice-{i}@cdv.example.org>": 1 for i in ids})
    assert all(sent), said  # they did overlap: each process sent some
    assert all("; failing: 0;" in text for text in said), said
    assert any("emails waiting: 0; failing: 0; held after 10 attempts: 0; sent today: 12" in text for text in said)


async def test_a_mail_server_taking_10_seconds_slows_no_request_to_the_app_sending_meanwhile(
    slow_smtp, app, client, monkeypatch
):
    import api.app
    from api.settings import load_settings

    server, port = slow_smtp
    (notice_id,) = await _notices(1)
    reader = await make_actor(Role.PROVIDER, email="")  # inbox only: the worker has just the one email to send
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    monkeypatch.setattr(api.app, "OUTBOX_INTERVAL_SECONDS", 0.05)
    settings = replace(load_settings(), smtp_host="127.0.0.1", smtp_port=port, mail_from=SENDER)
    # Signed in beforehand: checking a password is slow on purpose, with or without mail going out.
    assert (await sign_in_pages(http, reader.username)).status_code == 302
    http.headers["authorization"] = f"Bearer {await api_token(http, reader.username)}"
    async with api.app.email_outbox(settings)(app):  # the worker as `cdv serve` runs it, in the app's event loop
        began = time.monotonic()
        while not server.started.is_set():
            assert time.monotonic() - began < 10, "the outbox never began sending"
            await asyncio.sleep(0.02)

        timings = {}
        for attempt in range(3):
            start = time.monotonic()
            assert (await client.get("/api/v1/health-boards")).status_code == 200
            timings[f"public read {attempt}"] = time.monotonic() - start
        async with write_transaction():  # a notice of the reader's own made while the slow send goes on
            await notify(
                user_ids=[reader.user_id or 0], kind="bid_withdrawn", key="own", params=PARAMS, link="/", now=NOW
            )
        (own,) = await Notification.select(Notification.id).where(Notification.user == reader.user_id)
        start = time.monotonic()
        assert (await http.post(f"/api/v1/notifications/{own['id']}/read")).status_code == 204  # an audited write
        timings["audited write"] = time.monotonic() - start
        start = time.monotonic()
        assert (await http.get("/api/v1/notifications")).status_code == 200
        timings["signed-in read"] = time.monotonic() - start
        start = time.monotonic()
        assert (await http.get("/inbox")).status_code == 200
        timings["signed-in page"] = time.monotonic() - start

        assert server.messages == [], "the requests were not made while the server was taking its 10 seconds"
        assert max(timings.values()) < 1.0, timings

        while not (await Notification.select(Notification.emailed_at).where(Notification.id == notice_id))[0][
            "emailed_at"
        ]:
            assert time.monotonic() - began < 20, "the slow server never got the message, or it was never marked sent"
            await asyncio.sleep(0.1)
    await http.aclose()
    assert server.copies() == Counter({f"<notice-{notice_id}@cdv.example.org>": 1})
