"""Reads of bids, each through the sealed-bid rule (rules.can_see_bid)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.actor import Actor, Role
from commissioning import rules
from commissioning.schemas import (
    AttachmentOut,
    BidAnswerOut,
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
        await Declaration.select()
        .where((Declaration.specification == spec_id) & (Declaration.user == user_id))
        .first()
    )
    return member, declaration


async def published_specification(spec_id: int) -> dict[str, Any]:
    row = await Specification.select().where(Specification.id == spec_id).first()
    if row is None or row["status"] == rules.SpecificationStatus.DRAFT:
        raise NotFound("No such specification")
    return row


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
    status = rules.BidStatus(row["status"])
    prices = await BidPrice.select().where(BidPrice.bid == row["id"]).order_by(BidPrice.financial_year)
    answers = {a["criterion_position"]: a["answer"] for a in await BidAnswer.select().where(BidAnswer.bid == row["id"])}
    criteria = (
        await EvaluationCriterion.select()
        .where(EvaluationCriterion.specification == spec["id"])
        .order_by(EvaluationCriterion.position)
    )
    attachments = await BidAttachment.select().where(BidAttachment.bid == row["id"]).order_by(BidAttachment.id)
    vehicle = (
        await DeliveryVehicle.select(DeliveryVehicle.name).where(DeliveryVehicle.id == row["delivery_vehicle"]).first()
    )
    return BidOut(
        id=row["id"],
        specification_id=spec["id"],
        reference=spec["reference"],
        delivery_vehicle_id=row["delivery_vehicle"],
        delivery_vehicle=vehicle["name"] if vehicle else "",
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
    return [await _bid_out(row, await published_specification(row["specification"]), now) for row in rows]


async def list_bids(*, actor: Actor | None, specification_id: int, now: datetime) -> list[BidOut]:
    """Submitted bids the actor may see: none at all before the deadline, except their own."""
    spec = await published_specification(specification_id)
    rows = await Bid.select().where(Bid.specification == specification_id).order_by(Bid.submitted_at)
    visible = []
    for row in rows:
        own = actor is not None and actor.delivery_vehicle_id == row["delivery_vehicle"]
        if own or (
            row["status"] == rules.BidStatus.SUBMITTED and await may_see_bids(actor, spec, now, row["delivery_vehicle"])
        ):
            visible.append(await _bid_out(row, spec, now))
    return visible
