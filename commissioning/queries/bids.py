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
from core.errors import NotFound
from core.i18n import gettext
from core.periods import FinancialYear
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


async def may_see_bids(actor: Actor | None, spec: dict[str, Any], now: datetime, vehicle_id: int | None) -> bool:
    if actor is None:
        return False
    member, declaration = await panel_member(spec["id"], actor.user_id)
    return rules.can_see_bid(
        own_vehicle=vehicle_id is not None and actor.delivery_vehicle_id == vehicle_id,
        bid_deadline_at=spec["bid_deadline_at"],
        now=now,
        is_pcpg_commissioner=actor.role is Role.COMMISSIONER and spec["pcpg"] in actor.pcpg_ids,
        is_cleared_evaluator=actor.role is Role.EVALUATOR
        and member
        and declaration is not None
        and not declaration["conflict"],
        is_admin=actor.role is Role.NATIONAL_ADMIN,
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
        id=row["id"],
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


async def get_bid(*, actor: Actor | None, bid_id: int, now: datetime) -> BidOut:
    row = await Bid.select().where(Bid.id == bid_id).first()
    if row is None:
        raise NotFound("No such bid")
    spec = await published_specification(row["specification"])
    own = actor is not None and actor.delivery_vehicle_id == row["delivery_vehicle"]
    if not own and (
        row["status"] != rules.BidStatus.SUBMITTED or not await may_see_bids(actor, spec, now, row["delivery_vehicle"])
    ):
        raise NotFound("No such bid")
    return await _bid_out(row, spec, now)


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
    rows = await Bid.select().where(Bid.specification == specification_id).order_by(Bid.submitted_at)
    others = await may_see_bids(actor, spec, now, None)  # whether the actor may see bids other than their own
    visible = [
        row
        for row in rows
        if (actor is not None and actor.delivery_vehicle_id == row["delivery_vehicle"])
        or (others and row["status"] == rules.BidStatus.SUBMITTED)
    ]
    return await _bid_outs(visible, {spec["id"]: spec}, now)


async def attachment_file(*, actor: Actor | None, bid_id: int, attachment_id: int, now: datetime) -> AttachmentFile:
    """A document of a bid the actor may see (get_bid decides that); any other answers as an absent one."""
    await get_bid(actor=actor, bid_id=bid_id, now=now)
    row = (
        await BidAttachment.select(BidAttachment.filename, BidAttachment.content_type, BidAttachment.sha256)
        .where((BidAttachment.id == attachment_id) & (BidAttachment.bid == bid_id))
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
