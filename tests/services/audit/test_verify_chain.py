"""`verify_chain` and `cdv audit verify` find a stored event that was changed or removed after it was written.

The command runs its own event loop (asyncio.run), so it cannot run inside the test's loop: it is run in
a subprocess against a throwaway SQLite file made by `cdv migrate` and `cdv load-reference`.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from accounts.actor import SYSTEM
from audit.operation import operation
from audit.queries import verify_chain
from audit.tables import AuditEvent

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[3]
CDV = Path(sys.executable).with_name("cdv")


async def _write_events(count: int) -> int:
    """Append `count` events after whatever the trail holds; returns the sequence of the first."""
    since = await AuditEvent.count()
    for number in range(1, count + 1):
        async with operation("test.done", actor=SYSTEM, now=NOW) as op:
            op.record("Test", number, after={"number": number})
    return since + 1


async def test_an_untouched_trail_verifies():
    first = await _write_events(3)
    report = await verify_chain()
    assert (report.intact, report.events, report.first_bad_sequence, report.problem) == (True, first + 2, None, None)


async def test_an_event_whose_content_was_changed_is_named():
    first = await _write_events(5)
    await AuditEvent.update({AuditEvent.after: {"number": 99}}).where(AuditEvent.sequence == first + 2)
    report = await verify_chain()
    assert not report.intact
    assert report.first_bad_sequence == first + 2
    assert report.problem == f"event {first + 2} was altered after it was written"


async def test_an_event_whose_actor_was_changed_is_named():
    first = await _write_events(3)
    await AuditEvent.update({AuditEvent.actor_username: "someone-else"}).where(AuditEvent.sequence == first)
    report = await verify_chain()
    assert (report.intact, report.first_bad_sequence) == (False, first)


async def test_an_event_removed_from_the_middle_is_named():
    first = await _write_events(5)
    await AuditEvent.delete().where(AuditEvent.sequence == first + 2)
    report = await verify_chain()
    assert not report.intact
    assert report.first_bad_sequence == first + 2
    assert report.problem == f"event {first + 2} is missing (next found: {first + 3})"


async def test_an_event_renumbered_to_hide_a_removal_is_named():
    first = await _write_events(3)
    await AuditEvent.delete().where(AuditEvent.sequence == first + 1)
    await AuditEvent.update({AuditEvent.sequence: first + 1}).where(AuditEvent.sequence == first + 2)
    report = await verify_chain()
    assert (report.intact, report.first_bad_sequence) == (False, first + 1)


def _cdv(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["CDV_SQLITE_PATH"] = str(database)
    return subprocess.run([str(CDV), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def loaded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway SQLite file with the tables and the reference data, whose load is on the trail."""
    database = tmp_path_factory.mktemp("cdv-cli") / "cdv.sqlite3"
    for command in (["migrate"], ["load-reference"]):
        done = _cdv(*command, database=database)
        assert done.returncode == 0, done.stderr
    return database


@pytest.fixture
def database(loaded_database: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "cdv.sqlite3"
    shutil.copy(loaded_database, copy)
    return copy


def _tamper(database: Path, statement: str) -> None:
    with sqlite3.connect(database) as connection:
        assert connection.execute(statement).rowcount == 1
    connection.close()


def test_the_verify_command_exits_0_on_an_intact_trail(database):
    done = _cdv("audit", "verify", database=database)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("audit chain intact: ")
    assert int(done.stdout.split(": ")[1].split()[0]) > 100  # the reference load's events


def test_the_verify_command_exits_1_naming_an_altered_event(database):
    _tamper(database, 'UPDATE audit_event SET after = \'{"name": "Somewhere else"}\' WHERE sequence = 3')
    done = _cdv("audit", "verify", database=database)
    assert done.returncode == 1
    assert done.stderr.strip() == "audit chain broken at event 3: event 3 was altered after it was written"


def test_the_verify_command_exits_1_naming_a_removed_event(database):
    _tamper(database, "DELETE FROM audit_event WHERE sequence = 10")
    done = _cdv("audit", "verify", database=database)
    assert done.returncode == 1
    assert done.stderr.strip() == "audit chain broken at event 10: event 10 is missing (next found: 11)"
