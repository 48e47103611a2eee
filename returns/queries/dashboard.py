"""The returns a dashboard lists (issue 13, item 7): the reader's overdue returns and the next ones due, each list
counted and cut short in SQL, scoped like every read of returns (returns.queries.scope)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from accounts.actor import Actor
from core.clock import london_day
from core.pagination import Page
from returns.queries.returns import _summary, _summary_select, list_returns
from returns.queries.scope import read_scope, scoped
from returns.rules import NOT_YET_SUBMITTED
from returns.schemas.returns import ReturnSummary
from returns.tables import DeliveryReturn


class ReturnsDue(msgspec.Struct, frozen=True, kw_only=True):
    overdue: Page[ReturnSummary]
    next_due: Page[ReturnSummary]


async def returns_due(*, actor: Actor, now: datetime, limit: int) -> ReturnsDue:
    """Overdue first (oldest due day first), then those not yet submitted whose due day has not passed (soonest
    first): four statements."""
    today = london_day(now)
    overdue = await list_returns(actor=actor, now=now, status="overdue", sort="due_on", limit=limit)
    upcoming = DeliveryReturn.status.is_in([s.value for s in NOT_YET_SUBMITTED]) & (DeliveryReturn.due_on >= today)
    query = scoped(_summary_select().where(upcoming), read_scope(actor))
    count = scoped(DeliveryReturn.count().where(upcoming), read_scope(actor))
    rows = await query.order_by(DeliveryReturn.due_on).order_by(DeliveryReturn.id).limit(limit)
    next_due = Page(items=[_summary(row, today) for row in rows], total=await count, limit=limit, offset=0)
    return ReturnsDue(overdue=overdue, next_due=next_due)
