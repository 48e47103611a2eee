"""JSON API: answering a clarification question."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.schemas import (
    AnswerIn,
)
from commissioning.services import clarifications
from core.clock import Clock

COMMISSIONER = requires_role(Role.COMMISSIONER)


class ClarificationController(Controller):
    path = "/api/v1/clarifications"
    tags = ["Specifications"]

    @post("/{clarification_id:int}/answer", guards=[COMMISSIONER], status_code=204)
    async def answer(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        clarification_id: int,
        data: Annotated[AnswerIn, Body()],
    ) -> None:
        await clarifications.answer_clarification(
            actor=actor, clarification_id=clarification_id, answer=data.answer, now=clock.now()
        )
