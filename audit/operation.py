"""`operation()`: the one place that opens a write transaction and writes the audit events for it.

STYLE.md §2: services never touch the audit table; they record changes on the operation's
recorder, and the events are appended in the same transaction, so a rollback takes both back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accounts.actor import Actor
from audit import rules
from audit.tables import AuditEvent
from core.db import serialise, write_transaction

_AUDIT_LOCK_KEY = 7_245_001
# The recorders of the operations nested in the outermost one now running in this task, in the order they ended.
_nested: ContextVar[list[Recorder] | None] = ContextVar("audit_nested", default=None)


@dataclass
class Change:
    entity_type: str
    entity_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    action: str
    pcpg_id: int | None = None
    health_board_id: int | None = None
    visible_from_at: datetime | None = None


@dataclass
class Recorder:
    action: str
    actor: Actor
    now: datetime
    changes: list[Change] = field(default_factory=list)

    def record(
        self,
        entity_type: str,
        entity_id: Any,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        action: str | None = None,
        pcpg_id: int | None = None,
        health_board_id: int | None = None,
        visible_from_at: datetime | None = None,
    ) -> None:
        """`visible_from_at` seals the event from every reader until then (a bid's events until the deadline)."""
        self.changes.append(
            Change(
                entity_type=entity_type,
                entity_id=str(entity_id),
                before=before or {},
                after=after or {},
                action=action or self.action,
                pcpg_id=pcpg_id,
                health_board_id=health_board_id,
                visible_from_at=visible_from_at,
            )
        )


@asynccontextmanager
async def operation(action: str, *, actor: Actor, now: datetime) -> AsyncIterator[Recorder]:
    """Run the body in one transaction (joining an outer one) and append its recorded changes to the trail.

    A nested operation's changes wait for the outermost one, which appends them all (in the order they ended, then
    its own) after everything else: the trail's lock is then the last lock any transaction takes, so a transaction
    holding it never waits for a row another holds while that one waits for the trail (a deadlock on PostgreSQL)."""
    async with write_transaction():
        recorder = Recorder(action=action, actor=actor, now=now)
        outer = _nested.get()
        if outer is not None:
            yield recorder
            outer.append(recorder)
            return
        nested: list[Recorder] = []
        token = _nested.set(nested)
        try:
            yield recorder
        finally:
            _nested.reset(token)
        recorders = [*nested, recorder]
        if any(each.changes for each in recorders):
            await _append(recorders)


async def _append(recorders: list[Recorder]) -> None:
    await serialise(_AUDIT_LOCK_KEY)
    last = await (
        AuditEvent.select(AuditEvent.sequence, AuditEvent.event_hash)
        .order_by(AuditEvent.sequence, ascending=False)
        .first()
    )
    sequence = int(last["sequence"]) if last else 0
    previous = last["event_hash"] if last else rules.GENESIS_HASH
    rows = []
    for by, change in [(recorder, change) for recorder in recorders for change in recorder.changes]:
        sequence += 1
        values = {
            "sequence": sequence,
            "occurred_at": by.now,
            "actor_user_id": by.actor.user_id,
            "actor_username": by.actor.username,
            "action": change.action,
            "entity_type": change.entity_type,
            "entity_id": change.entity_id,
            "pcpg_id": change.pcpg_id,
            "health_board_id": change.health_board_id,
            "visible_from_at": change.visible_from_at,
            "before": rules.plain(change.before),
            "after": rules.plain(change.after),
        }
        digest = rules.event_hash(previous, rules.hashed_fields(values))
        rows.append(AuditEvent(**values, previous_hash=previous, event_hash=digest))
        previous = digest
    await AuditEvent.insert(*rows)
