"""Reads of bids, each through the sealed-bid rule (rules.can_see_bid)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.actor import Actor, Role
from commissioning import rules
from commissioning.schemas import (
    AttachmentFile,
    AttachmentOut,
    BidAnswerOut,
    BidderOut,
    BidOut,
    BidPriceOut,
)
from commissioning.tables import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidPrice,
    Declaration,
    EvaluationCriterion,
    PanelMember,
    Specification,
)
from core.db import for_update
from core.errors import NotFound
from core.i18n import gettext
from core.periods import FinancialYear
from core.public_ids import is_public_id
from organisations.tables import DeliveryVehicle


async def panel_member(spec_id: int, user_id: int | None) -> tuple[bool, dict[str, Any] | None]:
    if user_id is None:
        return False, None
    member = await PanelMember.exists().where((PanelMember.specification == spec_id) & (PanelMember.user == user_id))
    declaration = (
        await Declaration.select().where((Declaration.specification == spec_id) & (Declaration.user == user_id)).first()
    )
    return member, declaration


async def published_specification(spec_id: int) -> dict[str, Any]:
    row = await Specification.select().where(Specification.id == spec_id).first()
    if row is None or row["status"] == rules.SpecificationStatus.DRAFT:
        raise NotFound("No such specification")
    return row


async def _published_specifications(spec_ids: set[int]) -> dict[int, dict[str, Any]]:
    """published_specification for many at once; drafts are left out."""
    rows = await Specification.select().where(
        Specification.id.is_in(list(spec_ids) or [-1]) & (Specification.status != rules.SpecificationStatus.DRAFT)
    )
    return {row["id"]: row for row in rows}


def opened_specifications(actor: Actor | None, now: datetime) -> Any:
    """The specifications whose submitted bids the actor may read (rules.can_see_bid for others' bids, in SQL): past
    the deadline, and the actor its PCPG's commissioner, a national administrator, or an evaluator on its panel who
    declared no conflict. A sub-select of specification ids, or None when there are none."""
    role = actor.role if actor is not None else None
    past = Specification.bid_deadline_at <= now
    if role is Role.NATIONAL_ADMIN:
        reader = None
    elif role is Role.COMMISSIONER and actor is not None and actor.pcpg_ids:
        reader = Specification.pcpg.is_in(list(actor.pcpg_ids))
    elif role is Role.EVALUATOR and actor is not None and actor.user_id is not None:
        on_panel = PanelMember.select(PanelMember.specification).where(PanelMember.user == actor.user_id)
        cleared = Declaration.select(Declaration.specification).where(
            (Declaration.user == actor.user_id) & (Declaration.conflict == False)  # noqa: E712 (SQL, not Python)
        )
        reader = Specification.id.is_in(on_panel) & Specification.id.is_in(cleared)
    else:
        return None
    return Specification.select(Specification.id).where(past if reader is None else past & reader)


def scope_condition(actor: Actor | None, now: datetime) -> Any:
    """The bids an actor may know exist (rules.can_see_bid, in SQL): their own vehicle's, in any state; others'
    once submitted and opened to the actor. Every read of bids uses it, so a hidden bid answers as an absent one."""
    opened = opened_specifications(actor, now)
    others = (
        (Bid.status == rules.BidStatus.SUBMITTED.value) & Bid.specification.is_in(opened)
        if opened is not None
        else Bid.id.is_in([-1])
    )
    if actor is not None and actor.delivery_vehicle_id is not None:
        return (Bid.delivery_vehicle == actor.delivery_vehicle_id) | others
    return others


async def bids_opened(*, actor: Actor | None, specification_id: int, now: datetime) -> bool:
    """Whether the actor may read the other bids for a specification (its evaluation)."""
    opened = opened_specifications(actor, now)
    if opened is None:
        return False
    return bool(
        await Specification.exists().where((Specification.id == specification_id) & Specification.id.is_in(opened))
    )


async def _bid_out(row: dict[str, Any], spec: dict[str, Any], now: datetime) -> BidOut:
    return (await _bid_outs([row], {spec["id"]: spec}, now))[0]


async def _bid_outs(rows: list[dict[str, Any]], specs: dict[int, dict[str, Any]], now: datetime) -> list[BidOut]:
    """A fixed number of statements for any number of bids: each child table is read once for all of them."""
    if not rows:
        return []
    bid_ids = [row["id"] for row in rows]
    prices: dict[int, list[dict[str, Any]]] = {bid_id: [] for bid_id in bid_ids}
    for p in await BidPrice.select().where(BidPrice.bid.is_in(bid_ids)).order_by(BidPrice.financial_year):
        prices[p["bid"]].append(p)
    answers: dict[int, dict[int, str]] = {bid_id: {} for bid_id in bid_ids}
    for a in await BidAnswer.select().where(BidAnswer.bid.is_in(bid_ids)):
        answers[a["bid"]][a["criterion_position"]] = a["answer"]
    criteria: dict[int, list[dict[str, Any]]] = {spec_id: [] for spec_id in specs}
    for c in (
        await EvaluationCriterion.select()
        .where(EvaluationCriterion.specification.is_in(list(specs)))
        .order_by(EvaluationCriterion.position)
    ):
        criteria[c["specification"]].append(c)
    attachments: dict[int, list[dict[str, Any]]] = {bid_id: [] for bid_id in bid_ids}
    for a in await BidAttachment.select().where(BidAttachment.bid.is_in(bid_ids)).order_by(BidAttachment.id):
        attachments[a["bid"]].append(a)
    vehicles = {
        v["id"]: v["name"]
        for v in await DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(
            DeliveryVehicle.id.is_in(list({row["delivery_vehicle"] for row in rows}))
        )
    }
    return [
        _one_bid_out(
            row,
            specs[row["specification"]],
            now,
            prices=prices[row["id"]],
            answers=answers[row["id"]],
            criteria=criteria[row["specification"]],
            attachments=attachments[row["id"]],
            vehicle=vehicles.get(row["delivery_vehicle"], ""),
        )
        for row in rows
    ]


def _one_bid_out(
    row: dict[str, Any],
    spec: dict[str, Any],
    now: datetime,
    *,
    prices: list[dict[str, Any]],
    answers: dict[int, str],
    criteria: list[dict[str, Any]],
    attachments: list[dict[str, Any]],
    vehicle: str,
) -> BidOut:
    status = rules.BidStatus(row["status"])
    return BidOut(
        id=row["public_id"],
        specification_id=spec["id"],
        reference=spec["reference"],
        delivery_vehicle_id=row["delivery_vehicle"],
        delivery_vehicle=vehicle,
        status=status,
        status_label=gettext(status.label),
        prices=[
            BidPriceOut(
                financial_year=p["financial_year"],
                label=FinancialYear(p["financial_year"]).label,
                price_pence=int(p["price_pence"]),
            )
            for p in prices
        ],
        total_price_pence=sum(int(p["price_pence"]) for p in prices),
        answers=[
            BidAnswerOut(
                criterion=c["position"], title=c["title"], title_cy=c["title_cy"], answer=answers.get(c["position"], "")
            )
            for c in criteria
        ],
        staff=row["staff"],
        start_on=row["start_on"],
        submitted_at=row["submitted_at"],
        withdrawn_at=row["withdrawn_at"],
        updated_at=row["updated_at"],
        attachments=[
            AttachmentOut(
                id=a["id"],
                filename=a["filename"],
                content_type=a["content_type"],
                size_bytes=a["size_bytes"],
                uploaded_at=a["uploaded_at"],
            )
            for a in attachments
        ],
        can_change=rules.bids_open(spec["status"], spec["bid_deadline_at"], now),
        status_tag=status.tag,
        is_submitted=status is rules.BidStatus.SUBMITTED,
        can_withdraw=rules.can_withdraw_bid(
            status, bids_are_open=rules.bids_open(spec["status"], spec["bid_deadline_at"], now)
        ),
    )


async def visible_bid(*, actor: Actor | None, bid_id: str, now: datetime, lock: bool = False) -> dict[str, Any]:
    """The bid's row when the actor may know it exists (scope_condition), else "No such bid" exactly as for an id that
    names nothing: one statement either way, asked before any check of role or state that could answer differently,
    so a sealed bid, another vehicle's draft and an absent id take the same path (STYLE.md 7.13). `lock` for a
    service that then writes (core.db.for_update). `bid_id` is the bid's public id (core.public_ids), the only id a
    user or client sees; one that is not even of that form names nothing, so it is asked for as the empty string."""
    query = Bid.select().where(
        (Bid.public_id == (bid_id if is_public_id(bid_id) else "")) & scope_condition(actor, now)
    )
    row = await (for_update(query).first() if lock else query.first())
    if row is None:
        raise NotFound("No such bid")
    return row


async def get_bid(*, actor: Actor | None, bid_id: str, now: datetime) -> BidOut:
    row = await visible_bid(actor=actor, bid_id=bid_id, now=now)
    return await _bid_out(row, await published_specification(row["specification"]), now)


async def own_bid(*, actor: Actor, specification_id: int, now: datetime) -> BidOut | None:
    if actor.delivery_vehicle_id is None:
        return None
    row = (
        await Bid.select()
        .where((Bid.specification == specification_id) & (Bid.delivery_vehicle == actor.delivery_vehicle_id))
        .first()
    )
    return await _bid_out(row, await published_specification(specification_id), now) if row else None


async def list_own_bids(*, actor: Actor, now: datetime) -> list[BidOut]:
    if actor.delivery_vehicle_id is None:
        return []
    rows = await Bid.select().where(Bid.delivery_vehicle == actor.delivery_vehicle_id).order_by(Bid.id, ascending=False)
    specs = await _published_specifications({row["specification"] for row in rows})
    return await _bid_outs([row for row in rows if row["specification"] in specs], specs, now)


async def list_bids(*, actor: Actor | None, specification_id: int, now: datetime) -> list[BidOut]:
    """Submitted bids the actor may see: none at all before the deadline, except their own."""
    spec = await published_specification(specification_id)
    rows = (
        await Bid.select()
        .where((Bid.specification == specification_id) & scope_condition(actor, now))
        .order_by(Bid.submitted_at)
    )
    return await _bid_outs(rows, {spec["id"]: spec}, now)


async def attachment_file(*, actor: Actor | None, bid_id: str, attachment_id: int, now: datetime) -> AttachmentFile:
    """A document of a bid the actor may see (visible_bid decides that); any other answers as an absent one."""
    bid = await visible_bid(actor=actor, bid_id=bid_id, now=now)
    await published_specification(bid["specification"])
    row = (
        await BidAttachment.select(BidAttachment.filename, BidAttachment.content_type, BidAttachment.sha256)
        .where((BidAttachment.id == attachment_id) & (BidAttachment.bid == bid["id"]))
        .first()
    )
    if row is None:
        raise NotFound("No such document")
    return AttachmentFile(filename=row["filename"], content_type=row["content_type"], sha256=row["sha256"])


async def bidders(specification_id: int) -> list[BidderOut]:
    """The delivery vehicles with a submitted bid (for the declaration of interests, after the deadline)."""
    rows = await Bid.select(Bid.delivery_vehicle, Bid.delivery_vehicle.name.as_alias("name")).where(
        (Bid.specification == specification_id) & (Bid.status == rules.BidStatus.SUBMITTED)
    )
    return [BidderOut(delivery_vehicle=r["delivery_vehicle"], name=r["name"]) for r in rows]
