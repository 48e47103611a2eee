"""Counts of specifications for the dashboard, by the status a reader sees, in SQL (never a list counted in Python)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count

from accounts.actor import Actor, Role
from commissioning import rules
from commissioning.tables import Specification


class SpecificationCount(msgspec.Struct, frozen=True):
    status: rules.SpecificationStatus
    status_label: str
    count: int


def _scope(actor: Actor) -> Any:
    """The specifications counted for an actor: a commissioner's PCPGs', everything for a national administrator,
    nothing for anyone else (the dashboard shows these counts to commissioners)."""
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    if actor.role is Role.COMMISSIONER:
        return Specification.pcpg.is_in(list(actor.pcpg_ids) or [-1])
    return Specification.id == -1


DASHBOARD_STATUSES = (
    rules.SpecificationStatus.DRAFT,
    rules.SpecificationStatus.PUBLISHED,
    rules.SpecificationStatus.CLOSED,
    rules.SpecificationStatus.UNDER_EVALUATION,
)
"""The statuses a commissioner's dashboard counts, in order."""


async def specification_counts(
    *, actor: Actor, now: datetime, statuses: tuple[rules.SpecificationStatus, ...] = DASHBOARD_STATUSES
) -> list[SpecificationCount]:
    """How many specifications are in each of `statuses` as the reader sees them now: a published one whose
    deadline has passed counts as closed (commissioning.rules.effective_status). Two reads, whatever the number."""
    condition = _scope(actor)
    by_status = Specification.select(Specification.status, Count(alias="count")).group_by(Specification.status)
    closed_by_clock = Specification.count().where(
        (Specification.status == rules.SpecificationStatus.PUBLISHED) & (Specification.bid_deadline_at <= now)
    )
    if condition is not None:
        by_status, closed_by_clock = by_status.where(condition), closed_by_clock.where(condition)
    stored = {row["status"]: int(row["count"]) for row in await by_status}
    passed = await closed_by_clock
    effective = dict(stored)
    published, closed = rules.SpecificationStatus.PUBLISHED, rules.SpecificationStatus.CLOSED
    effective[published] = stored.get(published, 0) - passed
    effective[closed] = stored.get(closed, 0) + passed
    return [
        SpecificationCount(status=status, status_label=status.label, count=effective.get(status, 0))
        for status in statuses
    ]
