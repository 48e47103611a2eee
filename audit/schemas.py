"""Types out of the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class AuditEventOut(msgspec.Struct):
    sequence: int  # the event's place among the events a reader may see (sealed ones leave no gap)
    occurred_at: datetime
    actor_username: str
    actor_name: str  # who acted, by full name (or the service itself), in the reader's language
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    event_hash: str


class ChainReport(msgspec.Struct):
    events: int
    intact: bool
    first_bad_sequence: int | None = None
    problem: str | None = None
