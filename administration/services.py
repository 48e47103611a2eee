"""Setting and clearing the training clock (CDV_ENV demo or test only; the route does not exist in production)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from accounts.actor import Actor
from administration.tables import ClockSetting
from audit.operation import operation
from core.cache import cached_read
from core.clock import Clock


@cached_read("clock_setting")
async def _stored_clock() -> Clock:
    row = await ClockSetting.select(ClockSetting.offset_microseconds).first()
    return Clock(offset=timedelta(microseconds=row["offset_microseconds"])) if row else Clock()


async def current_clock() -> Clock:
    """Read at most once a second per process (set_clock and clear_clock drop it at once in this process;
    other processes see a moved clock within a second). Only demo and test read it: production runs on real time."""
    return await _stored_clock()


async def set_clock(*, actor: Actor, to: datetime, now: datetime) -> Clock:
    """Store an offset from real time, so the moved clock keeps ticking in every process."""
    exact = to - datetime.now(UTC)
    offset = int(exact.total_seconds())
    microseconds = exact // timedelta(microseconds=1)
    async with operation("clock.set", actor=actor, now=now) as op:
        before = await ClockSetting.select(ClockSetting.offset_seconds).first()
        await ClockSetting.delete(force=True)
        await ClockSetting(
            offset_seconds=offset,
            offset_microseconds=microseconds,
            set_at=datetime.now(UTC),
            set_by_username=actor.username,
        ).save()
        op.record(
            "ClockSetting",
            1,
            before={"offset_seconds": before["offset_seconds"] if before else 0},
            after={"offset_seconds": offset, "now": to},
        )
    return Clock(offset=exact)


async def clear_clock(*, actor: Actor, now: datetime) -> Clock:
    async with operation("clock.cleared", actor=actor, now=now) as op:
        before = await ClockSetting.select(ClockSetting.offset_seconds).first()
        await ClockSetting.delete(force=True)
        if before:
            op.record(
                "ClockSetting",
                1,
                before={"offset_seconds": before["offset_seconds"]},
                after={"offset_seconds": 0},
            )
    return Clock()
