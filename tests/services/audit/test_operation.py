import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

from accounts.actor import Role
from administration.tables import ClockSetting
from audit.operation import operation
from audit.queries import verify_chain
from audit.tables import AuditEvent
from core.db import in_transaction
from tests import factories
from tests.conftest import make_actor
from tests.query_count import count_queries

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Boom(Exception):
    pass


async def _events_since(since: int) -> list[dict[str, Any]]:
    return await AuditEvent.select().where(AuditEvent.sequence > since).order_by(AuditEvent.sequence)


async def _setting(offset: int, actor_name: str = "admin") -> ClockSetting:
    return await factories.save(factories.ClockSettingFactory(offset_seconds=offset, set_by_username=actor_name))


async def test_an_operation_that_fails_leaves_neither_its_change_nor_its_audit_event():
    admin = await make_actor("national_admin")
    since = await AuditEvent.count()
    with pytest.raises(Boom):
        async with operation("clock.set", actor=admin, now=NOW) as op:
            row = await _setting(60)
            op.record("ClockSetting", row.id, after={"offset_seconds": 60})
            raise Boom
    assert await ClockSetting.count() == 0
    assert await AuditEvent.count() == since


async def test_an_operation_that_succeeds_keeps_its_change_and_its_audit_event():
    admin = await make_actor("national_admin")
    since = await AuditEvent.count()
    async with operation("clock.set", actor=admin, now=NOW) as op:
        row = await _setting(60)
        op.record("ClockSetting", row.id, before={"offset_seconds": 0}, after={"offset_seconds": 60})
    assert await ClockSetting.count() == 1
    events = await _events_since(since)
    assert len(events) == 1
    event = events[0]
    assert (event["action"], event["entity_type"], event["entity_id"]) == ("clock.set", "ClockSetting", str(row.id))
    assert (event["actor_user_id"], event["actor_username"], event["occurred_at"]) == (
        admin.user_id,
        admin.username,
        NOW,
    )
    loaded = [json.loads(event[name]) if isinstance(event[name], str) else event[name] for name in ("before", "after")]
    assert loaded == [{"offset_seconds": 0}, {"offset_seconds": 60}]


async def test_a_nested_operation_is_undone_when_the_outer_one_fails():
    admin = await make_actor("national_admin")
    since = await AuditEvent.count()
    with pytest.raises(Boom):
        async with operation("outer.done", actor=admin, now=NOW) as outer:
            async with operation("inner.done", actor=admin, now=NOW) as inner:
                row = await _setting(60)
                inner.record("ClockSetting", row.id)
            assert await AuditEvent.count() == since  # the inner one's events wait for the outer one's end
            outer.record("ClockSetting", row.id)
            raise Boom
    assert await ClockSetting.count() == 0
    assert await AuditEvent.count() == since


async def test_a_nested_operation_joins_the_outer_transaction_and_both_are_chained_in_order():
    admin = await make_actor("national_admin")
    since = await AuditEvent.count()
    async with operation("outer.done", actor=admin, now=NOW) as outer:
        async with operation("inner.done", actor=admin, now=NOW) as inner:
            assert in_transaction()
            inner.record("Test", 1)
        outer.record("Test", 2)
    events = await _events_since(since)
    assert [(event["sequence"], event["action"]) for event in events] == [
        (since + 1, "inner.done"),
        (since + 2, "outer.done"),
    ]
    assert (await verify_chain()).intact


async def test_nested_operations_take_the_trails_lock_only_as_the_outermost_ends_after_every_other_statement():
    """The trail's lock (an advisory lock on PostgreSQL) taken by a nested operation in the middle of a transaction
    deadlocked two writers: one held it and waited for a budget line's row, the other held that row and waited for
    the trail (issue 16: confirming an award beside a publish on the same line)."""
    admin = await make_actor("national_admin")
    since = await AuditEvent.count()
    with count_queries() as counted:
        async with operation("outer.done", actor=admin, now=NOW) as outer:
            async with operation("inner.done", actor=admin, now=NOW) as inner:
                async with operation("innermost.done", actor=admin, now=NOW) as innermost:
                    innermost.record("Test", 1)
                inner.record("Test", 2)
            outer.record("Test", 3)
            row = await _setting(60)  # the outer operation goes on writing after the nested ones have ended
            assert not [sql for sql in counted.statements if "audit_event" in sql or "advisory" in sql], counted
    touching_the_trail = [n for n, sql in enumerate(counted.statements) if "audit_event" in sql or "advisory" in sql]
    assert touching_the_trail and min(touching_the_trail) > max(
        n for n, sql in enumerate(counted.statements) if "clock_setting" in sql
    ), counted
    events = await _events_since(since)
    assert [event["action"] for event in events] == ["innermost.done", "inner.done", "outer.done"]
    assert await ClockSetting.count().where(ClockSetting.id == row.id) == 1
    assert (await verify_chain()).intact


async def test_an_operation_that_records_nothing_adds_nothing_to_the_trail():
    admin = await make_actor("national_admin")
    since = await AuditEvent.count()
    async with operation("clock.set", actor=admin, now=NOW):
        await _setting(60)
    assert await ClockSetting.count() == 1
    assert await AuditEvent.count() == since


async def test_events_get_consecutive_sequence_numbers_each_linked_to_the_one_before():
    admin = await make_actor("national_admin")
    commissioner = await make_actor(Role.COMMISSIONER)
    since = await AuditEvent.count()
    async with operation("first.done", actor=admin, now=NOW) as op:
        op.record("Test", 1, after={"n": 1})
        op.record("Test", 2, after={"n": 2}, action="first.also_done")
    async with operation("second.done", actor=commissioner, now=NOW + timedelta(seconds=1)) as op:
        op.record("Test", 3, pcpg_id=commissioner.pcpg_ids[0])
    events = await _events_since(since)
    assert [event["sequence"] for event in events] == [since + 1, since + 2, since + 3]
    assert [event["action"] for event in events] == ["first.done", "first.also_done", "second.done"]
    for earlier, later in pairwise(events):
        assert later["previous_hash"] == earlier["event_hash"]
    assert events[2]["pcpg_id"] == commissioner.pcpg_ids[0]
    report = await verify_chain()
    assert (report.intact, report.events, report.first_bad_sequence) == (True, since + 3, None)


async def test_the_trail_keeps_values_that_json_cannot_hold_natively_and_still_verifies():
    admin = await make_actor("national_admin")
    async with operation("test.done", actor=admin, now=NOW) as op:
        op.record(
            "Test",
            1,
            before={"when": NOW, "names": ["Caerdydd", "Bae Abertawe"], "nothing": None},
            after={"when": NOW + timedelta(days=1), "amount_pence": 123_456, "ŵ": "ŷ"},
        )
    assert (await verify_chain()).intact
