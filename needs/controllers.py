"""JSON API: a PCPG's needs (with the plan priorities answering them) and its engagement activities."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import Body, QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.bounds import MAX_ID
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from needs.queries import engagements as engagement_queries
from needs.queries import needs as need_queries
from needs.rules import NeedPriority, NeedSource
from needs.schemas import (
    EngagementChangeIn,
    EngagementIn,
    EngagementOut,
    NeedChangeIn,
    NeedIn,
    NeedOut,
    NeedPrioritiesIn,
    NeedSummary,
)
from needs.services import engagements, needs
from web.params import Limit, Offset, PcpgFilter

READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR)
WRITERS = requires_role(Role.COMMISSIONER)


class NeedController(Controller):
    path = "/api/v1/needs"
    tags = ["Needs"]

    @get(
        "/",
        guards=[READERS],
        summary="The needs the caller may read, high priority first",
        description="Commissioners read their PCPGs' needs, finance directors their health board's, national "
        "administrators every PCPG's.",
    )
    async def list_needs(
        self,
        actor: NamedDependency[Actor],
        pcpg: PcpgFilter = None,
        priority: Annotated[NeedPriority | None, QueryParameter(name="priority")] = None,
        source: Annotated[NeedSource | None, QueryParameter(name="source")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[NeedSummary]:
        return await need_queries.list_needs(
            actor=actor, pcpg_id=pcpg, priority=priority, source=source, limit=limit, offset=offset
        )

    @post("/", guards=[WRITERS], status_code=201, summary="Record a need of your PCPG")
    async def record(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], data: Annotated[NeedIn, Body()]
    ) -> NeedOut:
        return await needs.record_need(actor=actor, data=data, now=clock.now())

    @get("/{need_id:int}", guards=[READERS])
    async def get_need(self, actor: NamedDependency[Actor], need_id: int) -> NeedOut:
        return await need_queries.get_need(actor=actor, need_id=need_id)

    @patch("/{need_id:int}", guards=[WRITERS], summary="Change a need (only the fields given)")
    async def change(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        need_id: int,
        data: Annotated[NeedChangeIn, Body()],
    ) -> NeedOut:
        return await needs.change_need(actor=actor, need_id=need_id, change=data, now=clock.now())

    @put(
        "/{need_id:int}/plan-priorities",
        guards=[WRITERS],
        summary="Set the plan priorities that answer the need (the whole set)",
    )
    async def link(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        need_id: int,
        data: Annotated[NeedPrioritiesIn, Body()],
    ) -> NeedOut:
        return await needs.link_plan_priorities(actor=actor, need_id=need_id, data=data, now=clock.now())


class EngagementController(Controller):
    path = "/api/v1/engagements"
    tags = ["Needs"]

    @get("/", guards=[READERS], summary="Engagement activities the caller may read, newest first")
    async def list_engagements(
        self,
        actor: NamedDependency[Actor],
        need: Annotated[int | None, QueryParameter(name="need", ge=1, le=MAX_ID)] = None,
        plan_priority: Annotated[int | None, QueryParameter(name="plan_priority", ge=1, le=MAX_ID)] = None,
        specification: Annotated[int | None, QueryParameter(name="specification", ge=1, le=MAX_ID)] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[EngagementOut]:
        return await engagement_queries.list_engagements(
            actor=actor,
            need_id=need,
            plan_priority_id=plan_priority,
            specification_id=specification,
            limit=limit,
            offset=offset,
        )

    @post(
        "/",
        guards=[WRITERS],
        status_code=201,
        summary="Record an engagement activity about one need, plan priority or specification of your PCPG",
    )
    async def record(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], data: Annotated[EngagementIn, Body()]
    ) -> EngagementOut:
        return await engagements.record_engagement(actor=actor, data=data, now=clock.now())

    @get("/{engagement_id:int}", guards=[READERS])
    async def get_engagement(self, actor: NamedDependency[Actor], engagement_id: int) -> EngagementOut:
        return await engagement_queries.get_engagement(actor=actor, engagement_id=engagement_id)

    @patch("/{engagement_id:int}", guards=[WRITERS], summary="Change an engagement activity (only the fields given)")
    async def change(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        engagement_id: int,
        data: Annotated[EngagementChangeIn, Body()],
    ) -> EngagementOut:
        return await engagements.change_engagement(
            actor=actor, engagement_id=engagement_id, change=data, now=clock.now()
        )
