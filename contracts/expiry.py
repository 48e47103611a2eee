"""Contracts expire by the clock (issue 12, item 4): once when the app starts, then every hour while it runs, and on
demand with `cdv contracts expire` (e.g. from cron where the app runs several processes). Other work done by the
clock rides on the same hourly look (`also`): the quarterly recompute of autonomy tiers (issue 15, item 5), which
api/app.py passes in, so contracts never imports the returns domain that work lives in."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from typing import Any

from core.clock import SYSTEM_CLOCK, Clock

HOURLY_SECONDS = 3600


async def clock_for(clock_can_move: bool) -> Clock:
    """The training clock where the app lets it move (demo, test), else real time."""
    if clock_can_move:
        from administration.services import current_clock

        return await current_clock()
    return SYSTEM_CLOCK


async def expire_now(clock_can_move: bool) -> int:
    from contracts.services.lifecycle import expire_due_contracts

    clock = await clock_for(clock_can_move)
    return await expire_due_contracts(now=clock.now())


ClockWork = Callable[..., Awaitable[int]]
"""Work done by the clock: called with `now=` (keyword), answers how many things it changed."""


async def run_clock_work(clock_can_move: bool, work: Sequence[ClockWork]) -> None:
    """Each piece of clock work once, on the app's clock; one failing does not stop the others."""
    for job in work:
        try:
            now: datetime = (await clock_for(clock_can_move)).now()
            changed = await job(now=now)
            if changed:
                logging.getLogger("cdv.contracts").info("%s: %s changed", getattr(job, "__name__", job), changed)
        except Exception:  # a database that is briefly away must not stop the app
            logging.getLogger("cdv.contracts").exception("%s failed", getattr(job, "__name__", job))


def hourly_expiry(
    clock_can_move: bool, *, every_seconds: float = HOURLY_SECONDS, also: Sequence[ClockWork] = ()
) -> Callable[[Any], Any]:
    """A Litestar lifespan: expire what is due at start-up, then hourly, then the other clock work (`also`); a
    failure is logged, never fatal."""

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async def loop() -> None:
            while True:
                try:
                    expired = await expire_now(clock_can_move)
                    if expired:
                        logging.getLogger("cdv.contracts").info("%s contracts expired", expired)
                except Exception:  # a database that is briefly away must not stop the app
                    logging.getLogger("cdv.contracts").exception("contract expiry failed")
                await run_clock_work(clock_can_move, also)
                await asyncio.sleep(every_seconds)

        task = asyncio.create_task(loop())
        try:
            yield
        finally:
            task.cancel()  # and wait for it: a query it had begun ends before the pool closes
            with suppress(asyncio.CancelledError):
                await task

    return lifespan
