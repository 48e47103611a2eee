"""JSON API: PCPG plans and their priorities."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.queries import plans as plan_queries
from commissioning.schemas import (
    PlanIn,
    PlanOut,
    PlanPriorityIn,
)
from commissioning.services import plans
from core.clock import Clock
from web.params import PcpgFilter

COMMISSIONER = requires_role(Role.COMMISSIONER)


class PlanController(Controller):
    path = "/api/v1/plans"
    tags = ["Plans"]

    @get("/", summary="PCPG three-year plans and their priorities (open data)")
    async def list_plans(self, pcpg: PcpgFilter = None) -> list[PlanOut]:
        return await plan_queries.list_plans(pcpg_ids=[pcpg] if pcpg is not None else None)

    @post("/", guards=[COMMISSIONER], status_code=201)
    async def create(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], data: Annotated[PlanIn, Body()]
    ) -> PlanOut:
        plan_id = await plans.create_plan(actor=actor, data=data, now=clock.now())
        return next(p for p in await plan_queries.list_plans(pcpg_ids=[data.pcpg_id]) if p.id == plan_id)

    @post("/{plan_id:int}/priorities", guards=[COMMISSIONER], status_code=201)
    async def add_priority(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        plan_id: int,
        data: Annotated[PlanPriorityIn, Body()],
    ) -> PlanOut:
        await plans.add_priority(actor=actor, plan_id=plan_id, data=data, now=clock.now())
        return next(p for p in await plan_queries.list_plans() if p.id == plan_id)
