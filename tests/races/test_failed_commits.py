"""Failed commits (issue 16, item 3): a write that cannot begin or commit answers a clear problem, never a 500; nothing
of it is written, its audit event included; the next write in the same process runs in a fresh transaction.

SQLite: another connection holds the write lock (`BEGIN IMMEDIATE`) past the busy timeout. PostgreSQL: a deferred
constraint trigger, made here on the budget line table for rows with a marker note, refuses at COMMIT: as a
constraint (409), as a serialization failure (409) or by terminating its own connection (503).
"""

from __future__ import annotations

import io
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from audit.tables import AuditEvent
from core.db import engine, in_transaction
from core.logs import JsonFormatter, RequestContextFilter
from finance.tables import BudgetLine
from tests.conftest import csrf_from
from tests.races.failures import line_json, refusing_commits, write_lock_held  # noqa: F401 - refusing_commits: a fixture

pytestmark = pytest.mark.races
ON_SQLITE = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite's write lock")
ON_POSTGRESQL = pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="a deferred trigger on PostgreSQL")
PROBLEM = "application/problem+json"
SHORT_TIMEOUT = 0.5


def problem_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def audit_count() -> int:
    return await AuditEvent.count()


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """The app's log lines as `cdv serve` writes them (core/logs.py), while the block runs."""
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("cdv")
    logger.addHandler(handler)
    try:
        yield output
    finally:
        logger.removeHandler(handler)


@ON_SQLITE
async def test_a_write_kept_waiting_past_the_busy_timeout_answers_503_and_writes_nothing(client_as, monkeypatch):
    http, _ = await client_as("finance_director")
    monkeypatch.setitem(engine().connection_kwargs, "timeout", SHORT_TIMEOUT)  # type: ignore[attr-defined]
    before = await audit_count()
    with write_lock_held(engine().path), captured_logs() as logs:  # type: ignore[attr-defined]
        started = time.monotonic()
        refused = await http.post(
            "/api/v1/budget-lines", json=await line_json(), headers={"x-request-id": "quote-me-0001"}
        )
        waited = time.monotonic() - started
    problem = problem_of(refused, 503)
    assert problem["title"] == "The service is busy: try again in a moment"
    assert "Nothing was saved" in problem["detail"]
    assert problem["request_id"] == "quote-me-0001"
    assert refused.headers["retry-after"] == "2"
    assert SHORT_TIMEOUT * 0.8 < waited < SHORT_TIMEOUT + 5, "it waited for the lock, then gave up promptly"
    assert not in_transaction(), "no transaction context outlives the failed BEGIN"
    assert await BudgetLine.count() == 0 and await audit_count() == before
    lines = [json.loads(line) for line in logs.getvalue().splitlines()]
    assert any(line["request_id"] == "quote-me-0001" and line["level"] == "WARNING" for line in lines), lines

    made = await http.post("/api/v1/budget-lines", json=await line_json())
    assert made.status_code == 201, made.text
    assert await BudgetLine.count() == 1 and await audit_count() == before + 1


@ON_SQLITE
async def test_a_form_kept_waiting_past_the_busy_timeout_shows_the_busy_page_with_a_reference(client, monkeypatch):
    form = await client.get("/sign-in?lang=cy")
    monkeypatch.setitem(engine().connection_kwargs, "timeout", SHORT_TIMEOUT)  # type: ignore[attr-defined]
    with write_lock_held(engine().path):
        refused = await client.post(
            "/sign-in",
            data={"username": "nobody", "password": "wrong-password", "_csrf_token": csrf_from(form.text), "next": "/"},
        )
    assert refused.status_code == 503, refused.text[:500]
    assert refused.headers["content-type"].startswith("text/html")
    assert refused.headers["retry-after"] == "2"
    assert refused.headers["x-request-id"] in refused.text, "the reference to quote is on the page"
    assert 'lang="cy"' in refused.text and "gwasanaeth yn brysur" in refused.text, "the busy page, in Welsh"
    found = await client.post(
        "/sign-in",
        data={"username": "nobody", "password": "wrong-password", "_csrf_token": csrf_from(form.text), "next": "/"},
    )
    assert found.status_code == 400, "the form is shown again with its error, as ever"
    assert found.headers["x-request-id"] not in found.text, "no reference where nothing went wrong"


@ON_POSTGRESQL
@pytest.mark.usefixtures("refusing_commits")
@pytest.mark.parametrize(
    ("note", "status", "retry_after"),
    [
        ("conflict at commit", 409, None),
        ("serialization failure at commit", 409, "1"),
        ("connection lost at commit", 503, "5"),
    ],
)
async def test_a_write_refused_at_commit_answers_a_problem_and_the_next_write_commits(
    client_as, note, status, retry_after
):
    http, _ = await client_as("finance_director")
    before = await audit_count()
    refused = await http.post("/api/v1/budget-lines", json=await line_json(note))
    problem = problem_of(refused, status)
    assert problem["detail"] and "Internal" not in problem["title"]
    assert refused.headers.get("retry-after") == retry_after
    assert not in_transaction(), "no transaction context outlives the failed COMMIT"
    assert await BudgetLine.count() == 0 and await audit_count() == before, "neither the line nor its audit event"

    for _ in range(8):  # more than the pool holds: a dead connection would be handed out again
        made = await http.post("/api/v1/budget-lines", json=await line_json("an ordinary line"))
        assert made.status_code == 201, made.text
        await BudgetLine.delete(force=True)
    assert await audit_count() == before + 8, "each committed with its audit event"
