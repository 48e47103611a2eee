"""Reads of engagement activities: one (scoped), those about a need, priority or specification, and the published
"you said, we did" of a specification (its own, its plan priority's and the needs that priority answers)."""

from __future__ import annotations

from typing import Any

from accounts.actor import Actor
from commissioning.tables import PlanPriority, Specification
from core.errors import NotFound
from core.i18n import gettext, name_in_reading_language
from core.pagination import Page, check_window
from needs.queries.needs import is_possible_id
from needs.queries.scope import engagement_read_scope, scoped, writes_pcpg
from needs.rules import EngagementKind, Subject
from needs.schemas import EngagementOut
from needs.tables import Engagement, Need, NeedPlanPriority


def _select() -> Any:
    e: Any = Engagement
    return Engagement.select(
        *Engagement.all_columns(),
        e.need.title.as_alias("need_title"),
        e.need.title_cy.as_alias("need_title_cy"),
        e.plan_priority.title.as_alias("priority_title"),
        e.plan_priority.title_cy.as_alias("priority_title_cy"),
        e.specification.reference.as_alias("specification_reference"),
    )


def _about(row: dict[str, Any]) -> str:
    if row["need"] is not None:
        return name_in_reading_language(row["need_title"], row["need_title_cy"])
    if row["plan_priority"] is not None:
        return name_in_reading_language(row["priority_title"], row["priority_title_cy"])
    return row["specification_reference"] or ""


def _out(row: dict[str, Any], actor: Actor | None) -> EngagementOut:
    kind = EngagementKind(row["kind"])
    return EngagementOut(
        id=row["id"],
        pcpg_id=row["pcpg"],
        kind=kind,
        kind_label=gettext(kind.label),
        held_on=row["held_on"],
        people_reached=row["people_reached"],
        groups_reached=row["groups_reached"],
        groups_reached_cy=row["groups_reached_cy"],
        what_they_said=row["what_they_said"],
        what_they_said_cy=row["what_they_said_cy"],
        what_changed=row["what_changed"],
        what_changed_cy=row["what_changed_cy"],
        need_id=row["need"],
        plan_priority_id=row["plan_priority"],
        specification_id=row["specification"],
        about=_about(row),
        can_change=actor is not None and writes_pcpg(actor, row["pcpg"]),
    )


async def engagement_row(*, engagement_id: int, condition: Any) -> dict[str, Any]:
    if not is_possible_id(engagement_id):
        raise NotFound("No such engagement")
    row = await scoped(_select().where(Engagement.id == engagement_id), condition).first()
    if row is None:
        raise NotFound("No such engagement")
    return dict(row)


async def get_engagement(*, actor: Actor, engagement_id: int) -> EngagementOut:
    return _out(await engagement_row(engagement_id=engagement_id, condition=engagement_read_scope(actor)), actor)


async def list_engagements(
    *,
    actor: Actor,
    need_id: int | None = None,
    plan_priority_id: int | None = None,
    specification_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[EngagementOut]:
    """The engagements the actor may read, newest first, narrowed to one subject if one is given."""
    check_window(limit, offset)
    if not all(is_possible_id(v) for v in (need_id, plan_priority_id, specification_id)):
        return Page(items=[], total=0, limit=limit, offset=offset)
    conditions = [engagement_read_scope(actor)]
    for column, value in (
        (Engagement.need, need_id),
        (Engagement.plan_priority, plan_priority_id),
        (Engagement.specification, specification_id),
    ):
        if value is not None:
            conditions.append(column == value)
    query, count = _select(), Engagement.count()
    for condition in conditions:
        query, count = scoped(query, condition), scoped(count, condition)
    rows = await query.order_by(Engagement.held_on, ascending=False).order_by(Engagement.id).limit(limit).offset(offset)
    return Page(items=[_out(row, actor) for row in rows], total=await count, limit=limit, offset=offset)


async def about(subject: Subject, subject_id: int) -> list[EngagementOut]:
    """Every engagement about one thing, for its own page (the page has already decided the reader may see it)."""
    column = {
        Subject.NEED: Engagement.need,
        Subject.PLAN_PRIORITY: Engagement.plan_priority,
        Subject.SPECIFICATION: Engagement.specification,
    }[subject]
    rows = await _select().where(column == subject_id).order_by(Engagement.held_on, ascending=False)
    return [_out(row, None) for row in rows]


async def about_priorities(plan_priority_ids: list[int], actor: Actor | None) -> dict[int, list[EngagementOut]]:
    """The engagements about each of these plan priorities, in one statement (the plans page)."""
    rows = await (
        _select()
        .where(Engagement.plan_priority.is_in(list(plan_priority_ids) or [-1]))
        .order_by(Engagement.held_on, ascending=False)
    )
    found: dict[int, list[EngagementOut]] = {}
    for row in rows:
        found.setdefault(row["plan_priority"], []).append(_out(row, actor))
    return found


async def you_said_we_did(specification_ids: list[int]) -> dict[int, list[EngagementOut]]:
    """For each specification, the engagement published with it: about the specification itself, its plan priority,
    and the needs that priority answers; newest first. Three statements, however many specifications. The caller
    has decided the specifications are public."""
    specs = await Specification.select(Specification.id, Specification.plan_priority).where(
        Specification.id.is_in(list(specification_ids) or [-1])
    )
    priority_of = {row["id"]: row["plan_priority"] for row in specs}
    priority_ids = sorted({p for p in priority_of.values() if p is not None})
    links = await NeedPlanPriority.select(NeedPlanPriority.need, NeedPlanPriority.plan_priority).where(
        NeedPlanPriority.plan_priority.is_in(priority_ids or [-1])
    )
    needs_of: dict[int, set[int]] = {}
    for link in links:
        needs_of.setdefault(link["plan_priority"], set()).add(link["need"])
    need_ids = sorted({n for ids in needs_of.values() for n in ids})
    rows = await (
        _select()
        .where(
            Engagement.specification.is_in(list(specification_ids) or [-1])
            | Engagement.plan_priority.is_in(priority_ids or [-1])
            | Engagement.need.is_in(need_ids or [-1])
        )
        .order_by(Engagement.held_on, ascending=False)
        .order_by(Engagement.id)
    )
    found: dict[int, list[EngagementOut]] = {spec_id: [] for spec_id in priority_of}
    for spec_id, priority_id in priority_of.items():
        needs = needs_of.get(priority_id, set()) if priority_id is not None else set()
        for row in rows:
            if (
                row["specification"] == spec_id
                or (priority_id is not None and row["plan_priority"] == priority_id)
                or row["need"] in needs
            ):
                found[spec_id].append(_out(row, None))
    return found


async def subject_words(subject: Subject, subject_id: int) -> str:
    """What an engagement is about, in the reader's words (the form's caption)."""
    if subject is Subject.NEED:
        row = await Need.select(Need.title, Need.title_cy).where(Need.id == subject_id).first()
    elif subject is Subject.PLAN_PRIORITY:
        row = (
            await PlanPriority.select(PlanPriority.title, PlanPriority.title_cy)
            .where(PlanPriority.id == subject_id)
            .first()
        )
    else:
        found = (
            await Specification.select(Specification.reference, Specification.title, Specification.title_cy)
            .where(Specification.id == subject_id)
            .first()
        )
        if found is None:
            return ""
        return f"{name_in_reading_language(found['title'], found['title_cy'])} ({found['reference']})"
    return "" if row is None else name_in_reading_language(row["title"], row["title_cy"])
