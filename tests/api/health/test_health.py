"""GET /health, for a load balancer: 200 while the database answers and its migrations match the code, 503 naming
the check that failed; the email waiting to go is counted, not failed on. No sign-in, no cookie, never cached."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from piccolo.apps.migrations.tables import Migration

from core.db import engine
from health.queries import forget_applied_migrations, known_migrations
from notifications.tables import Notification
from tests import factories
from tests.conftest import make_actor


async def test_a_healthy_server_answers_200_with_each_check_and_sets_no_cookie(client):
    answer = await client.get("/health")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "healthy": True,
        "database": {"ok": True},
        "migrations": {"ok": True},
        "outbox": {"ok": True, "waiting": 0, "failing": 0, "held": 0},
    }
    assert "set-cookie" not in answer.headers, "a balancer asking every few seconds gets no session or CSRF cookie"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-request-id"]


async def test_the_outbox_counts_the_email_waiting_failing_and_held(client):
    actor = await make_actor("provider")
    now = datetime.now(UTC)

    async def notice(**state: object) -> None:
        await factories.save(factories.NotificationFactory(user=actor.user_id, **state))

    await notice(next_attempt_at=now)  # waiting
    await notice(next_attempt_at=now)
    await notice(next_attempt_at=now, attempts=2, last_error="connection refused")  # failing
    await notice(attempts=10, last_error="connection refused")  # held
    await notice(next_attempt_at=now, emailed_at=now)  # sent
    await notice()  # for the inbox only: its user has no address
    answer = await client.get("/health")
    assert answer.status_code == 200, "a backlog is reported, not failed on"
    assert answer.json()["outbox"] == {"ok": True, "waiting": 2, "failing": 1, "held": 1}
    assert await Notification.count() == 6


async def test_a_migration_not_applied_answers_503_naming_it(client):
    """As after deploying new code without `cdv migrate`: one of the code's migrations missing from the table."""
    app_name, name = max(known_migrations())
    row = await Migration.select().where((Migration.app_name == app_name) & (Migration.name == name)).first()
    assert row is not None
    await Migration.delete().where(Migration.id == row["id"])
    forget_applied_migrations()
    try:
        answer = await client.get("/health")
        assert answer.status_code == 503, answer.text
        found = answer.json()
        assert found["healthy"] is False and found["database"] == {"ok": True}
        assert found["migrations"]["ok"] is False
        assert found["migrations"]["pending"] == [f"{app_name} {name}"]
        assert "cdv migrate" in found["migrations"]["problem"]
    finally:
        await Migration.insert(Migration(**{key: value for key, value in row.items() if key != "id"}))
        forget_applied_migrations()
    assert (await client.get("/health")).status_code == 200, "healthy again once it is applied"


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="an SQLite file that cannot be opened")
async def test_a_database_that_cannot_be_reached_answers_503_and_checks_nothing_else(client, monkeypatch, tmp_path):
    gone = str(tmp_path / "no-such-folder" / "cdv.sqlite3")
    db = engine()
    assert (await client.get("/health")).status_code == 200
    monkeypatch.setattr(db, "path", gone)
    answer = await client.get("/health")
    assert answer.status_code == 503, answer.text
    found = answer.json()
    assert found["healthy"] is False
    assert found["database"]["ok"] is False and "unable to open database file" in found["database"]["problem"]
    assert found["migrations"]["ok"] is False and found["outbox"]["ok"] is False
