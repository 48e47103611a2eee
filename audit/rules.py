"""The hash chain: each event's hash covers its content and the previous event's hash."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def can_verify_chain(role: str | None) -> bool:
    """The whole chain is checked for national administrators only (it reads every event, sealed ones too)."""
    return role == "national_admin"


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def plain(value: Any) -> Any:
    """What a JSON column gives back, so the hash computed at write time is the one recomputed at read time."""
    return json.loads(canonical(value if value is not None else {}))


def timestamp_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(previous_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((previous_hash + canonical(fields)).encode("utf-8")).hexdigest()


def hashed_fields(row: dict[str, Any]) -> dict[str, Any]:
    fields = {
        "sequence": int(row["sequence"]),
        "occurred_at": timestamp_text(row["occurred_at"]),
        "actor_user_id": row["actor_user_id"],
        "actor_username": row["actor_username"],
        "action": row["action"],
        "entity_type": row["entity_type"],
        "entity_id": str(row["entity_id"]),
        "pcpg_id": row["pcpg_id"],
        "health_board_id": row["health_board_id"],
        "before": plain(row["before"]),
        "after": plain(row["after"]),
    }
    if row.get("visible_from_at") is not None:
        fields["visible_from_at"] = timestamp_text(row["visible_from_at"])
    return fields


def first_broken_link(rows: list[dict[str, Any]]) -> tuple[int, str] | None:
    """The first event (by sequence) where the chain does not hold, and why; None when it all holds."""
    expected_sequence = 1
    previous = GENESIS_HASH
    for row in rows:
        sequence = int(row["sequence"])
        if sequence != expected_sequence:
            return expected_sequence, f"event {expected_sequence} is missing (next found: {sequence})"
        if row["previous_hash"] != previous:
            return sequence, f"event {sequence} does not follow the event before it"
        if event_hash(previous, hashed_fields(row)) != row["event_hash"]:
            return sequence, f"event {sequence} was altered after it was written"
        previous = row["event_hash"]
        expected_sequence += 1
    return None
