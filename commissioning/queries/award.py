"""Reads of the award: the notice, its representations and what an unsuccessful bidder is told."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from piccolo.query.functions.aggregate import Sum

from accounts.actor import Actor, Role
from commissioning import rules
from commissioning.queries.bids import published_specification
from commissioning.schemas import (
    AwardOut,
    AwardRef,
    AwardValueIn,
    BidderComparison,
    ComparedBid,
    ComparedCriterion,
    RepresentationOut,
)
from commissioning.tables import (
    Award,
    Bid,
    BidPrice,
    EvaluationCriterion,
    ModeratedScore,
    Representation,
    Specification,
)
from contracts.tables import Contract
from core.clock import LONDON
from core.errors import NotFound
from core.i18n import gettext


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def award_out(row: dict[str, Any]) -> AwardOut:
    """An award as read by anyone (the reader's flags are set by get_award); three statements whatever it holds."""
    parts = (
        await Award.select(
            Award.specification.reference.as_alias("reference"),
            Award.specification.procurement_route.as_alias("procurement_route"),
            Award.delivery_vehicle.name.as_alias("vehicle"),
            Award.bid.public_id.as_alias("bid_public_id"),
        )
        .where(Award.id == row["id"])
        .first()
    )
    assert parts is not None
    spec = {"id": row["specification"], **parts}
    vehicle = {"name": parts["vehicle"]} if parts["vehicle"] is not None else None
    representations = await Representation.select().where(Representation.award == row["id"]).order_by(Representation.id)
    contract = await Contract.select(Contract.id).where(Contract.award == row["id"]).first()
    notice_on = row["notice_at"].astimezone(LONDON).date()
    return AwardOut(
        id=row["id"],
        specification_id=spec["id"],
        reference=spec["reference"],
        route=rules.ProcurementRoute(spec["procurement_route"]),
        route_label=gettext(rules.ProcurementRoute(spec["procurement_route"]).label),
        delivery_vehicle_id=row["delivery_vehicle"],
        delivery_vehicle=vehicle["name"] if vehicle else "",
        bid_id=parts["bid_public_id"] if row["bid"] is not None else None,
        rationale=row["rationale"],
        values=[
            AwardValueIn(financial_year=v["financial_year"], value_pence=v["value_pence"])
            for v in _json(row["annual_values"])
        ],
        notice_at=row["notice_at"],
        standstill_ends_on=row["standstill_ends_on"],
        earliest_confirmation_on=rules.earliest_confirmation_on(spec["procurement_route"], notice_on),
        status=rules.AwardStatus(row["status"]),
        status_label=gettext(rules.AwardStatus(row["status"]).label),
        confirmed_at=row["confirmed_at"],
        contract_id=contract["id"] if contract else None,
        representations=[_representation_out(r) for r in representations],
    )


def _representation_out(row: dict[str, Any]) -> RepresentationOut:
    return RepresentationOut(
        id=row["id"],
        delivery_vehicle_id=row["delivery_vehicle"],
        text=row["text"],
        lodged_at=row["lodged_at"],
        answer=row["answer"],
        answered_at=row["answered_at"],
    )


async def get_representation(*, actor: Actor, representation_id: int) -> RepresentationOut:
    """A representation, as its author's vehicle and the PCPG's commissioners see it; to anyone else it does not
    exist (as on the award, get_award)."""
    row = (
        await Representation.select(
            *Representation.all_columns(),
            Representation.award.specification.pcpg.as_alias("pcpg_id"),  # type: ignore[union-attr]
        )
        .where(Representation.id == representation_id)
        .first()
    )
    manager = row is not None and rules.can_manage_specification(
        role=actor.role.value if actor.role else None, actor_pcpg_ids=actor.pcpg_ids, pcpg_id=row["pcpg_id"]
    )
    if row is None or not (manager or row["delivery_vehicle"] == actor.delivery_vehicle_id):
        raise NotFound("No such representation")
    return _representation_out(row)


async def get_award(*, actor: Actor | None, award_id: int, now: datetime) -> AwardOut:
    """An award notice is public once made; representations are shown to the PCPG and to their authors only.
    What the reader may do with it (represent, answer, make the contract) is decided here by rules.py."""
    row = await Award.select().where(Award.id == award_id).first()
    if row is None:
        raise NotFound("No such award")
    out = await award_out(row)
    spec = await Specification.select(Specification.pcpg).where(Specification.id == out.specification_id).first()
    manager = spec is not None and rules.can_manage_specification(
        role=actor.role.value if actor is not None and actor.role else None,
        actor_pcpg_ids=actor.pcpg_ids if actor is not None else (),
        pcpg_id=spec["pcpg"],
    )
    own = actor.delivery_vehicle_id if actor is not None else None
    if not manager:
        out.representations = [r for r in out.representations if r.delivery_vehicle_id == own]
    today = now.astimezone(LONDON).date()
    standstill = out.status is rules.AwardStatus.STANDSTILL
    out.confirmed = out.status is rules.AwardStatus.CONFIRMED
    out.can_answer = manager and standstill
    out.can_confirm = manager and standstill
    out.standstill_over = rules.confirmation_open(today=today, earliest_on=out.earliest_confirmation_on)
    out.open_representations = sum(1 for r in out.representations if r.answered_at is None) if manager else 0
    out.confirm_ready = out.can_confirm and rules.can_confirm(
        today=today, earliest_on=out.earliest_confirmation_on, open_representations=out.open_representations
    )
    if actor is not None and actor.role is Role.PROVIDER and own is not None:
        submitted = await Bid.exists().where(
            (Bid.specification == out.specification_id)
            & (Bid.status == rules.BidStatus.SUBMITTED)
            & (Bid.delivery_vehicle == own)
        )
        out.can_represent = (
            rules.representation_refusal(
                route=out.route,
                award_status=out.status,
                standstill_ends_on=out.standstill_ends_on,
                today=today,
                own_vehicle_id=own,
                winner_vehicle_id=out.delivery_vehicle_id,
                submitted_a_bid=submitted,
            )
            is None
        )
    return out


async def award_for_specification(specification_id: int) -> AwardRef | None:
    row = (
        await Award.select(Award.id, Award.status)
        .where((Award.specification == specification_id) & (Award.status != rules.AwardStatus.WITHDRAWN))
        .first()
    )
    return AwardRef(id=row["id"], status=rules.AwardStatus(row["status"])) if row else None


async def bidder_comparison(
    *, own_bid_id: str, winning_bid_id: str | None, specification_id: int, now: datetime
) -> BidderComparison | None:
    """What an unsuccessful bidder is told: its own moderated scores and totals beside the winner's. The bids are
    named by their public ids (core.public_ids)."""
    spec = await published_specification(specification_id)
    criteria = (
        await EvaluationCriterion.select()
        .where(EvaluationCriterion.specification == specification_id)
        .order_by(EvaluationCriterion.position)
    )
    weights = {c["position"]: c["weight"] for c in criteria}
    submitted = await Bid.select().where(
        (Bid.specification == specification_id) & (Bid.status == rules.BidStatus.SUBMITTED)
    )
    totals = {row["id"]: 0 for row in submitted}
    price: Any = BidPrice
    for p in (
        await price.select(price.bid, Sum(price.price_pence).as_alias("total"))
        .where(price.bid.is_in(list(totals) or [-1]))
        .group_by(price.bid)
    ):
        totals[p["bid"]] = int(p["total"] or 0)
    moderated: dict[int, dict[int, int]] = {}
    for m in await ModeratedScore.select().where(ModeratedScore.bid.is_in(list(totals) or [-1])):
        moderated.setdefault(m["bid"], {})[m["criterion_position"]] = m["score"]
    public = {row["public_id"]: row["id"] for row in submitted}
    if public.get(own_bid_id) not in totals:
        return None
    ranked = {
        r.bid_id: r
        for r in rules.rank_bids(
            weights,
            spec["price_weight"],
            [
                rules.BidResult(
                    bid_id=b["public_id"],
                    total_price_pence=totals[b["id"]],
                    submitted_at=b["submitted_at"] or now,
                    moderated=moderated.get(b["id"], {}),
                )
                for b in submitted
            ],
        )
    }

    def summary(bid_id: str | None) -> ComparedBid | None:
        if bid_id is None or bid_id not in ranked:
            return None
        r = ranked[bid_id]
        return ComparedBid(
            scores=[moderated.get(public[bid_id], {}).get(c["position"]) for c in criteria],
            quality=round(float(r.quality_score), 2),
            price=round(float(r.price_score), 2),
            total=round(float(r.total_score), 2),
            rank=r.rank,
        )

    return BidderComparison(
        criteria=[ComparedCriterion(title=c["title"], title_cy=c["title_cy"], weight=c["weight"]) for c in criteria],
        own=summary(own_bid_id),
        winner=summary(winning_bid_id),
        is_winner=own_bid_id == winning_bid_id,
    )


async def comparison_for(*, actor: Actor | None, notice: AwardOut, now: datetime) -> BidderComparison | None:
    """An unsuccessful (or winning) bidder's own scores beside the winner's, for a competitive award only."""
    if actor is None or actor.delivery_vehicle_id is None or notice.route is not rules.ProcurementRoute.COMPETITIVE:
        return None
    own = (
        await Bid.select(Bid.public_id)
        .where((Bid.specification == notice.specification_id) & (Bid.delivery_vehicle == actor.delivery_vehicle_id))
        .first()
    )
    if own is None:
        return None
    return await bidder_comparison(
        own_bid_id=own["public_id"], winning_bid_id=notice.bid_id, specification_id=notice.specification_id, now=now
    )
