"""JSON API for the training clock; app.py registers it only where the clock may move (demo and test)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from administration import services
from administration.schemas import ClockAdvanceIn, ClockIn, ClockOut
from core.clock import Clock


def _out(clock: NamedDependency[Clock]) -> ClockOut:
    return ClockOut(now=clock.now(), moved=clock.is_moved, offset_seconds=int(clock.offset.total_seconds()))


class ClockController(Controller):
    path = "/api/v1/admin/clock"
    tags = ["Administration"]
    guards = [requires_role(Role.NATIONAL_ADMIN)]

    @get("/")
    async def show(self, clock: NamedDependency[Clock]) -> ClockOut:
        return _out(clock)

    @put("/", summary="Move the clock for training and tests (demo and test environments only)")
    async def set_clock(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], data: Annotated[ClockIn, Body()]
    ) -> ClockOut:
        return _out(await services.set_clock(actor=actor, to=data.now, now=clock.now()))

    @post("/advance", status_code=200, summary="Move the clock on by whole days")
    async def advance_clock(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], data: Annotated[ClockAdvanceIn, Body()]
    ) -> ClockOut:
        return _out(await services.advance_clock(actor=actor, days=data.days, now=clock.now()))

    @delete("/", status_code=200, summary="Back to real time")
    async def clear_clock(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> ClockOut:
        return _out(await services.clear_clock(actor=actor, now=clock.now()))
