"""Pages for providers: make, save as draft, change or withdraw a bid, attach documents, and see their bids."""

from __future__ import annotations

from datetime import date
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
from commissioning.pages import forms
from commissioning.queries import bids as bid_queries
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import BidAnswerIn, BidIn, BidPriceIn
from commissioning.services import bids
from core.clock import Clock
from core.errors import DomainError
from core.i18n import N_, gettext
from core.money import pounds_input
from web.forms import error_summary
from web.templating import page, with_flash

PROVIDER = requires_role(Role.PROVIDER)


def _values(spec: Any, bid: Any) -> dict[str, Any]:
    prices = {p.financial_year: pounds_input(p.price_pence) for p in bid.prices} if bid else {}
    answers = {a.criterion: a.answer for a in bid.answers} if bid else {}
    start = bid.start_on if bid else None
    return {
        "prices": {y.financial_year: prices.get(y.financial_year, "") for y in spec.years},
        "answers": {n: answers.get(n, "") for n in range(len(spec.criteria))},
        "staff": bid.staff if bid else "",
        "day": str(start.day) if start else "",
        "month": str(start.month) if start else "",
        "year": str(start.year) if start else "",
    }


class BiddingPages(Controller):
    path = "/"
    include_in_schema = False
    before_request = ids_in_range

    async def _form(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        specification_id: int,
        values: dict[str, Any] | None,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        bid = await bid_queries.own_bid(actor=actor, specification_id=specification_id, now=clock.now())
        language = request.scope["state"]["language"]
        return page(
            request,
            "commissioning/bid_form.html",
            {
                "title": gettext("Your bid for %(title)s", title=spec.title_cy if language == "cy" else spec.title),
                "spec": spec,
                "bid": bid,
                "values": values or _values(spec, bid),
                "errors": errors,
                "error_list": error_summary(errors, {"start_on": "start_on-day"}),
                "open": spec.status is rules.SpecificationStatus.PUBLISHED,
            },
            status_code=status_code,
        )

    @get("/specifications/{specification_id:int}/bid", guards=[PROVIDER])
    async def bid_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        return await self._form(request, actor, clock, specification_id, None, {})

    @post("/specifications/{specification_id:int}/bid", guards=[PROVIDER])
    async def save(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        form = await request.form()
        submit = str(form.get("action", "")) == "submit"
        errors: dict[str, str] = {}
        values: dict[str, Any] = {
            "prices": {y.financial_year: str(form.get(f"price-{y.financial_year}", "")).strip() for y in spec.years},
            "answers": {n: str(form.get(f"answer-{n}", "")).strip() for n in range(len(spec.criteria))},
            "staff": str(form.get("staff", "")).strip(),
            "day": str(form.get("day", "")).strip(),
            "month": str(form.get("month", "")).strip(),
            "year": str(form.get("year", "")).strip(),
        }
        prices = []
        for year, text in values["prices"].items():
            if text or submit:
                pence = forms.pounds_field(
                    text, f"price-{year}", errors, zero_message=N_("The price must be more than £0")
                )
                if pence is not None:
                    prices.append(BidPriceIn(financial_year=year, price_pence=pence))
        start_on = None
        if values["day"] or values["month"] or values["year"]:
            try:
                start_on = date(int(values["year"]), int(values["month"]), int(values["day"]))
            except ValueError:
                errors["start_on"] = gettext("Enter a real date, like 1 4 2027")
        if not errors:
            try:
                await bids.save_bid(
                    actor=actor,
                    specification_id=specification_id,
                    now=clock.now(),
                    data=BidIn(
                        prices=prices,
                        staff=values["staff"],
                        start_on=start_on,
                        submit=submit,
                        answers=[BidAnswerIn(criterion=n, answer=a) for n, a in values["answers"].items() if a],
                    ),
                )
            except DomainError as exc:
                if exc.status_code == 404:
                    raise
                field = {"prices": f"price-{exc.params.get('financial_year', '')}", "answers": "answer-0"}.get(
                    exc.field or "", exc.field or "staff"
                )
                if exc.field == "answers" and "number" in exc.params:
                    field = f"answer-{int(exc.params['number']) - 1}"
                errors[field] = gettext(exc.message, **exc.params)
            else:
                return with_flash(
                    Redirect(path=f"/specifications/{specification_id}/bid"), "bid_submitted" if submit else "bid_saved"
                )
        return await self._form(request, actor, clock, specification_id, values, errors, status_code=400)

    @post("/bids/{bid_id:int}/attachments", guards=[PROVIDER])
    async def attach(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        bid_id: int,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Any]:
        upload = data.get("file")
        bid = await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())
        try:
            if upload is None or not getattr(upload, "filename", ""):
                raise DomainError("Choose a file to attach", field="file")
            content = await upload.read()
            await bids.add_attachment(
                actor=actor, bid_id=bid_id, filename=upload.filename, content=content, now=clock.now()
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            errors = {"file": gettext(exc.message, **exc.params)}
            return await self._form(request, actor, clock, bid.specification_id, None, errors, status_code=400)
        return with_flash(Redirect(path=f"/specifications/{bid.specification_id}/bid"), "attachment_added")

    @get("/bids/{bid_id:int}/attachments/{attachment_id:int}", guards=[signed_in])
    async def download(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: int, attachment_id: int
    ) -> Response[bytes]:
        document = await bid_queries.attachment_file(
            actor=actor, bid_id=bid_id, attachment_id=attachment_id, now=clock.now()
        )
        return Response(
            content=bids.attachment_bytes(document.sha256),
            media_type=document.content_type,
            headers={"content-disposition": f'attachment; filename="{document.filename}"'},
        )

    @get("/bids/{bid_id:int}/withdraw", guards=[PROVIDER])
    async def withdraw_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: int
    ) -> Template:
        bid = await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())
        return page(request, "commissioning/bid_withdraw.html", {"title": gettext("Withdraw your bid"), "bid": bid})

    @post("/bids/{bid_id:int}/withdraw", guards=[PROVIDER])
    async def withdraw(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], bid_id: int
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
