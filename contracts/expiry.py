"""Contracts expire by the clock (issue 12, item 4): once when the app starts, then every hour while it runs, and on
demand with `cdv contracts expire` (e.g. from cron where the app runs several processes)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
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


def hourly_expiry(clock_can_move: bool, *, every_seconds: float = HOURLY_SECONDS) -> Callable[[Any], Any]:
    """A Litestar lifespan: expire what is due at start-up, then hourly; a failure is logged, never fatal."""

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
                await asyncio.sleep(every_seconds)

        task = asyncio.create_task(loop())
        try:
            yield
        finally:
            task.cancel()

    return lifespan
