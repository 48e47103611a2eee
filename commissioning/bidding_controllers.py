"""JSON API: bids, the evaluation panel, scores, moderation and award."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role, signed_in
from commissioning import bid_queries
from commissioning.schemas import (
    AwardIn,
    AwardOut,
    BidIn,
    BidOut,
    DeclarationIn,
    EvaluationOut,
    ModerationIn,
    PanelMemberIn,
    RepresentationIn,
    ScoresIn,
)
from commissioning.services import award, bids, evaluation
from core.clock import Clock
from core.errors import NotFound

PROVIDER = requires_role(Role.PROVIDER)
COMMISSIONER = requires_role(Role.COMMISSIONER)
EVALUATOR = requires_role(Role.EVALUATOR)
MAX_ID = 2_147_483_647  # ids are PostgreSQL integers (as organisations.rules.MAX_ID)


class _IdsInRange:
    """A `before_request` hook: an id in the address past the database's integer names nothing, so it is "not
    found" (the database drivers would refuse it with a 500). An object, not a function, so that a controller's
    `before_request = ids_in_range` is not taken for a method."""

    async def __call__(self, request: Request[Any, Any, Any]) -> None:
        for name, value in request.path_params.items():
            if name.endswith("_id") and isinstance(value, int) and not 1 <= value <= MAX_ID:
                raise NotFound("Not found")


ids_in_range = _IdsInRange()


class BidController(Controller):
    path = "/api/v1"
    tags = ["Bids and award"]
    before_request = ids_in_range

    @post(
        "/specifications/{specification_id:int}/bids",
        guards=[PROVIDER],
        status_code=201,
        summary="Bid (or save a draft with submit=false); sealed until the deadline",
    )
    async def create_bid(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        data: Annotated[BidIn, Body()],
    ) -> BidOut:
        bid_id = await bids.save_bid(actor=actor, specification_id=specification_id, data=data, now=clock.now())
        return await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())

    @get(
        "/specifications/{specification_id:int}/bids",
        guards=[signed_in],
        summary="Bids you may see: none but your own before the deadline",
    )
    async def list_bids(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> list[BidOut]:
        return await bid_queries.list_bids(actor=actor, specification_id=specification_id, now=clock.now())

    @get("/bids/mine", guards=[PROVIDER])
    async def my_bids(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> list[BidOut]:
        return await bid_queries.list_own_bids(actor=actor, now=clock.now())

    @get("/bids/{bid_id:int}", guards=[signed_in])
    async def get_bid(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: int) -> BidOut:
        return await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())

    @put("/bids/{bid_id:int}", guards=[PROVIDER], summary="Replace your bid before the deadline")
    async def replace_bid(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: int, data: Annotated[BidIn, Body()]
    ) -> BidOut:
        await bids.replace_bid(actor=actor, bid_id=bid_id, data=data, now=clock.now())
        return await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())

    @post("/bids/{bid_id:int}/withdraw", guards=[PROVIDER], status_code=200)
    async def withdraw_bid(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: int) -> BidOut:
        await bids.withdraw_bid(actor=actor, bid_id=bid_id, now=clock.now())
        return await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())

    @post(
        "/bids/{bid_id:int}/attachments",
        guards=[PROVIDER],
        status_code=201,
        summary="Attach a PDF, DOCX or XLSX (10 MB at most; the type is read from the file itself)",
    )
    async def attach(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        bid_id: int,
        data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> BidOut:
        content = await data.read()
        await bids.add_attachment(actor=actor, bid_id=bid_id, filename=data.filename, content=content, now=clock.now())
        return await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())


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
        "/bids/{bid_id:int}/scores",
        guards=[EVALUATOR],
        status_code=204,
        summary="Score each quality criterion 0-5 with a reason",
    )
    async def score(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        bid_id: int,
        data: Annotated[ScoresIn, Body()],
    ) -> None:
        await evaluation.score_bid(actor=actor, bid_id=bid_id, data=data, now=clock.now())

    @post("/bids/{bid_id:int}/moderation", guards=[COMMISSIONER], status_code=204)
    async def moderate(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        bid_id: int,
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
        return await bid_queries.evaluation(actor=actor, specification_id=specification_id, now=clock.now())


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
    async def get_award(self, maybe_actor: NamedDependency[Actor | None], award_id: int) -> AwardOut:
        return await bid_queries.get_award(actor=maybe_actor, award_id=award_id)

    @post("/awards/{award_id:int}/representations", guards=[PROVIDER], status_code=201)
    async def represent(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        award_id: int,
        data: Annotated[RepresentationIn, Body()],
    ) -> AwardOut:
        await award.lodge_representation(actor=actor, award_id=award_id, text=data.text, now=clock.now())
        return await bid_queries.get_award(actor=actor, award_id=award_id)

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
