"""`operation()`: the one place that opens a write transaction and writes the audit events for it.

STYLE.md §2: services never touch the audit table; they record changes on the operation's
recorder, and the events are appended in the same transaction, so a rollback takes both back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accounts.actor import Actor
from audit import rules
from audit.tables import AuditEvent
from core.db import serialise, write_transaction

_AUDIT_LOCK_KEY = 7_245_001


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
    """Run the body in one transaction (joining an outer one) and append its recorded changes to the trail."""
    async with write_transaction():
        recorder = Recorder(action=action, actor=actor, now=now)
        yield recorder
        if recorder.changes:
            await _append(recorder)


async def _append(recorder: Recorder) -> None:
    await serialise(_AUDIT_LOCK_KEY)
    last = await (
        AuditEvent.select(AuditEvent.sequence, AuditEvent.event_hash)
        .order_by(AuditEvent.sequence, ascending=False)
        .first()
    )
    sequence = int(last["sequence"]) if last else 0
    previous = last["event_hash"] if last else rules.GENESIS_HASH
    rows = []
    for change in recorder.changes:
        sequence += 1
        values = {
            "sequence": sequence,
            "occurred_at": recorder.now,
            "actor_user_id": recorder.actor.user_id,
            "actor_username": recorder.actor.username,
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
