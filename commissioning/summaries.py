"""Counts of specifications for the dashboard, by the status a reader sees, in SQL (never a list counted in Python)."""

from __future__ import annotations

from datetime import datetime

import msgspec
from piccolo.query.functions.aggregate import Count

from accounts.actor import Actor
from commissioning import rules
from commissioning.queries.specifications import effective_status_condition, manage_condition
from commissioning.tables import Specification


class SpecificationCount(msgspec.Struct, frozen=True):
    status: rules.SpecificationStatus
    status_label: str
    count: int


DASHBOARD_STATUSES = tuple(rules.SpecificationStatus)
"""The statuses a commissioner's dashboard counts, in order."""


async def specification_counts(
    *, actor: Actor, now: datetime, statuses: tuple[rules.SpecificationStatus, ...] = DASHBOARD_STATUSES
) -> list[SpecificationCount]:
    """How many specifications are in each of `statuses` as the reader sees them now: a published one whose
    deadline has passed counts as closed (commissioning.rules.effective_status). Two reads, whatever the number.
    Counted over the specifications the reader manages (its PCPGs'), by the domain's own SQL conditions."""
    mine = manage_condition(actor)
    by_status = (
        Specification.select(Specification.status, Count(alias="count")).where(mine).group_by(Specification.status)
    )
    closed_by_clock = (
        Specification.count().where(mine).where(effective_status_condition(rules.SpecificationStatus.CLOSED, now))
    )
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
