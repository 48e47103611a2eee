"""JSON API: award, representations and confirmation."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from commissioning.queries import award as award_queries
from commissioning.schemas import (
    AwardIn,
    AwardOut,
    RepresentationIn,
    RepresentationOut,
)
from commissioning.services import award
from core.clock import Clock

PROVIDER = requires_role(Role.PROVIDER)


COMMISSIONER = requires_role(Role.COMMISSIONER)


class AwardController(Controller):
    path = "/api/v1"
    tags = ["Bids and award"]
    before_request = ids_in_range

    @post(
        "/specifications/{specification_id:int}/award",
        guards=[COMMISSIONER],
        status_code=201,
        summary="Notice of intention to award; standstill of 8 Welsh working days (none for Direct Award 1)",
    )
    async def award(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        data: Annotated[AwardIn, Body()],
    ) -> AwardOut:
        return await award.award_specification(
            actor=actor, specification_id=specification_id, data=data, now=clock.now()
        )

    @get("/awards/{award_id:int}")
    async def get_award(
        self, maybe_actor: NamedDependency[Actor | None], clock: NamedDependency[Clock], award_id: int
    ) -> AwardOut:
        return await award_queries.get_award(actor=maybe_actor, award_id=award_id, now=clock.now())

    @post(
        "/awards/{award_id:int}/representations",
        guards=[PROVIDER],
        status_code=201,
        summary="Make a representation during standstill; answers with the representation made",
    )
    async def represent(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        award_id: int,
        data: Annotated[RepresentationIn, Body()],
    ) -> RepresentationOut:
        made = await award.lodge_representation(actor=actor, award_id=award_id, text=data.text, now=clock.now())
        return await award_queries.get_representation(actor=actor, representation_id=made)

    @post("/representations/{representation_id:int}/answer", guards=[COMMISSIONER], status_code=204)
    async def answer(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        representation_id: int,
        data: Annotated[RepresentationIn, Body()],
    ) -> None:
        await award.answer_representation(
            actor=actor, representation_id=representation_id, answer=data.text, now=clock.now()
        )

    @post(
        "/awards/{award_id:int}/confirm",
        guards=[COMMISSIONER],
        status_code=200,
        summary="Make the contract once standstill has ended and every representation is answered",
    )
    async def confirm(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], award_id: int) -> AwardOut:
        return await award.confirm_award(actor=actor, award_id=award_id, now=clock.now())
