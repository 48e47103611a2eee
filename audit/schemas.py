"""Types in and out of the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec

PERSON_PATTERN = r"^(?:[0-9]{1,9}|system|anonymous)$"


class AuditFilterIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Which events to show. Every field may be left out; together they narrow the trail (all in SQL)."""

    from_on: date | None = None  # the first UK day shown
    to_on: date | None = None  # the last UK day shown
    action: Annotated[str, msgspec.Meta(max_length=80)] | None = None  # a kind of event, or `other`
    person: Annotated[str, msgspec.Meta(pattern=PERSON_PATTERN)] | None = None  # a user's id, `system`, `anonymous`
    record_type: Annotated[str, msgspec.Meta(max_length=60)] | None = None  # a kind of record, or `other`
    record: Annotated[str, msgspec.Meta(max_length=120)] | None = None  # part of a reference or a name
    sign_ins: bool = False  # signing in and out is left out unless asked for


class AuditEventOut(msgspec.Struct):
    sequence: int  # the event's place among the events a reader may see (sealed ones leave no gap)
    occurred_at: datetime
    actor_username: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    event_hash: str
    who: str  # the person who acted, by name, or the service itself
    what: str  # the event as a sentence in the reader's language
    kind: str  # the kind of event in words
    record: str  # the record it changed, in words


class Choice(msgspec.Struct, frozen=True):
    """One option of a filter's list: the value sent, the words shown, whether it is the one chosen."""

    value: str
    text: str
    selected: bool = False


class AuditFilterChoices(msgspec.Struct):
    """What the filter's lists offer: only kinds of event, people and kinds of record that the reader's trail holds."""

    kinds: list[Choice]
    people: list[Choice]
    record_types: list[Choice]


class ChainReport(msgspec.Struct):
    events: int
    intact: bool
    first_bad_sequence: int | None = None
    problem: str | None = None
