"""Writes of public and patient engagement: record an engagement activity about a need, plan priority or
specification of the commissioner's PCPG, and change it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from accounts.actor import Actor
from audit.operation import operation
from commissioning.tables import PlanPriority, Specification
from core.clock import LONDON
from core.errors import RuleBroken
from core.i18n import N_
from needs import rules
from needs.queries.engagements import engagement_row, get_engagement
from needs.queries.scope import engagement_write_scope, writes_pcpg
from needs.rules import Subject
from needs.schemas import EngagementChangeIn, EngagementIn, EngagementOut
from needs.tables import Engagement, Need

_AUDITED = ("kind", "held_on", "people_reached", "groups_reached", "what_they_said", "what_changed")
_NOT_YOURS = {
    Subject.NEED: (N_("Select a need of your PCPG"), "need_id"),
    Subject.PLAN_PRIORITY: (N_("Select a plan priority of your PCPG"), "plan_priority_id"),
    Subject.SPECIFICATION: (N_("Select a specification of your PCPG"), "specification_id"),
}


async def subject_pcpg(subject: Subject, subject_id: int) -> int | None:
    """The PCPG of the thing an engagement is about, or None if there is no such thing."""
    if subject is Subject.NEED:
        row = await Need.select(Need.pcpg.as_alias("pcpg")).where(Need.id == subject_id).first()
    elif subject is Subject.PLAN_PRIORITY:
        priority: Any = PlanPriority
        row = await PlanPriority.select(priority.plan.pcpg.as_alias("pcpg")).where(priority.id == subject_id).first()
    else:
        row = (
            await Specification.select(Specification.pcpg.as_alias("pcpg"))
            .where(Specification.id == subject_id)
            .first()
        )
    return None if row is None else int(row["pcpg"])


def _today(now: datetime) -> Any:
    return now.astimezone(LONDON).date()


async def record_engagement(*, actor: Actor, data: EngagementIn, now: datetime) -> EngagementOut:
    subject, subject_id = rules.engagement_subject(
        need_id=data.need_id, plan_priority_id=data.plan_priority_id, specification_id=data.specification_id
    )
    rules.check_held_on(data.held_on, _today(now))
    async with operation("engagement.recorded", actor=actor, now=now) as op:
        pcpg_id = await subject_pcpg(subject, subject_id)
        if pcpg_id is None or not writes_pcpg(actor, pcpg_id):
            message, field = _NOT_YOURS[subject]
            raise RuleBroken(message, field=field)  # absent and another PCPG's answer alike
        values: dict[str, Any] = {
            key: value.strip() if isinstance(value, str) else value
            for key, value in msgspec.structs.asdict(data).items()
            if key not in ("need_id", "plan_priority_id", "specification_id")
        }
        engagement = Engagement(
            **values,
            pcpg=pcpg_id,
            need=data.need_id,
            plan_priority=data.plan_priority_id,
            specification=data.specification_id,
            created_at=now,
            created_by_username=actor.username,
            updated_at=now,
        )
        await engagement.save()
        op.record(
            "Engagement",
            engagement.id,
            after={**{k: values[k] for k in _AUDITED}, subject.value: subject_id},
            pcpg_id=pcpg_id,
        )
    return await get_engagement(actor=actor, engagement_id=int(engagement.id))


async def change_engagement(
    *, actor: Actor, engagement_id: int, change: EngagementChangeIn, now: datetime
) -> EngagementOut:
    async with operation("engagement.changed", actor=actor, now=now) as op:
        row = await engagement_row(engagement_id=engagement_id, condition=engagement_write_scope(actor))
        given: dict[str, Any] = {
            key: value.strip() if isinstance(value, str) else value
            for key, value in msgspec.structs.asdict(change).items()
            if value is not msgspec.UNSET
        }
        if "held_on" in given:
            rules.check_held_on(given["held_on"], _today(now))
        changed: dict[Any, Any] = {key: value for key, value in given.items() if value != row[key]}
        if changed:
            await Engagement.update({**changed, "updated_at": now}).where(Engagement.id == engagement_id)
        op.record(
            "Engagement",
            engagement_id,
            before={k: row[k] for k in _AUDITED},
            after={k: given.get(k, row[k]) for k in _AUDITED},
            pcpg_id=row["pcpg"],
        )
    return await get_engagement(actor=actor, engagement_id=engagement_id)
