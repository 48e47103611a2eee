"""JSON API: specifications, their lifecycle and their clarification questions."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import Body, QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.queries import clarifications as clarification_queries
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import (
    CancelIn,
    ClarificationIn,
    ClarificationOut,
    LedgerEffect,
    PublishOut,
    SpecificationChangeIn,
    SpecificationIn,
    SpecificationOut,
    SpecificationSummary,
)
from commissioning.services import clarifications, specifications
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from web.params import HealthBoardFilter, Limit, Offset, PcpgFilter, ServiceFilter

COMMISSIONER = requires_role(Role.COMMISSIONER)


class SpecificationController(Controller):
    path = "/api/v1/specifications"
    tags = ["Specifications"]

    @get("/", summary="Specifications the caller may see; drafts only for their PCPG")
    async def list_specifications(
        self,
        maybe_actor: NamedDependency[Actor | None],
        clock: NamedDependency[Clock],
        status: Annotated[
            str | None,
            QueryParameter(name="status", pattern=r"^(draft|published|closed|under_evaluation|awarded|cancelled)$"),
        ] = None,
        pcpg: PcpgFilter = None,
        health_board: HealthBoardFilter = None,
        service: ServiceFilter = None,
        open_only: Annotated[bool, QueryParameter(name="open")] = False,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[SpecificationSummary]:
        return await specification_queries.list_specifications(
            actor=maybe_actor,
            now=clock.now(),
            status=status,
            pcpg_id=pcpg,
            health_board_id=health_board,
            menu_service_id=service,
            open_only=open_only,
            limit=limit,
            offset=offset,
        )

    @post("/", guards=[COMMISSIONER], status_code=201, summary="A draft specification from a menu service")
    async def create(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], data: Annotated[SpecificationIn, Body()]
    ) -> SpecificationOut:
        return await specifications.create_specification(actor=actor, data=data, now=clock.now())

    @get("/{specification_id:int}")
    async def get_specification(
        self, maybe_actor: NamedDependency[Actor | None], clock: NamedDependency[Clock], specification_id: int
    ) -> SpecificationOut:
        return await specification_queries.get_specification(
            actor=maybe_actor, specification_id=specification_id, now=clock.now()
        )

    @patch("/{specification_id:int}", guards=[COMMISSIONER], summary="Change a draft (only the fields given)")
    async def change(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        data: Annotated[SpecificationChangeIn, Body()],
    ) -> SpecificationOut:
        return await specifications.update_specification(
            actor=actor, specification_id=specification_id, changes=data, now=clock.now()
        )

    @get("/{specification_id:int}/ledger-effect", guards=[COMMISSIONER], summary="What publishing would earmark")
    async def ledger_effect(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> list[LedgerEffect]:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        return await specification_queries.ledger_effect(spec)

    @post("/{specification_id:int}/publish", guards=[COMMISSIONER], status_code=200)
    async def publish(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> PublishOut:
        return await specifications.publish_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )

    @post("/{specification_id:int}/cancel", guards=[COMMISSIONER], status_code=200)
    async def cancel(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        data: Annotated[CancelIn, Body()],
    ) -> SpecificationOut:
        return await specifications.cancel_specification(
            actor=actor, specification_id=specification_id, reason=data.reason, now=clock.now()
        )

    @post("/{specification_id:int}/begin-evaluation", guards=[COMMISSIONER], status_code=200)
    async def begin_evaluation(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> SpecificationOut:
        return await specifications.begin_evaluation(actor=actor, specification_id=specification_id, now=clock.now())

    @get("/{specification_id:int}/clarifications", summary="Answered questions (anonymous); your own unanswered ones")
    async def list_clarifications(
        self, maybe_actor: NamedDependency[Actor | None], clock: NamedDependency[Clock], specification_id: int
    ) -> list[ClarificationOut]:
        spec = await specification_queries.get_specification(
            actor=maybe_actor, specification_id=specification_id, now=clock.now()
        )
        return await clarification_queries.list_clarifications(
            actor=maybe_actor, specification_id=spec.id, manager=spec.actions.manage
        )

    @post("/{specification_id:int}/clarifications", guards=[requires_role(Role.PROVIDER)], status_code=201)
    async def ask(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        data: Annotated[ClarificationIn, Body()],
    ) -> list[ClarificationOut]:
        await clarifications.ask_clarification(
            actor=actor, specification_id=specification_id, question=data.question, now=clock.now()
        )
        return await clarification_queries.list_clarifications(
            actor=actor, specification_id=specification_id, manager=False
        )
