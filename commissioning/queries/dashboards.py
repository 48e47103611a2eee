"""What an evaluator's and a provider's dashboards list: their panels with the task each needs next, and their bids
with how each turned out. A fixed number of statements, whatever the number of rows."""

from __future__ import annotations

from datetime import datetime

from piccolo.query.functions.aggregate import Count

from accounts.actor import Actor
from commissioning import rules
from commissioning.schemas import OwnBidSummary, PanelTaskOut
from commissioning.tables import Award, Bid, Declaration, EvaluationCriterion, PanelMember, Score
from core.i18n import gettext
from core.pagination import Page, check_window


async def own_panels(*, actor: Actor) -> list[PanelTaskOut]:
    """Newest panel first; five statements."""
    if actor.user_id is None:
        return []
    members = (
        await PanelMember.select(
            PanelMember.specification,
            PanelMember.specification._.reference.as_alias("reference"),
            PanelMember.specification._.title.as_alias("title"),
            PanelMember.specification._.title_cy.as_alias("title_cy"),
            PanelMember.specification._.status.as_alias("status"),
        )
        .where(PanelMember.user == actor.user_id)
        .order_by(PanelMember.id, ascending=False)
    )
    spec_ids = [m["specification"] for m in members] or [-1]
    declared = {
        d["specification"]: d["conflict"]
        for d in await Declaration.select(Declaration.specification, Declaration.conflict).where(
            (Declaration.user == actor.user_id) & Declaration.specification.is_in(spec_ids)
        )
    }
    bids = await _counts(
        Bid.select(Bid.specification.as_alias("spec"), Count(alias="n"))
        .where(Bid.specification.is_in(spec_ids) & (Bid.status == rules.BidStatus.SUBMITTED.value))
        .group_by(Bid.specification)
    )
    criteria = await _counts(
        EvaluationCriterion.select(EvaluationCriterion.specification.as_alias("spec"), Count(alias="n"))
        .where(EvaluationCriterion.specification.is_in(spec_ids))
        .group_by(EvaluationCriterion.specification)
    )
    given = await _counts(
        Score.select(Score.bid._.specification.as_alias("spec"), Count(alias="n"))
        .where((Score.user == actor.user_id) & Score.bid._.specification.is_in(spec_ids))
        .group_by(Score.bid._.specification)
    )
    found = []
    for m in members:
        spec_id = m["specification"]
        needed = bids.get(spec_id, 0) * criteria.get(spec_id, 0)
        task = rules.panel_task(
            specification_status=m["status"],
            declared=spec_id in declared,
            conflict=bool(declared.get(spec_id, False)),
            scores_given=given.get(spec_id, 0),
            scores_needed=needed,
        )
        found.append(
            PanelTaskOut(
                specification_id=spec_id,
                reference=m["reference"],
                title=m["title"],
                title_cy=m["title_cy"],
                task=task,
                task_label=gettext(task.label),
                task_tag=task.tag,
                scores_given=given.get(spec_id, 0),
                scores_needed=needed,
            )
        )
    return found


async def _counts(query: object) -> dict[int, int]:
    return {row["spec"]: int(row["n"]) for row in await query}  # type: ignore[misc]


async def own_bid_summaries(*, actor: Actor, now: datetime, limit: int = 10, offset: int = 0) -> Page[OwnBidSummary]:
    """The provider's vehicle's bids, newest first, paged in SQL; the award notices for them in one more read.
    Drafts are their own; no other vehicle's bid is ever read."""
    check_window(limit, offset)
    if actor.delivery_vehicle_id is None:
        return Page(items=[], total=0, limit=limit, offset=offset)
    mine = Bid.delivery_vehicle == actor.delivery_vehicle_id
    rows = (
        await Bid.select(
            Bid.id,
            Bid.public_id,
            Bid.status,
            Bid.specification,
            Bid.specification._.reference.as_alias("reference"),
            Bid.specification._.title.as_alias("title"),
            Bid.specification._.title_cy.as_alias("title_cy"),
            Bid.specification._.status.as_alias("spec_status"),
            Bid.specification._.bid_deadline_at.as_alias("deadline"),
        )
        .where(mine)
        .order_by(Bid.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    awards = {
        a["specification"]: a
        for a in await Award.select(Award.id, Award.specification, Award.delivery_vehicle).where(
            Award.specification.is_in([r["specification"] for r in rows] or [-1])
            & (Award.status != rules.AwardStatus.WITHDRAWN.value)
        )
    }
    items = []
    for r in rows:
        award = awards.get(r["specification"])
        outcome = rules.bid_outcome(
            bid_status=r["status"],
            specification_status=r["spec_status"],
            awarded_vehicle_id=award["delivery_vehicle"] if award else None,
            own_vehicle_id=actor.delivery_vehicle_id,
        )
        items.append(
            OwnBidSummary(
                bid_id=r["public_id"],
                specification_id=r["specification"],
                reference=r["reference"],
                title=r["title"],
                title_cy=r["title_cy"],
                bid_deadline_at=r["deadline"],
                deadline_passed=r["deadline"] is not None and r["deadline"] <= now,
                outcome=outcome,
                outcome_label=gettext(outcome.label),
                outcome_tag=outcome.tag,
                award_id=award["id"]
                if award and outcome in (rules.BidOutcome.AWARDED, rules.BidOutcome.UNSUCCESSFUL)
                else None,
            )
        )
    return Page(items=items, total=await Bid.count().where(mine), limit=limit, offset=offset)
