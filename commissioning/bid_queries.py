"""Reads of bids, the evaluation and the award, each through the sealed-bid rule (rules.can_see_bid)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from accounts.actor import Actor, Role
from commissioning import rules
from commissioning.schemas import (
    AttachmentOut,
    AwardOut,
    AwardValueIn,
    BidAnswerOut,
    BidEvaluationOut,
    BidOut,
    BidPriceOut,
    CriterionOut,
    DescriptorOut,
    EvaluationOut,
    PanelMemberOut,
    RepresentationOut,
    ScoreOut,
)
from commissioning.tables import (
    Award,
    Bid,
    BidAnswer,
    BidAttachment,
    BidPrice,
    Declaration,
    EvaluationCriterion,
    ModeratedScore,
    PanelMember,
    Representation,
    Score,
    Specification,
)
from contracts.tables import Contract
from core.clock import LONDON
from core.errors import NotAllowed, NotFound
from core.periods import FinancialYear
from organisations.tables import DeliveryVehicle

TIE_RULE = (
    "Highest total score first. Equal totals (to 2 decimal places) are split by the higher quality score, "
    "then the lower total price, then the earlier submission."
)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def panel_member(spec_id: int, user_id: int | None) -> tuple[bool, dict[str, Any] | None]:
    if user_id is None:
        return False, None
    member = await PanelMember.exists().where((PanelMember.specification == spec_id) & (PanelMember.user == user_id))
    declaration = (
        await Declaration.select().where((Declaration.specification == spec_id) & (Declaration.user == user_id)).first()
    )
    return member, declaration


async def _spec(spec_id: int) -> dict[str, Any]:
    row = await Specification.select().where(Specification.id == spec_id).first()
    if row is None or row["status"] == "draft":
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
        status=row["status"],
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
    )


async def get_bid(*, actor: Actor | None, bid_id: int, now: datetime) -> BidOut:
    row = await Bid.select().where(Bid.id == bid_id).first()
    if row is None:
        raise NotFound("No such bid")
    spec = await _spec(row["specification"])
    own = actor is not None and actor.delivery_vehicle_id == row["delivery_vehicle"]
    if not own and (row["status"] != "submitted" or not await may_see_bids(actor, spec, now, row["delivery_vehicle"])):
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
    return await _bid_out(row, await _spec(specification_id), now) if row else None


async def list_own_bids(*, actor: Actor, now: datetime) -> list[BidOut]:
    if actor.delivery_vehicle_id is None:
        return []
    rows = await Bid.select().where(Bid.delivery_vehicle == actor.delivery_vehicle_id).order_by(Bid.id, ascending=False)
    return [await _bid_out(row, await _spec(row["specification"]), now) for row in rows]


async def list_bids(*, actor: Actor | None, specification_id: int, now: datetime) -> list[BidOut]:
    """Submitted bids the actor may see: none at all before the deadline, except their own."""
    spec = await _spec(specification_id)
    rows = await Bid.select().where(Bid.specification == specification_id).order_by(Bid.submitted_at)
    visible = []
    for row in rows:
        own = actor is not None and actor.delivery_vehicle_id == row["delivery_vehicle"]
        if own or (row["status"] == "submitted" and await may_see_bids(actor, spec, now, row["delivery_vehicle"])):
            visible.append(await _bid_out(row, spec, now))
    return visible


async def evaluation(*, actor: Actor, specification_id: int, now: datetime) -> EvaluationOut:
    """Scores stay hidden from other evaluators until every cleared evaluator has scored every bid."""
    spec = await _spec(specification_id)
    manager = actor.role is Role.COMMISSIONER and spec["pcpg"] in actor.pcpg_ids
    member, declaration = await panel_member(specification_id, actor.user_id)
    cleared = actor.role is Role.EVALUATOR and member and declaration is not None and not declaration["conflict"]
    if not (manager or cleared or actor.role is Role.NATIONAL_ADMIN):
        raise NotFound("No such specification")
    if not await may_see_bids(actor, spec, now, None):
        raise NotAllowed("Bids stay sealed until the deadline")
    criteria_rows = (
        await EvaluationCriterion.select()
        .where(EvaluationCriterion.specification == specification_id)
        .order_by(EvaluationCriterion.position)
    )
    criteria = [
        CriterionOut(
            title=c["title"],
            title_cy=c["title_cy"],
            weight=c["weight"],
            descriptors=[DescriptorOut(en=d["en"], cy=d["cy"]) for d in _json(c["descriptors"])],
        )
        for c in criteria_rows
    ]
    weights = {c["position"]: c["weight"] for c in criteria_rows}
    bids = [
        b for b in await list_bids(actor=actor, specification_id=specification_id, now=now) if b.status == "submitted"
    ]
    members = await PanelMember.select().where(PanelMember.specification == specification_id).order_by(PanelMember.id)
    declarations = {
        d["user"]: d for d in await Declaration.select().where(Declaration.specification == specification_id)
    }
    scores = await Score.select().where(Score.bid.is_in([b.id for b in bids] or [-1]))
    usernames = {m["user"]: m["username"] for m in members}
    cleared_ids = [m["user"] for m in members if m["user"] in declarations and not declarations[m["user"]]["conflict"]]
    needed = len(bids) * len(weights)
    done = {uid: sum(1 for s in scores if s["user"] == uid) for uid in cleared_ids}
    all_scored = bool(cleared_ids) and bool(bids) and all(done[uid] >= needed for uid in cleared_ids)
    moderated_rows = await ModeratedScore.select().where(ModeratedScore.bid.is_in([b.id for b in bids] or [-1]))
    moderated: dict[int, dict[int, int]] = {}
    for m in moderated_rows:
        moderated.setdefault(m["bid"], {})[m["criterion_position"]] = m["score"]
    all_moderated = bool(bids) and all(len(moderated.get(b.id, {})) == len(weights) for b in bids)
    ranking = (
        {
            r.bid_id: r
            for r in rules.rank_bids(
                weights,
                spec["price_weight"],
                [
                    rules.BidResult(
                        bid_id=b.id,
                        total_price_pence=b.total_price_pence,
                        submitted_at=b.submitted_at or now,
                        moderated=moderated.get(b.id, {}),
                    )
                    for b in bids
                ],
            )
        }
        if all_moderated
        else {}
    )
    show_all = all_scored and (manager or cleared or actor.role is Role.NATIONAL_ADMIN)
    out_bids = []
    for bid in bids:
        visible_scores = [
            ScoreOut(
                criterion=s["criterion_position"],
                score=s["score"],
                justification=s["justification"],
                evaluator=usernames.get(s["user"], ""),
            )
            for s in scores
            if s["bid"] == bid.id and (show_all or s["user"] == actor.user_id)
        ]
        ranked = ranking.get(bid.id)
        out_bids.append(
            BidEvaluationOut(
                bid_id=bid.id,
                delivery_vehicle_id=bid.delivery_vehicle_id,
                delivery_vehicle=bid.delivery_vehicle,
                total_price_pence=bid.total_price_pence,
                moderated=moderated.get(bid.id, {}),
                quality_score=round(float(ranked.quality_score), 2) if ranked else 0.0,
                price_score=round(float(ranked.price_score), 2) if ranked else 0.0,
                total_score=round(float(ranked.total_score), 2) if ranked else 0.0,
                rank=ranked.rank if ranked else None,
                tie_note=ranked.tie_note if ranked else "",
                scores=sorted(visible_scores, key=lambda s: (s.criterion, s.evaluator)),
            )
        )
    out_bids.sort(key=lambda b: (b.rank or 10_000, b.bid_id))
    return EvaluationOut(
        specification_id=specification_id,
        status=rules.effective_status(spec["status"], spec["bid_deadline_at"], now),
        criteria=criteria,
        price_weight=spec["price_weight"],
        panel=[
            PanelMemberOut(
                user_id=m["user"],
                username=m["username"],
                declared=m["user"] in declarations,
                conflict=bool(declarations.get(m["user"], {}).get("conflict")),
                scored_bids=done.get(m["user"], 0) // max(1, len(weights)),
            )
            for m in members
        ],
        all_scored=all_scored,
        all_moderated=all_moderated,
        bids=out_bids,
        tie_rule=TIE_RULE,
    )


async def award_out(row: dict[str, Any]) -> AwardOut:
    spec = await Specification.select().where(Specification.id == row["specification"]).first()
    assert spec is not None
    vehicle = (
        await DeliveryVehicle.select(DeliveryVehicle.name).where(DeliveryVehicle.id == row["delivery_vehicle"]).first()
    )
    representations = await Representation.select().where(Representation.award == row["id"]).order_by(Representation.id)
    contract = await Contract.select(Contract.id).where(Contract.award == row["id"]).first()
    notice_on = row["notice_at"].astimezone(LONDON).date()
    return AwardOut(
        id=row["id"],
        specification_id=spec["id"],
        reference=spec["reference"],
        route=spec["procurement_route"],
        delivery_vehicle_id=row["delivery_vehicle"],
        delivery_vehicle=vehicle["name"] if vehicle else "",
        bid_id=row["bid"],
        rationale=row["rationale"],
        values=[
            AwardValueIn(financial_year=v["financial_year"], value_pence=v["value_pence"])
            for v in _json(row["annual_values"])
        ],
        notice_at=row["notice_at"],
        standstill_ends_on=row["standstill_ends_on"],
        earliest_confirmation_on=rules.earliest_confirmation_on(spec["procurement_route"], notice_on),
        status=row["status"],
        confirmed_at=row["confirmed_at"],
        contract_id=contract["id"] if contract else None,
        representations=[
            RepresentationOut(
                id=r["id"],
                delivery_vehicle_id=r["delivery_vehicle"],
                text=r["text"],
                lodged_at=r["lodged_at"],
                answer=r["answer"],
                answered_at=r["answered_at"],
            )
            for r in representations
        ],
    )


async def get_award(*, actor: Actor | None, award_id: int) -> AwardOut:
    """An award notice is public once made; representations are shown to the PCPG and to their authors only."""
    row = await Award.select().where(Award.id == award_id).first()
    if row is None:
        raise NotFound("No such award")
    out = await award_out(row)
    spec = await Specification.select(Specification.pcpg).where(Specification.id == out.specification_id).first()
    manager = (
        actor is not None and actor.role is Role.COMMISSIONER and spec is not None and spec["pcpg"] in actor.pcpg_ids
    )
    if not manager:
        own = actor.delivery_vehicle_id if actor is not None else None
        out.representations = [r for r in out.representations if r.delivery_vehicle_id == own]
    return out


async def award_for_specification(specification_id: int) -> dict[str, Any] | None:
    return await Award.select().where((Award.specification == specification_id) & (Award.status != "withdrawn")).first()


async def bidder_comparison(
    *, own_bid_id: int, winning_bid_id: int | None, specification_id: int, now: datetime
) -> dict[str, Any] | None:
    """What an unsuccessful bidder is told: its own moderated scores and totals beside the winner's."""
    spec = await _spec(specification_id)
    criteria = (
        await EvaluationCriterion.select()
        .where(EvaluationCriterion.specification == specification_id)
        .order_by(EvaluationCriterion.position)
    )
    weights = {c["position"]: c["weight"] for c in criteria}
    submitted = await Bid.select().where((Bid.specification == specification_id) & (Bid.status == "submitted"))
    totals = {}
    for row in submitted:
        prices = await BidPrice.select(BidPrice.price_pence).where(BidPrice.bid == row["id"])
        totals[row["id"]] = sum(int(p["price_pence"]) for p in prices)
    moderated: dict[int, dict[int, int]] = {}
    for m in await ModeratedScore.select().where(ModeratedScore.bid.is_in(list(totals) or [-1])):
        moderated.setdefault(m["bid"], {})[m["criterion_position"]] = m["score"]
    if own_bid_id not in totals:
        return None
    ranked = {
        r.bid_id: r
        for r in rules.rank_bids(
            weights,
            spec["price_weight"],
            [
                rules.BidResult(
                    bid_id=b["id"],
                    total_price_pence=totals[b["id"]],
                    submitted_at=b["submitted_at"] or now,
                    moderated=moderated.get(b["id"], {}),
                )
                for b in submitted
            ],
        )
    }

    def summary(bid_id: int | None) -> dict[str, Any] | None:
        if bid_id is None or bid_id not in ranked:
            return None
        r = ranked[bid_id]
        return {
            "scores": [moderated.get(bid_id, {}).get(c["position"]) for c in criteria],
            "quality": round(float(r.quality_score), 2),
            "price": round(float(r.price_score), 2),
            "total": round(float(r.total_score), 2),
            "rank": r.rank,
        }

    return {
        "criteria": [{"title": c["title"], "title_cy": c["title_cy"], "weight": c["weight"]} for c in criteria],
        "own": summary(own_bid_id),
        "winner": summary(winning_bid_id),
        "is_winner": own_bid_id == winning_bid_id,
    }
