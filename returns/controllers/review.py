"""JSON API: the commissioner accepts or queries a submitted return; an accepted one is corrected with a reason (by
the vehicle's users or the commissioner); and a return's history, version by version (issue 13, item 3)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from returns.queries import history
from returns.schemas.returns import ReturnOut
from returns.schemas.review import CorrectionOut, ReturnCorrectionIn, ReturnHistoryOut, ReturnQueryIn
from returns.services import review

READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)
COMMISSIONER = requires_role(Role.COMMISSIONER)
CORRECTORS = requires_role(Role.PROVIDER, Role.COMMISSIONER)


class ReturnReviewController(Controller):
    path = "/api/v1/returns/{return_id:int}"
    tags = ["Delivery returns"]

    @post("/accept", status_code=200, guards=[COMMISSIONER], summary="Accept a submitted return: it is locked")
    async def accept(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int) -> ReturnOut:
        return await review.accept_return(actor=actor, return_id=return_id, now=clock.now())

    @post(
        "/query",
        status_code=200,
        guards=[COMMISSIONER],
        summary="Query a submitted return with a comment per field; it goes back to the vehicle to correct",
    )
    async def query(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        return_id: int,
        data: Annotated[ReturnQueryIn, Body()],
    ) -> ReturnOut:
        return await review.query_return(actor=actor, return_id=return_id, comments=data.comments, now=clock.now())

    @post(
        "/corrections",
        status_code=200,
        guards=[CORRECTORS],
        summary="Correct an accepted return with a reason: the figures are replaced, making a new version",
    )
    async def correct(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        return_id: int,
        data: Annotated[ReturnCorrectionIn, Body()],
    ) -> CorrectionOut:
        return await review.correct_return(
            actor=actor, return_id=return_id, figures=data.figures, reason=data.reason, now=clock.now()
        )

    @get("/history", guards=[READERS], summary="Each version of the return, what changed, and the queries on it")
    async def history(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> ReturnHistoryOut:
        return await history.return_history(actor=actor, return_id=return_id, now=clock.now())
