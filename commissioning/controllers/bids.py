"""JSON API: bids, sealed until the deadline."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role, signed_in
from commissioning.controllers.ids import ids_in_range
from commissioning.queries import bids as bid_queries
from commissioning.schemas import (
    AttachmentIn,
    BidIn,
    BidOut,
)
from commissioning.services import bids
from core.clock import Clock
from core.public_ids import BidPath

PROVIDER = requires_role(Role.PROVIDER)


class BidController(Controller):
    path = "/api/v1"
    tags = ["Bids and award"]
    before_request = ids_in_range

    @post(
        "/specifications/{specification_id:int}/bids",
        guards=[PROVIDER],
        status_code=201,
        summary="Bid (or save a draft with submit=false); sealed until the deadline. One bid per delivery vehicle: "
        "a second is refused (409) with the address of the first (`bid_url`), to change with PUT",
    )
    async def create_bid(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        data: Annotated[BidIn, Body()],
    ) -> BidOut:
        bid_id = await bids.make_bid(actor=actor, specification_id=specification_id, data=data, now=clock.now())
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

    @get("/bids/{bid_id:str}", guards=[signed_in])
    async def get_bid(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: BidPath) -> BidOut:
        return await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())

    @put("/bids/{bid_id:str}", guards=[PROVIDER], summary="Replace your bid before the deadline")
    async def replace_bid(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        bid_id: BidPath,
        data: Annotated[BidIn, Body()],
    ) -> BidOut:
        await bids.replace_bid(actor=actor, bid_id=bid_id, data=data, now=clock.now())
        return await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())

    @post("/bids/{bid_id:str}/withdraw", guards=[PROVIDER], status_code=200)
    async def withdraw_bid(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: BidPath
    ) -> BidOut:
        await bids.withdraw_bid(actor=actor, bid_id=bid_id, now=clock.now())
        return await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())

    @post(
        "/bids/{bid_id:str}/attachments",
        guards=[PROVIDER],
        status_code=201,
        summary="Attach a PDF, DOCX or XLSX (10 MiB, 10,485,760 bytes, at most: a larger file is a 413 naming `file`; "
        "the type is read from the file itself, and a file that is also a web page is refused)",
        request_max_body_size=bids.MAX_UPLOAD_BODY_BYTES,
        upload_field="file",
    )
    async def attach(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        bid_id: BidPath,
        data: Annotated[AttachmentIn, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> BidOut:
        content = await data.file.read()
        await bids.add_attachment(
            actor=actor, bid_id=bid_id, filename=data.file.filename, content=content, now=clock.now()
        )
        return await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())
