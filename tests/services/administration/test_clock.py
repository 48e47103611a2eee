import json
from datetime import UTC, datetime, timedelta
from typing import Any

from administration.services import clear_clock, current_clock, set_clock
from administration.tables import ClockSetting
from audit.tables import AuditEvent
from tests.conftest import make_actor


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _events_since(since: int) -> list[dict[str, Any]]:
    return await AuditEvent.select().where(AuditEvent.sequence > since).order_by(AuditEvent.sequence)


async def test_the_clock_starts_at_real_time():
    clock = await current_clock()
    assert not clock.is_moved
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


async def test_setting_the_clock_moves_now_to_the_time_given_and_keeps_it_ticking():
    admin = await make_actor("national_admin")
    target = datetime(2027, 3, 25, 9, 0, tzinfo=UTC)
    returned = await set_clock(actor=admin, to=target, now=datetime.now(UTC))
    clock = await current_clock()
    assert clock == returned
    assert clock.is_moved
    assert abs(clock.now() - target) < timedelta(seconds=5)
    assert clock.today().date() == target.date()


async def test_a_clock_set_to_a_deadline_reads_the_deadline_not_a_moment_before_it():
    """Issue 10 bug 6: whole seconds left the clock up to a second early, still before the deadline set."""
    admin = await make_actor("national_admin")
    deadline = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3, microseconds=999_000)
    await set_clock(actor=admin, to=deadline, now=datetime.now(UTC))
    read = (await current_clock()).now()
    assert deadline <= read < deadline + timedelta(seconds=2)


async def test_setting_the_clock_is_audited_with_the_time_it_was_moved_to():
    admin = await make_actor("national_admin")
    since = await AuditEvent.count()
    target = datetime.now(UTC) + timedelta(days=30)
    clock = await set_clock(actor=admin, to=target, now=datetime.now(UTC))
    events = await _events_since(since)
    assert [(event["action"], event["actor_username"]) for event in events] == [("clock.set", admin.username)]
    assert _json(events[0]["before"]) == {"offset_seconds": 0}
    after = _json(events[0]["after"])
    assert after["offset_seconds"] == int(clock.offset.total_seconds())
    assert abs(after["offset_seconds"] - 30 * 86_400) <= 5
    assert datetime.fromisoformat(after["now"]) == target


async def test_setting_the_clock_again_replaces_the_earlier_setting():
    admin = await make_actor("national_admin")
    await set_clock(actor=admin, to=datetime.now(UTC) + timedelta(days=1), now=datetime.now(UTC))
    since = await AuditEvent.count()
    await set_clock(actor=admin, to=datetime.now(UTC) - timedelta(days=2), now=datetime.now(UTC))
    assert await ClockSetting.count() == 1
    clock = await current_clock()
    assert abs(clock.now() - (datetime.now(UTC) - timedelta(days=2))) < timedelta(seconds=5)
    (event,) = await _events_since(since)
    assert abs(_json(event["before"])["offset_seconds"] - 86_400) <= 5


async def test_clearing_the_clock_returns_it_to_real_time_and_is_audited():
    admin = await make_actor("national_admin")
    await set_clock(actor=admin, to=datetime.now(UTC) + timedelta(days=10), now=datetime.now(UTC))
    since = await AuditEvent.count()
    cleared = await clear_clock(actor=admin, now=datetime.now(UTC))
    assert not cleared.is_moved
    clock = await current_clock()
    assert not clock.is_moved
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)
    events = await _events_since(since)
    assert [event["action"] for event in events] == ["clock.cleared"]
    assert _json(events[0]["after"]) == {"offset_seconds": 0}


async def test_clearing_a_clock_that_was_never_moved_records_nothing():
    admin = await make_actor("national_admin")
    since = await AuditEvent.count()
    await clear_clock(actor=admin, now=datetime.now(UTC))
    assert await AuditEvent.count() == since
