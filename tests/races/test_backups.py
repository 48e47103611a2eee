"""Backups (issue 16, item 5): `cdv backup FILE` taken while the app writes is one consistent moment, and `cdv restore
FILE` puts it into an empty database, where the audit trail verifies and the notices match the audited operations
that made them, no more and no fewer; a restore into a database that is not empty is refused and changes nothing.
SQLite through its backup API; PostgreSQL through pg_dump and pg_restore into a database made (and dropped) here."""

from __future__ import annotations

import asyncio
import os
import secrets
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from accounts.actor import SYSTEM, Role
from audit.operation import operation
from audit.tables import AuditEvent
from core.backup import BackupRefused, backup, restore
from notifications.services import notify
from notifications.tables import Notification
from tests.conftest import make_actor
from tests.races.processes import cdv

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.races
PARAMS = {"title": "Social prescribing", "reference": "CAR-2027-001", "deadline": "14 December 2026"}


async def _write_while(task: asyncio.Task[tuple[int, str]]) -> int:
    """Audited operations, each making one notice and one audit event, one after another until `task` is done."""
    user = await make_actor(Role.PROVIDER, email="")
    made = 0
    while not task.done() or made < 5:
        async with operation("notifications.reminded", actor=SYSTEM, now=datetime.now(UTC)) as op:
            await notify(
                user_ids=[user.user_id or 0], kind="deadline_soon", key=f"w{made}", params=PARAMS, link="/", now=op.now
            )
            op.record("Notification", made, after={"key": f"w{made}"})
        made += 1
        await asyncio.sleep(0.005)
    return made


async def _live() -> tuple[int, int, list[str]]:
    hashes = [row["event_hash"] for row in await AuditEvent.select(AuditEvent.event_hash).order_by(AuditEvent.sequence)]
    return await Notification.count(), await AuditEvent.count(), hashes


async def _backup_while_writing(tmp_path: Path) -> tuple[Path, int]:
    file = tmp_path / "cdv.backup"
    backing_up = asyncio.create_task(cdv("backup", str(file)))
    before = await Notification.count()
    written = await _write_while(backing_up)
    code, said = await backing_up
    assert code == 0, said
    assert written > 5 and await Notification.count() == before + written
    return file, written


@pytest.fixture
async def empty_postgres() -> AsyncIterator[str]:
    name = f"cdv_restore_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(DATABASE_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield DATABASE_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def _restored_sqlite(path: Path) -> tuple[int, int, list[str]]:
    with sqlite3.connect(path) as db:
        notices = db.execute("SELECT COUNT(*) FROM notification WHERE kind = 'deadline_soon'").fetchone()[0]
        events = db.execute("SELECT COUNT(*) FROM audit_event WHERE action = 'notifications.reminded'").fetchone()[0]
        hashes = [row[0] for row in db.execute("SELECT event_hash FROM audit_event ORDER BY sequence")]
    return notices, events, hashes


async def _restored_postgres(url: str) -> tuple[int, int, list[str]]:
    db = await asyncpg.connect(url)
    try:
        notices = await db.fetchval("SELECT COUNT(*) FROM notification WHERE kind = 'deadline_soon'")
        events = await db.fetchval("SELECT COUNT(*) FROM audit_event WHERE action = 'notifications.reminded'")
        hashes = [row["event_hash"] for row in await db.fetch("SELECT event_hash FROM audit_event ORDER BY sequence")]
    finally:
        await db.close()
    return notices, events, hashes


def _consistent(restored: tuple[int, int, list[str]], live: tuple[int, int, list[str]]) -> None:
    notices, events, hashes = restored
    assert notices == events > 0  # each operation whole: its notice and its audit event, or neither
    assert notices < live[0]  # the writes went on after the backup's moment, and are not in it
    assert hashes == live[2][: len(hashes)]  # the live trail's beginning, event for event


@pytest.mark.skipif(bool(DATABASE_URL), reason="SQLite's backup API; PostgreSQL has its own test")
async def test_an_sqlite_backup_taken_while_the_app_writes_restores_into_an_empty_file_and_verifies(tmp_path):
    file, _ = await _backup_while_writing(tmp_path)
    live = await _live()
    restored_path = tmp_path / "restored.sqlite3"
    code, said = await cdv("restore", str(file), CDV_SQLITE_PATH=str(restored_path))
    assert code == 0, said
    assert "audit chain intact" in said and "invariants hold" in said, said
    _consistent(_restored_sqlite(restored_path), live)


@pytest.mark.skipif(not DATABASE_URL, reason="pg_dump and pg_restore need PostgreSQL (set DATABASE_URL)")
async def test_a_postgres_backup_taken_while_the_app_writes_restores_into_an_empty_database_and_verifies(
    tmp_path, empty_postgres
):
    file, _ = await _backup_while_writing(tmp_path)
    live = await _live()
    code, said = await cdv("restore", str(file), DATABASE_URL=empty_postgres)
    assert code == 0, said
    assert "audit chain intact" in said and "invariants hold" in said, said
    _consistent(await _restored_postgres(empty_postgres), live)


async def test_a_restore_into_a_database_that_is_not_empty_is_refused_and_changes_nothing(tmp_path):
    user = await make_actor(Role.PROVIDER, email="")
    file = tmp_path / "cdv.backup"
    await backup(file)
    async with operation("notifications.reminded", actor=SYSTEM, now=datetime.now(UTC)) as op:  # after the backup
        await notify(
            user_ids=[user.user_id or 0], kind="deadline_soon", key="after", params=PARAMS, link="/", now=op.now
        )
        op.record("Notification", "after", after={"key": "after"})
    before = await _live()
    code, said = await cdv("restore", str(file))  # into the suite's own database
    assert code == 2, said
    assert "not empty" in said and "cdv restore:" in said, said
    assert await _live() == before
    assert before[0] == 1  # the control: the notice made after the backup is still there


@pytest.mark.skipif(bool(DATABASE_URL), reason="pg_restore checks its own file")
async def test_a_restore_refuses_a_file_that_is_not_an_sqlite_backup(tmp_path):
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a database")
    before = await _live()
    with pytest.raises(BackupRefused, match="not an SQLite backup"):
        await restore(stranger)
    assert await _live() == before


async def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "earlier.backup"
    existing.write_bytes(b"an earlier backup")
    with pytest.raises(BackupRefused, match="already exists"):
        await backup(existing)
    assert existing.read_bytes() == b"an earlier backup"
