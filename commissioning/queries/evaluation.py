"""Reads of the evaluation: panel, scores, moderation and the ranking."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from accounts.actor import Actor, Role
from accounts.tables import User
from commissioning import rules
from commissioning.queries.bids import bids_opened, list_bids, published_specification
from commissioning.schemas import (
    BidEvaluationOut,
    CriterionOut,
    DescriptorOut,
    EvaluationOut,
    EvaluatorOut,
    PanelMemberOut,
    ScoreOut,
)
from commissioning.tables import (
    Declaration,
    EvaluationCriterion,
    ModeratedScore,
    PanelMember,
    Score,
)
from core.errors import NotFound
from core.i18n import gettext


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


TIE_RULE = (
    "Highest total score first. Equal totals (to 2 decimal places) are split by the higher quality score, "
    "then the lower total price, then the earlier submission."
)


async def evaluation(*, actor: Actor, specification_id: int, now: datetime) -> EvaluationOut:
    """Scores stay hidden from other evaluators until every cleared evaluator has scored every bid."""
    spec = await published_specification(specification_id)
    # Sealed is sealed: before the deadline the evaluation answers exactly as for a specification that does not
    # exist (one path, one answer), so nobody can learn from it that bids exist (STYLE.md 7.13).
    if not await bids_opened(actor=actor, specification_id=specification_id, now=now):
        raise NotFound("No such specification")
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
        b
        for b in await list_bids(actor=actor, specification_id=specification_id, now=now)
        if b.status is rules.BidStatus.SUBMITTED
    ]
    members = (
        await PanelMember.select(*PanelMember.all_columns(), PanelMember.user.full_name.as_alias("full_name"))
        .where(PanelMember.specification == specification_id)
        .order_by(PanelMember.id)
    )
    declarations = {
        d["user"]: d for d in await Declaration.select().where(Declaration.specification == specification_id)
    }
    # Bids are known here by their public ids (BidOut.id); scores are read with their bid's public id beside them.
    public_ids = [b.id for b in bids] or [""]
    scores = await Score.select(*Score.all_columns(), Score.bid.public_id.as_alias("bid_public_id")).where(
        Score.bid.public_id.is_in(public_ids)
    )
    usernames = {m["user"]: m["username"] for m in members}
    names = {m["user"]: m["full_name"] or m["username"] for m in members}
    needed = len(bids) * len(weights)
    given = {m["user"]: sum(1 for s in scores if s["user"] == m["user"]) for m in members}
    all_scored = rules.scoring_complete(
        [
            rules.PanelSeat(
                declared=m["user"] in declarations,
                conflict=bool(declarations.get(m["user"], {}).get("conflict")),
                scores_given=given[m["user"]],
            )
            for m in members
        ],
        needed,
    )
    moderated_rows = await ModeratedScore.select(
        ModeratedScore.criterion_position, ModeratedScore.score, ModeratedScore.bid.public_id.as_alias("bid_public_id")
    ).where(ModeratedScore.bid.public_id.is_in(public_ids))
    moderated: dict[str, dict[int, int]] = {}
    for m in moderated_rows:
        moderated.setdefault(m["bid_public_id"], {})[m["criterion_position"]] = m["score"]
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
    show_all = all_scored  # bids_opened: the reader manages, administers or is a cleared evaluator
    out_bids = []
    for bid in bids:
        visible_scores = [
            ScoreOut(
                criterion=s["criterion_position"],
                score=s["score"],
                justification=s["justification"],
                evaluator=usernames.get(s["user"], ""),
                evaluator_name=names.get(s["user"], ""),
            )
            for s in scores
            if s["bid_public_id"] == bid.id and (show_all or s["user"] == actor.user_id)
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
                reader_has_scored=rules.has_scored_bid(
                    [
                        s["criterion_position"]
                        for s in scores
                        if s["bid_public_id"] == bid.id and s["user"] == actor.user_id
                    ],
                    weights,
                ),
            )
        )
    out_bids.sort(key=lambda b: (b.rank or 10_000, b.bid_id))
    status = rules.effective_status(spec["status"], spec["bid_deadline_at"], now)
    return EvaluationOut(
        specification_id=specification_id,
        status=status,
        status_label=gettext(status.label),
        criteria=criteria,
        price_weight=spec["price_weight"],
        panel=[
            PanelMemberOut(
                user_id=m["user"],
                username=m["username"],
                name=names[m["user"]],
                declared=m["user"] in declarations,
                conflict=bool(declarations.get(m["user"], {}).get("conflict")),
                scored_bids=given.get(m["user"], 0) // max(1, len(weights)),
            )
            for m in members
        ],
        all_scored=all_scored,
        all_moderated=all_moderated,
        bids=out_bids,
        tie_rule=TIE_RULE,
    )


async def panel_specification_ids(actor: Actor) -> list[int]:
    """The specifications whose panel the actor is named to."""
    rows = await PanelMember.select(PanelMember.specification).where(PanelMember.user == (actor.user_id or -1))
    return [r["specification"] for r in rows]


async def panel_names(specification_id: int) -> list[str]:
    """The panel's members by full name (issue 10, item 12: names, not usernames)."""
    return [
        r["full_name"]
        for r in await PanelMember.select(PanelMember.user.full_name.as_alias("full_name"))
        .where(PanelMember.specification == specification_id)
        .order_by(PanelMember.id)
    ]


async def evaluators_to_name(specification_id: int) -> list[EvaluatorOut]:
    """Evaluators not yet on the specification's panel."""
    members = await PanelMember.select(PanelMember.user).where(PanelMember.specification == specification_id)
    rows = (
        await User.select(User.username, User.full_name)
        .where(
            (User.role == Role.EVALUATOR.value)
            & (User.active == True)  # noqa: E712 - a deactivated evaluator cannot be named
            & User.id.not_in([m["user"] for m in members] or [-1])
        )
        .order_by(User.full_name)
    )
    return [EvaluatorOut(username=r["username"], name=r["full_name"]) for r in rows]
