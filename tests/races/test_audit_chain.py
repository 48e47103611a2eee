"""Concurrent operations, each committing for real, must still leave one gapless, verifiable chain.

Each task opens its own write transaction (never queries gathered inside one transaction): on SQLite
the write lock serialises them, on PostgreSQL the advisory lock taken before appending does.
"""

import asyncio
from datetime import UTC, datetime

import pytest

from accounts.actor import SYSTEM
from audit.operation import operation
from audit.queries import verify_chain
from audit.tables import AuditEvent
from organisations.tables import DeliveryVehicle
from tests import factories

pytestmark = pytest.mark.races

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Boom(Exception):
    pass


async def _register(number: int, *, fail: bool = False) -> None:
    async with operation("test.registered", actor=SYSTEM, now=NOW) as op:
        await asyncio.sleep(0)
        vehicle = await factories.save(factories.DeliveryVehicleFactory(name=f"Race {number}", status="pending"))
        await asyncio.sleep(0)
        op.record("DeliveryVehicle", vehicle.id, after={"name": f"Race {number}"})
        op.record("Race", number, action="test.counted")
        if fail:
            raise Boom


async def test_twenty_concurrent_operations_leave_a_gapless_chain_that_verifies():
    since = await AuditEvent.count()
    await asyncio.gather(*(asyncio.create_task(_register(number)) for number in range(20)))
    events = await AuditEvent.select().where(AuditEvent.sequence > since).order_by(AuditEvent.sequence)
    assert [event["sequence"] for event in events] == list(range(since + 1, since + 41))
    # Each operation's two events sit together: nothing from another task got between them.
    pairs = [(events[i]["action"], events[i + 1]["action"]) for i in range(0, 40, 2)]
    assert pairs == [("test.registered", "test.counted")] * 20
    vehicles = {str(row["id"]) for row in await DeliveryVehicle.select(DeliveryVehicle.id)}
    assert {event["entity_id"] for event in events if event["entity_type"] == "DeliveryVehicle"} == vehicles
    assert len(vehicles) == 20
    report = await verify_chain()
    assert (report.intact, report.events, report.problem) == (True, since + 40, None)


async def test_concurrent_operations_that_fail_leave_no_gap_in_the_chain():
    since = await AuditEvent.count()
    results = await asyncio.gather(
        *(asyncio.create_task(_register(number, fail=number % 3 == 0)) for number in range(20)),
        return_exceptions=True,
    )
    assert sum(isinstance(result, Boom) for result in results) == 7
    assert [result for result in results if not isinstance(result, Boom)] == [None] * 13
    assert await DeliveryVehicle.count() == 13
    events = await AuditEvent.select(AuditEvent.sequence).where(AuditEvent.sequence > since)
    assert sorted(event["sequence"] for event in events) == list(range(since + 1, since + 27))
    assert (await verify_chain()).intact
