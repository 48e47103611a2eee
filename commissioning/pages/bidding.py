"""Pages for providers: make, save as draft, change or withdraw a bid, attach documents, and see their bids."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role, signed_in
from commissioning import rules
from commissioning.controllers.ids import ids_in_range
from commissioning.queries import bids as bid_queries
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import BidIn, BidOut, SpecificationOut
from commissioning.services import bids
from core.clock import Clock
from core.errors import NotAllowed, NotFound
from core.i18n import N_, gettext
from core.money import pounds_input
from core.public_ids import BidPath
from web.forms import Form, KeyedRows, NoAnswers, button_form, error_summary, parse_form
from web.templating import page, with_flash

PROVIDER = requires_role(Role.PROVIDER)

ATTACHMENT_HEADERS = {
    "x-content-type-options": "nosniff",  # the type sent is the type sniffed on upload; no browser guesses another
    "content-security-policy": "sandbox",  # opened in a tab anyway, a document runs no script and has no origin
}

BID_MESSAGES = {
    "prices.price_pence": N_("Enter an amount in pounds, like 1250.00"),
    "start_on": N_("Enter a real date, like 1 4 2027"),
}


def _values(spec: SpecificationOut, bid: BidOut | None) -> dict[str, Any]:
    """The saved bid as its form shows it, in the shape the form kit gives back what was typed."""
    prices = {p.financial_year: pounds_input(p.price_pence) for p in bid.prices} if bid else {}
    answers = {a.criterion: a.answer for a in bid.answers} if bid else {}
    start = bid.start_on if bid else None
    return {
        "prices": {y.financial_year: {"price": prices.get(y.financial_year, "")} for y in spec.years},
        "answers": {n: {"answer": answers.get(n, "")} for n in range(len(spec.criteria))},
        "staff": bid.staff if bid else "",
        "day": str(start.day) if start else "",
        "month": str(start.month) if start else "",
        "year": str(start.year) if start else "",
    }


def _read_bid(posted: Any, spec: SpecificationOut) -> Form[BidIn]:
    """A draft may leave a year's price blank; a submitted bid gives every year's."""
    submit = str(posted.get("action", "")) == "submit"
    return parse_form(
        posted,
        BidIn,
        messages=BID_MESSAGES,
        keyed_rows={
            "prices": KeyedRows(
                "price",
                [y.financial_year for y in spec.years],
                field="financial_year",
                names={"price": "price-{key}"},
                optional=not submit,
                refused_on="price",
            ),
            "answers": KeyedRows(
                "answer",
                range(len(spec.criteria)),
                field="criterion",
                names={"answer": "answer-{key}"},
                optional=True,
                refused_on="answer",
            ),
        },
        pounds={"prices.price": "prices.price_pence"},
        above_zero={"prices.price_pence": N_("The price must be more than £0")},
        dates={"start_on": ""},
        clear=("start_on",),  # a date left blank is an answer, none: BidIn asks for start_on, a draft may leave it
        ids={"start_on": "start_on-day"},
        fixed={"submit": submit},
    )


class BiddingPages(Controller):
    path = "/"
    include_in_schema = False
    before_request = ids_in_range

    async def _form(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        spec: SpecificationOut,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        bid = await bid_queries.own_bid(actor=actor, specification_id=spec.id, now=clock.now())
        language = request.scope["state"]["language"]
        return page(
            request,
            "commissioning/bid_form.html",
            {
                "title": gettext("Your bid for %(title)s", title=spec.title_cy if language == "cy" else spec.title),
                "spec": spec,
                "bid": bid,
                "values": values or _values(spec, bid),
                "errors": errors or {},
                "error_list": error_summary(errors or {}),
                "open": spec.status is rules.SpecificationStatus.PUBLISHED,
            },
            status_code=status_code,
        )

    async def _spec(self, actor: Actor, clock: Clock, specification_id: int) -> SpecificationOut:
        return await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )

    @get("/specifications/{specification_id:int}/bid", guards=[PROVIDER])
    async def bid_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        return await self._form(request, actor, clock, await self._spec(actor, clock, specification_id))

    @post("/specifications/{specification_id:int}/bid", guards=[PROVIDER])
    async def save(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        spec = await self._spec(actor, clock, specification_id)
        await bids.approved_vehicle(actor)
        posted = await request.form()
        checking = str(posted.get("action", "")) == "check"  # saved as a draft, then checked before it is submitted
        form = _read_bid(posted, spec)
        await form.run(
            lambda data: bids.save_bid(actor=actor, specification_id=specification_id, now=clock.now(), data=data),
            default_field="staff",
            passes=(NotAllowed,),
        )
        if form.ok and checking:
            return Redirect(path=f"/specifications/{specification_id}/bid/check")
        if form.ok:
            flash = "bid_submitted" if form.data is not None and form.data.submit else "bid_saved"
            return with_flash(Redirect(path=f"/specifications/{specification_id}/bid"), flash)
        return await self._form(request, actor, clock, spec, values=form.values, errors=form.errors, status_code=400)

    async def _check_page(
        self, request: Request, actor: Actor, clock: Clock, spec: SpecificationOut, errors: dict[str, str], status: int
    ) -> Template:
        bid = await bid_queries.own_bid(actor=actor, specification_id=spec.id, now=clock.now())
        if bid is None or not bid.can_change:
            raise NotFound("No such bid")
        language = request.scope["state"]["language"]
        return page(
            request,
            "commissioning/bid_check.html",
            {
                "title": gettext(
                    "Check your bid for %(title)s", title=spec.title_cy if language == "cy" else spec.title
                ),
                "spec": spec,
                "bid": bid,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status,
        )

    @get("/specifications/{specification_id:int}/bid/check", guards=[PROVIDER])
    async def check(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        """Check your answers: the whole bid as it will be submitted, each part with a link to change it."""
        spec = await self._spec(actor, clock, specification_id)
        return await self._check_page(request, actor, clock, spec, {}, 200)

    @post("/bids/{bid_id:str}/submit", guards=[PROVIDER])
    async def submit(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: BidPath
    ) -> Response[Any]:
        bid = await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())
        if bid.delivery_vehicle_id != actor.delivery_vehicle_id:
            raise NotFound("No such bid")
        form = button_form()
        await form.run(
            lambda _: bids.submit_saved_bid(actor=actor, bid_id=bid_id, now=clock.now()),
            default_field="submit-bid",
            passes=(NotAllowed,),
        )
        if form.ok:
            return with_flash(Redirect(path=f"/specifications/{bid.specification_id}/bid"), "bid_submitted")
        spec = await self._spec(actor, clock, bid.specification_id)
        return await self._check_page(request, actor, clock, spec, form.errors, 400)

    @post(
        "/bids/{bid_id:str}/attachments",
        guards=[PROVIDER],
        request_max_body_size=bids.MAX_UPLOAD_BODY_BYTES,
        upload_field="file",
    )
    async def attach(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        bid_id: BidPath,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Any]:
        bid = await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())
        upload: Any = data.get("file")
        form = button_form()
        if upload is None or not getattr(upload, "filename", ""):
            form.add_error("file", gettext("Choose a file to attach"))

        async def attach_upload(_: NoAnswers) -> int:
            content = await upload.read()
            return await bids.add_attachment(
                actor=actor, bid_id=bid_id, filename=upload.filename, content=content, now=clock.now()
            )

        await form.run(attach_upload, default_field="file")
        if form.ok:
            return with_flash(Redirect(path=f"/specifications/{bid.specification_id}/bid"), "attachment_added")
        spec = await self._spec(actor, clock, bid.specification_id)
        return await self._form(request, actor, clock, spec, errors=form.errors, status_code=400)

    @get("/bids/{bid_id:str}/attachments/{attachment_id:int}", guards=[signed_in])
    async def download(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: BidPath, attachment_id: int
    ) -> Response[bytes]:
        document = await bid_queries.attachment_file(
            actor=actor, bid_id=bid_id, attachment_id=attachment_id, now=clock.now()
        )
        return Response(
            content=bids.attachment_bytes(document.sha256),
            media_type=document.content_type,
            headers=ATTACHMENT_HEADERS | {"content-disposition": rules.attachment_disposition(document.filename)},
        )

    @get("/bids/{bid_id:str}/withdraw", guards=[PROVIDER])
    async def withdraw_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: BidPath
    ) -> Template:
        bid = await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())
        return page(request, "commissioning/bid_withdraw.html", {"title": gettext("Withdraw your bid"), "bid": bid})

    @post("/bids/{bid_id:str}/withdraw", guards=[PROVIDER])
    async def withdraw(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: BidPath
    ) -> Response[Any]:
        bid = await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())
        await bids.withdraw_bid(actor=actor, bid_id=bid_id, now=clock.now())
        return with_flash(Redirect(path=f"/specifications/{bid.specification_id}/bid"), "bid_withdrawn")

    @get("/bids", guards=[PROVIDER])
    async def mine(self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> Template:
        return page(
            request,
            "commissioning/my_bids.html",
            {"title": gettext("Your bids"), "bids": await bid_queries.list_own_bids(actor=actor, now=clock.now())},
        )
