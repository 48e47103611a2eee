"""JSON API: the evaluation panel, declarations, scores and moderation."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from commissioning.queries import evaluation as evaluation_queries
from commissioning.schemas import (
    DeclarationIn,
    EvaluationOut,
    ModerationIn,
    PanelMemberIn,
    PanelRemovalIn,
    ScoresIn,
)
from commissioning.services import evaluation
from core.clock import Clock
from core.public_ids import BidPath

COMMISSIONER = requires_role(Role.COMMISSIONER)


EVALUATOR = requires_role(Role.EVALUATOR)


class EvaluationController(Controller):
    path = "/api/v1"
    tags = ["Bids and award"]
    before_request = ids_in_range

    @post("/specifications/{specification_id:int}/panel", guards=[COMMISSIONER], status_code=204)
    async def name_evaluator(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        data: Annotated[PanelMemberIn, Body()],
    ) -> None:
        await evaluation.name_evaluator(
            actor=actor, specification_id=specification_id, username=data.username, now=clock.now()
        )

    @post(
        "/specifications/{specification_id:int}/panel/{user_id:int}/removal",
        guards=[COMMISSIONER],
        status_code=204,
        summary="Take a member off the panel, with the reason (their declaration and scores go with them)",
    )
    async def remove_evaluator(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        user_id: int,
        data: Annotated[PanelRemovalIn, Body()],
    ) -> None:
        await evaluation.remove_evaluator(
            actor=actor, specification_id=specification_id, user_id=user_id, reason=data.reason, now=clock.now()
        )

    @post(
        "/specifications/{specification_id:int}/declarations",
        guards=[EVALUATOR],
        status_code=201,
        summary="Declare interests before seeing any bid; a conflict recuses you",
    )
    async def declare(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        data: Annotated[DeclarationIn, Body()],
    ) -> dict[str, Any]:
        recused = await evaluation.declare_interests(
            actor=actor, specification_id=specification_id, data=data, now=clock.now()
        )
        return {"recused": recused}

    @put(
        "/bids/{bid_id:str}/scores",
        guards=[EVALUATOR],
        status_code=204,
        summary="Score each quality criterion 0-5 with a reason",
    )
    async def score(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        bid_id: BidPath,
        data: Annotated[ScoresIn, Body()],
    ) -> None:
        await evaluation.score_bid(actor=actor, bid_id=bid_id, data=data, now=clock.now())

    @post("/bids/{bid_id:str}/moderation", guards=[COMMISSIONER], status_code=204)
    async def moderate(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        bid_id: BidPath,
        data: Annotated[ModerationIn, Body()],
    ) -> None:
        await evaluation.moderate(actor=actor, bid_id=bid_id, data=data, now=clock.now())

    @get(
        "/specifications/{specification_id:int}/evaluation",
        guards=[requires_role(Role.COMMISSIONER, Role.EVALUATOR, Role.NATIONAL_ADMIN)],
        summary="Quality, price and total scores and the ranking, with the tie rule",
    )
    async def get_evaluation(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> EvaluationOut:
        return await evaluation_queries.evaluation(actor=actor, specification_id=specification_id, now=clock.now())
