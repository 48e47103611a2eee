"""The evaluation panel: named evaluators declare interests before seeing any bid (a conflict recuses them),
score each quality criterion 0-5 with a reason, and the commissioner records the moderated score."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.actor import Actor, Role
from accounts.tables import User
from audit.operation import operation
from commissioning import rules
from commissioning.queries import bids as bid_queries
from commissioning.queries import evaluation as evaluation_queries
from commissioning.schemas import BidModerationIn, DeclarationIn, ModerationIn, ScoresIn
from commissioning.tables import (
    Bid,
    Declaration,
    EvaluationCriterion,
    ModeratedScore,
    PanelMember,
    Score,
    Specification,
)
from core.db import for_update
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from notifications.services import notify


async def _managed_spec(actor: Actor, specification_id: int) -> dict[str, Any]:
    spec = await Specification.select().where(Specification.id == specification_id).first()
    if spec is None or not rules.can_manage_specification(
        role=actor.role.value if actor.role else None, actor_pcpg_ids=actor.pcpg_ids, pcpg_id=spec["pcpg"]
    ):
        raise NotFound("No such specification")
    return spec


async def remove_evaluator(*, actor: Actor, specification_id: int, user_id: int, reason: str, now: datetime) -> None:
    """Take a member off the panel with a reason: their declaration and any scores they gave go with them, so the
    evaluation no longer waits on them. Only while the evaluation is open; recorded for the trail."""
    async with operation("panel.member_removed", actor=actor, now=now) as op:
        spec = await _managed_spec(actor, specification_id)
        if spec["status"] in (rules.SpecificationStatus.AWARDED, rules.SpecificationStatus.CANCELLED):
            raise Conflict(
                "The panel cannot change once the specification is %(status)s",
                status=rules.SpecificationStatus(spec["status"]),
            )
        member = await for_update(
            PanelMember.select().where((PanelMember.specification == specification_id) & (PanelMember.user == user_id))
        ).first()
        if member is None:
            raise NotFound("No such panel member")
        if not reason.strip():
            raise RuleBroken("Give the reason for removing them from the panel", field="reason")
        bid_ids = Bid.select(Bid.id).where(Bid.specification == specification_id)
        removed_scores = await Score.count().where((Score.user == user_id) & Score.bid.is_in(bid_ids))
        await Score.delete().where((Score.user == user_id) & Score.bid.is_in(bid_ids))
        await Declaration.delete().where(
            (Declaration.specification == specification_id) & (Declaration.user == user_id)
        )
        await PanelMember.delete().where(PanelMember.id == member["id"])
        op.record(
            "PanelMember",
            member["id"],
            before={"specification_id": specification_id, "evaluator": member["username"], "scores": removed_scores},
            after={"removed": True, "reason": reason.strip()},
            pcpg_id=spec["pcpg"],
        )


async def name_evaluator(*, actor: Actor, specification_id: int, username: str, now: datetime) -> None:
    async with operation("panel.member_named", actor=actor, now=now) as op:
        spec = await _managed_spec(actor, specification_id)
        if spec["procurement_route"] != rules.ProcurementRoute.COMPETITIVE or spec["status"] in (
            rules.SpecificationStatus.DRAFT,
            rules.SpecificationStatus.AWARDED,
            rules.SpecificationStatus.CANCELLED,
        ):
            raise Conflict("A panel is named for a published competitive specification")
        user = (
            await User.select(User.id, User.role, User.username, User.full_name, User.active)
            .where(User.username == username.strip())
            .first()
        )
        if user is None or user["role"] != Role.EVALUATOR.value or not user["active"]:
            raise RuleBroken("Choose a user with the evaluator role", field="username")
        if await PanelMember.exists().where(
            (PanelMember.specification == specification_id) & (PanelMember.user == user["id"])
        ):
            raise Conflict("%(name)s is already on the panel", field="username", name=user["full_name"])
        row = PanelMember(
            specification=specification_id,
            user=user["id"],
            username=user["username"],
            named_at=now,
            named_by_username=actor.username,
        )
        await row.save()
        op.record(
            "PanelMember",
            row.id,
            after={"specification_id": specification_id, "evaluator": user["username"], "name": user["full_name"]},
            pcpg_id=spec["pcpg"],
        )
        await notify(
            user_ids=[user["id"]],
            kind="named_evaluator",
            key=str(specification_id),
            params={"title": spec["title"], "reference": spec["reference"]},
            localise={"cy": {"title": spec["title_cy"]}},
            link=f"/evaluations/{specification_id}",
            now=now,
        )


async def declare_interests(*, actor: Actor, specification_id: int, data: DeclarationIn, now: datetime) -> bool:
    """Once, before any bid is shown. Returns True when the evaluator is recused by a declared conflict."""
    if actor.role is not Role.EVALUATOR or actor.user_id is None:
        raise NotAllowed("Only an evaluator declares interests")
    async with operation("panel.interests_declared", actor=actor, now=now) as op:
        spec = await Specification.select().where(Specification.id == specification_id).first()
        member, declaration = await bid_queries.panel_member(specification_id, actor.user_id)
        if spec is None or not member:
            raise NotFound("No such specification")
        if declaration is not None:
            raise Conflict("You have already declared your interests for this specification")
        if data.known_vehicle_ids and not data.statement.strip():
            raise RuleBroken("Say how you know the bidders you named", field="statement")
        row = Declaration(
            specification=specification_id,
            user=actor.user_id,
            known_vehicle_ids=sorted(set(data.known_vehicle_ids)),
            conflict=data.conflict,
            statement=data.statement.strip(),
            declared_at=now,
        )
        await row.save()
        op.record(
            "Declaration",
            row.id,
            after={
                "known_vehicle_ids": sorted(set(data.known_vehicle_ids)),
                "conflict": data.conflict,
                "recused": data.conflict,
            },
            pcpg_id=spec["pcpg"],
        )
    return data.conflict


async def _cleared_evaluator(actor: Actor, spec: dict[str, Any]) -> None:
    member, declaration = await bid_queries.panel_member(spec["id"], actor.user_id)
    if actor.role is not Role.EVALUATOR or not member:
        raise NotFound("No such bid")
    if declaration is None:
        raise Conflict("Declare your interests before you see any bid")
    if declaration["conflict"]:
        raise NotAllowed("You declared a conflict of interest, so you are recused from this evaluation")


async def score_bid(*, actor: Actor, bid_id: str, data: ScoresIn, now: datetime) -> None:
    async with operation("bid.scored", actor=actor, now=now) as op:
        # Through the bids' one scope first: a sealed bid, a draft or one a recused evaluator asks for is absent.
        bid = await bid_queries.visible_bid(actor=actor, bid_id=bid_id, now=now)
        if bid["status"] != rules.BidStatus.SUBMITTED:
            raise NotFound("No such bid")
        spec = await Specification.select().where(Specification.id == bid["specification"]).first()
        assert spec is not None
        await _cleared_evaluator(actor, spec)
        if (
            rules.effective_status(spec["status"], spec["bid_deadline_at"], now)
            is not rules.SpecificationStatus.UNDER_EVALUATION
        ):
            raise Conflict("Scoring opens when the commissioner begins the evaluation")
        positions = {
            c["position"]
            for c in await EvaluationCriterion.select(EvaluationCriterion.position).where(
                EvaluationCriterion.specification == spec["id"]
            )
        }
        if await ModeratedScore.exists().where(ModeratedScore.bid == bid["id"]):
            raise Conflict("Moderation has begun on this bid; scores can no longer change")
        for item in data.scores:
            if item.criterion not in positions:
                raise RuleBroken("Score the specification's criteria only", field="scores")
            if not item.justification.strip():
                raise RuleBroken("Give the reason for each score", field="scores")
        for item in data.scores:
            await Score.delete().where(
                (Score.bid == bid["id"]) & (Score.criterion_position == item.criterion) & (Score.user == actor.user_id)
            )
            await Score(
                bid=bid["id"],
                criterion_position=item.criterion,
                user=actor.user_id,
                score=item.score,
                justification=item.justification.strip(),
                scored_at=now,
            ).save()
        op.record("Bid", bid_id, after={"scores": [[s.criterion, s.score] for s in data.scores]}, pcpg_id=spec["pcpg"])


async def moderate(*, actor: Actor, bid_id: str, data: ModerationIn, now: datetime) -> None:
    """One criterion's moderated score (the API's form)."""
    await moderate_bid(actor=actor, bid_id=bid_id, data=BidModerationIn(scores=[data]), now=now)


async def moderate_bid(*, actor: Actor, bid_id: str, data: BidModerationIn, now: datetime) -> None:
    """The panel's consensus scores for a bid, any or all of its criteria at once, each with its reason: recorded
    together or not at all, once every evaluator on the panel has scored (rules.scoring_complete)."""
    async with operation("bid.moderated", actor=actor, now=now) as op:
        # Through the bids' one scope first, before any check of role or state: a sealed bid answers as an absent one.
        bid = await bid_queries.visible_bid(actor=actor, bid_id=bid_id, now=now)
        if bid["status"] != rules.BidStatus.SUBMITTED:
            raise NotFound("No such bid")
        spec = await _managed_spec(actor, bid["specification"])
        state = await evaluation_queries.evaluation(actor=actor, specification_id=spec["id"], now=now)
        if state.status is not rules.SpecificationStatus.UNDER_EVALUATION:
            raise Conflict("Moderation happens during the evaluation")
        if not state.all_scored:
            raise Conflict("Every evaluator must score every bid before moderation")
        for row in data.scores:
            if row.criterion >= len(state.criteria):
                raise RuleBroken("Moderate the specification's criteria only", field="criterion")
        for row in data.scores:
            await ModeratedScore.delete().where(
                (ModeratedScore.bid == bid["id"]) & (ModeratedScore.criterion_position == row.criterion)
            )
            await ModeratedScore(
                bid=bid["id"],
                criterion_position=row.criterion,
                score=row.score,
                reason=row.reason.strip(),
                moderated_at=now,
                moderated_by_username=actor.username,
            ).save()
            op.record(
                "Bid",
                bid_id,
                after={"criterion": row.criterion, "moderated_score": row.score, "reason": row.reason.strip()},
                pcpg_id=spec["pcpg"],
            )
