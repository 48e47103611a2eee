"""Setting, advancing and clearing the training clock (CDV_ENV demo or test only; the routes do not exist in
production)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from accounts.actor import Actor
from administration import rules
from administration.schemas import ClockDateIn
from administration.tables import ClockSetting
from audit.operation import operation
from core.cache import cached_read
from core.clock import Clock
from core.errors import RuleBroken


@cached_read("clock_setting")
async def _stored_clock() -> Clock:
    row = await ClockSetting.select(ClockSetting.offset_microseconds).first()
    return Clock(offset=timedelta(microseconds=row["offset_microseconds"])) if row else Clock()


async def current_clock() -> Clock:
    """Read at most once a second per process (set_clock and clear_clock drop it at once in this process;
    other processes see a moved clock within a second). Only demo and test read it: production runs on real time."""
    return await _stored_clock()


async def set_clock(*, actor: Actor, to: datetime, now: datetime, action: str = "clock.set") -> Clock:
    """Store an offset from real time, so the moved clock keeps ticking in every process."""
    problem = rules.clock_time_problem(to)
    if problem:
        raise RuleBroken(problem, field="now")
    exact = to - datetime.now(UTC)
    offset = int(exact.total_seconds())
    microseconds = exact // timedelta(microseconds=1)
    async with operation(action, actor=actor, now=now) as op:
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


async def set_clock_to_london_time(*, actor: Actor, data: ClockDateIn, now: datetime) -> Clock:
    """The page's date and 24-hour time, as a reader in Wales means them (GMT or BST as that day has it)."""
    if not rules.is_time_of_day(data.time):
        raise RuleBroken("Enter a 24-hour time, like 09:30", field="time")
    to = rules.london_time(day=data.day, month=data.month, year=data.year, time=data.time)
    if to is None:
        raise RuleBroken("Enter a real date, like 2 4 2027", field="day")
    return await set_clock(actor=actor, to=to, now=now)


async def advance_clock(*, actor: Actor, days: int, now: datetime) -> Clock:
    """On by whole days from the clock's time now (`now`, moved or not): a trainer walks through a deadline, a
    standstill, a quarter's returns."""
    if not 1 <= days <= rules.MAX_ADVANCE_DAYS:
        raise RuleBroken("Give a number of days from 1 to 3650", field="days")
    return await set_clock(actor=actor, to=rules.advanced(now, days), now=now, action="clock.advanced")


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
