"""`verify_chain` and `cdv audit verify` find a stored event that was changed or removed after it was written, whichever
field of it was changed; the report a national admin reads names no sealed event.

The command runs its own event loop (asyncio.run), so it cannot run inside the test's loop: it is run in
a subprocess against a throwaway SQLite file made by `cdv migrate` and `cdv load-reference`.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import msgspec
import pytest

from accounts.actor import SYSTEM, Actor, Role
from audit import rules
from audit.operation import operation
from audit.queries import chain_report, verify_chain
from audit.tables import AuditEvent
from core.clock import LONDON

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


# Every field the hash covers, proved one by one on the stored rows (issue 11, item 2): altering a field of a stored
# event is named at that event; altering it and re-hashing that one event (so its own hash matches again) is named
# at the next event, which no longer follows it. Had the hash stopped covering a field, re-hashing would give the
# same hash and the chain would hold.

ADMIN = Actor(user_id=7, username="anna", role=Role.NATIONAL_ADMIN)
DEADLINE = NOW + timedelta(days=10)


async def _four_events() -> int:
    """A plain event, a sealed one with every field filled, two plain ones; returns the sealed one's sequence."""
    first = await _write_events(1)
    async with operation("bid.submitted", actor=ADMIN, now=NOW + timedelta(minutes=1)) as op:
        op.record(
            "Bid",
            41,
            before={"status": "draft"},
            after={"status": "submitted", "price_pence": 70_000_00},
            pcpg_id=12,
            health_board_id=3,
            visible_from_at=DEADLINE,
        )
    await _write_events(2)
    return first + 1


ALTERED: dict[str, Any] = {
    "occurred_at": NOW + timedelta(minutes=1, microseconds=1),
    "actor_user_id": 8,
    "actor_username": "rhys",
    "action": "bid.withdrawn",
    "entity_type": "Contract",
    "entity_id": "42",
    "pcpg_id": 13,
    "health_board_id": 4,
    "before": {"status": "submitted"},
    "after": {"status": "submitted", "price_pence": 60_000_00},
    "visible_from_at": NOW,  # unsealed at once
}
UNSET = {"actor_user_id", "pcpg_id", "health_board_id", "visible_from_at"}  # may also be emptied


async def _alter(sequence: int, field: str, value: Any) -> None:
    changed = await AuditEvent.update({getattr(AuditEvent, field): value}).where(AuditEvent.sequence == sequence)
    assert changed is not None


async def _rehash(sequence: int) -> None:
    """Give one stored event the hash of its content as it now stands (over its stored previous hash)."""
    row = await AuditEvent.select().where(AuditEvent.sequence == sequence).first()
    assert row is not None
    for key in ("before", "after"):
        row[key] = json.loads(row[key]) if isinstance(row[key], str) else row[key]
    digest = rules.event_hash(row["previous_hash"], rules.hashed_fields(row))
    await AuditEvent.update({AuditEvent.event_hash: digest}).where(AuditEvent.sequence == sequence)


def _changes() -> list[tuple[str, Any]]:
    return [*ALTERED.items(), *((field, None) for field in sorted(UNSET))]


@pytest.mark.parametrize(("field", "value"), _changes(), ids=lambda v: str(v)[:20])
async def test_an_altered_field_of_a_stored_event_is_named_at_that_event(field, value):
    sealed = await _four_events()
    await _alter(sealed, field, value)
    report = await verify_chain()
    assert (report.intact, report.first_bad_sequence) == (False, sealed)
    assert report.problem == f"event {sealed} was altered after it was written"


@pytest.mark.parametrize(("field", "value"), _changes(), ids=lambda v: str(v)[:20])
async def test_an_altered_field_of_a_stored_event_re_hashed_is_named_at_the_event_after_it(field, value):
    sealed = await _four_events()
    await _alter(sealed, field, value)
    await _rehash(sealed)
    report = await verify_chain()
    assert (report.intact, report.first_bad_sequence) == (False, sealed + 1)
    assert report.problem == f"event {sealed + 1} does not follow the event before it"


async def test_a_time_to_be_sealed_until_added_to_a_shown_event_and_re_hashed_is_named():
    sealed = await _four_events()
    await _alter(sealed - 1, "visible_from_at", DEADLINE)
    await _rehash(sealed - 1)
    assert (await verify_chain()).first_bad_sequence == sealed


async def test_an_event_renumbered_and_re_hashed_is_named():
    """A number is also checked for gaps, so this is named however the hash treats it; the unit tests show that the
    hash covers it."""
    sealed = await _four_events()
    await _alter(sealed, "sequence", sealed + 10)
    await _rehash(sealed + 10)
    report = await verify_chain()
    assert (report.intact, report.first_bad_sequence) == (False, sealed)
    assert report.problem == f"event {sealed} is missing (next found: {sealed + 1})"


async def test_an_event_whose_link_to_the_one_before_was_forged_after_that_one_was_altered_is_named():
    """Alter an event and re-hash it, then point the next event at the new hash: the next event's own hash covers
    the hash it links to, so it no longer matches (had it not covered it, the forgery would hold)."""
    sealed = await _four_events()
    await _alter(sealed, "after", ALTERED["after"])
    await _rehash(sealed)
    forged = await AuditEvent.select(AuditEvent.event_hash).where(AuditEvent.sequence == sealed).first()
    assert forged is not None
    await AuditEvent.update({AuditEvent.previous_hash: forged["event_hash"]}).where(AuditEvent.sequence == sealed + 1)
    report = await verify_chain()
    assert (report.intact, report.first_bad_sequence) == (False, sealed + 1)
    assert report.problem == f"event {sealed + 1} was altered after it was written"


async def test_an_event_whose_link_alone_was_changed_is_named():
    sealed = await _four_events()
    await AuditEvent.update({AuditEvent.previous_hash: "f" * 64}).where(AuditEvent.sequence == sealed)
    report = await verify_chain()
    assert (report.intact, report.first_bad_sequence) == (False, sealed)
    assert report.problem == f"event {sealed} does not follow the event before it"


async def test_events_written_at_times_in_other_offsets_verify_when_read_back():
    """The hash is over UTC text: an event recorded in British Summer Time, sealed until a time given in another
    offset, verifies when the database gives its times back (in UTC, or any offset)."""
    summer = datetime(2027, 7, 1, 13, 30, 0, 123456, tzinfo=LONDON)
    eastern = timezone(timedelta(hours=-5))
    async with operation("bid.submitted", actor=ADMIN, now=summer) as op:
        op.record("Bid", 1, after={"status": "submitted"}, visible_from_at=datetime(2027, 7, 9, 7, 0, tzinfo=eastern))
    await _write_events(1)
    assert (await verify_chain(summer)).intact
    stored = await AuditEvent.select(AuditEvent.occurred_at).where(AuditEvent.action == "bid.submitted").first()
    assert stored is not None and stored["occurred_at"] == summer
    await _alter(1, "occurred_at", summer.astimezone(eastern))  # the same moment, written in another offset
    assert (await verify_chain(summer)).intact


async def test_the_report_a_national_admin_reads_names_no_sealed_event():
    """The API's and the page's report: broken, but neither a number nor the time of an event still sealed."""
    sealed = await _four_events()
    await _alter(sealed, "after", ALTERED["after"])
    before_deadline = await chain_report(NOW + timedelta(hours=1))
    assert (before_deadline.intact, before_deadline.first_bad_at, before_deadline.events) == (False, None, 3)
    after_deadline = await chain_report(DEADLINE)
    assert (after_deadline.intact, after_deadline.first_bad_at) == (False, NOW + timedelta(minutes=1))
    assert set(msgspec.structs.asdict(after_deadline)) == {"events", "intact", "first_bad_at"}


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
def trail_file(loaded_database: Path, tmp_path: Path) -> Path:
    """A copy for one test. Not named `database`: that would hide conftest's session fixture of the same name, which
    makes the tables, from every test in this file (run on its own, the file found no tables)."""
    copy = tmp_path / "cdv.sqlite3"
    shutil.copy(loaded_database, copy)
    return copy


def _tamper(database: Path, statement: str) -> None:
    with sqlite3.connect(database) as connection:
        assert connection.execute(statement).rowcount == 1
    connection.close()


def test_the_verify_command_exits_0_on_an_intact_trail(trail_file):
    done = _cdv("audit", "verify", database=trail_file)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("audit chain intact: ")
    assert int(done.stdout.split(": ")[1].split()[0]) > 100  # the reference load's events


def test_the_verify_command_exits_1_naming_an_altered_event(trail_file):
    _tamper(trail_file, 'UPDATE audit_event SET after = \'{"name": "Somewhere else"}\' WHERE sequence = 3')
    done = _cdv("audit", "verify", database=trail_file)
    assert done.returncode == 1
    assert done.stderr.strip() == "audit chain broken at event 3: event 3 was altered after it was written"


def test_the_verify_command_exits_1_naming_a_removed_event(trail_file):
    _tamper(trail_file, "DELETE FROM audit_event WHERE sequence = 10")
    done = _cdv("audit", "verify", database=trail_file)
    assert done.returncode == 1
    assert done.stderr.strip() == "audit chain broken at event 10: event 10 is missing (next found: 11)"
