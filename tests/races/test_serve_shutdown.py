"""`cdv serve` as deployed (issue 16, items 3 and 7): after a write that failed at BEGIN or COMMIT it answers the next
one, logs every line as JSON with the request's id, and on SIGTERM stops taking connections, finishes the request in
flight and exits 0."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import signal
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import nullcontext
from pathlib import Path

import httpx
import pytest

from core.db import engine
from finance.tables import BudgetLine
from tests.conftest import PASSWORD, make_actor
from tests.races.failures import commits_refused, line_json, write_lock_held
from tests.races.processes import App, _start, _stop, _wait_until_answering

pytestmark = pytest.mark.races
ON_POSTGRESQL = bool(os.environ.get("DATABASE_URL"))


@pytest.fixture
def served(database: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """One `cdv serve`, whose SQLite writes give up after half a second (production waits 30)."""
    monkeypatch.setenv("CDV_SQLITE_BUSY_TIMEOUT", "0.5")
    log_dir = Path(tempfile.mkdtemp(prefix="cdv-serve-"))
    app = _start(log_dir, 0, secrets.token_urlsafe(32))
    try:
        _wait_until_answering([app])
        yield app
    finally:
        _stop(app.process)
        shutil.rmtree(log_dir, ignore_errors=True)


@pytest.fixture
async def failing_commits() -> AsyncIterator[None]:
    if not ON_POSTGRESQL:
        yield
        return
    async with commits_refused():
        yield


async def test_the_server_survives_a_failed_commit_and_finishes_a_request_in_flight_when_stopped(
    served: App, failing_commits: None
) -> None:
    actor = await make_actor("finance_director")
    async with httpx.AsyncClient(base_url=served.url, timeout=30) as http:
        signed = await http.post("/api/v1/auth/token", json={"username": actor.username, "password": PASSWORD})
        assert signed.status_code == 201, signed.text
        http.headers["authorization"] = f"Bearer {signed.json()['access_token']}"

        # A write that fails: the database's lock held elsewhere past the timeout, or the connection lost at COMMIT.
        held = nullcontext() if ON_POSTGRESQL else write_lock_held(engine().path)  # type: ignore[attr-defined]
        with held:
            refused = await http.post("/api/v1/budget-lines", json=await line_json("connection lost at commit"))
        assert refused.status_code == 503, refused.text
        assert refused.json()["request_id"] == refused.headers["x-request-id"]
        assert await BudgetLine.count() == 0

        made = await http.post("/api/v1/budget-lines", json=await line_json())
        assert made.status_code == 201, made.text

        # A request in flight when the server is told to stop: its body arrives slowly, across the SIGTERM.
        body = json.dumps({**await line_json("sent slowly"), "financial_year": 2028}).encode()
        first_part_sent = asyncio.Event()

        async def trickle() -> AsyncIterator[bytes]:
            yield body[:20]
            first_part_sent.set()
            await asyncio.sleep(1.5)
            yield body[20:]

        slow = asyncio.create_task(
            http.post("/api/v1/budget-lines", content=trickle(), headers={"content-type": "application/json"})
        )
        await first_part_sent.wait()
        await asyncio.sleep(0.3)
        served.process.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.6)
        with pytest.raises(httpx.ConnectError):  # no longer listening
            async with httpx.AsyncClient(base_url=served.url, timeout=2) as late:
                await late.get("/health")
        finished = await slow
        assert finished.status_code == 201, finished.text
    exit_code = await asyncio.to_thread(served.process.wait, 30)
    assert exit_code == 0, served.log_tail()
    assert await BudgetLine.count() == 2, "the ordinary line and the one in flight"

    lines = [line for line in served.log.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    failed = [record for record in records if record.get("request_id") == refused.headers["x-request-id"]]
    assert {record["logger"] for record in failed} >= {"cdv.errors", "uvicorn.access"}, failed
    assert any(record.get("status") == 503 and record["path"] == "/api/v1/budget-lines" for record in failed)
    slow_id = finished.headers["x-request-id"]
    assert any(record.get("request_id") == slow_id and record.get("status") == 201 for record in records)
    assert any(record["message"] == "Application shutdown complete." for record in records)
