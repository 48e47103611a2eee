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
    """An event as a reader sees it. It carries no chain hash and no number: with them a reader could recompute the
    chain, or count, and learn that sealed events lie between two shown ones (issue 11, item 2). Events come in the
    order they were recorded; whether the chain holds is what `GET /api/v1/audit/verify` reports."""

    occurred_at: datetime
    actor_username: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any]
    after: dict[str, Any]
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
    """Whether the hash chain holds, checked over every event, sealed ones too, as a national administrator reads it:
    no sequence number, no hash, nothing a sealed event changes while the chain holds (issue 11, item 2). The details
    of a break (which event, and how) are for whoever runs the service: `cdv audit verify`."""

    events: Annotated[int, msgspec.Meta(description="How many events a reader may see now (sealed ones not counted)")]
    intact: Annotated[
        bool, msgspec.Meta(description="Every event, sealed ones too, is as it was written and in its place")
    ]
    first_bad_at: Annotated[
        datetime | None,
        msgspec.Meta(
            description="When the first event found changed or out of place was recorded; empty while it is sealed"
        ),
    ] = None


class ChainVerification(msgspec.Struct):
    """The chain check in full, for `cdv audit verify` (whoever runs it reads the table itself): the first bad
    event's sequence number and what is wrong with it."""

    events: int  # how many events a reader may see now, as the report says
    intact: bool
    first_bad_sequence: int | None = None
    problem: str | None = None
    first_bad_at: datetime | None = None  # as the report gives it: empty while that event is sealed
