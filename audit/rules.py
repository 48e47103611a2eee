"""The hash chain (each event's hash covers its content and the previous event's hash), and how an event reads to a
person: a sentence in their language naming who, what and the record in words (issue 10, item 11)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from audit.messages import (
    A_RECORD,
    KINDS,
    NOT_SIGNED_IN,
    OTHER,
    OTHER_KINDS,
    OTHER_RECORDS,
    RECORDS,
    RELATED,
    SIGN_IN_ACTIONS,
    SOME_CHANGE,
    SOMEONE,
    SYSTEM_NAME,
    Event,
    Said,
)
from core.clock import LONDON
from core.i18n import N_, period_in_words, translate_in
from core.money import format_pounds
from core.periods import FinancialYear
from finance.rules import FUNDING_STREAMS

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


def is_shown(visible_from_at: datetime | None, now: datetime) -> bool:
    """An event is shown from the time it is sealed until (a bid's events until the bid deadline), or at once."""
    return visible_from_at is None or visible_from_at <= now


def break_shown_at(rows: list[dict[str, Any]], sequence: int, now: datetime) -> datetime | None:
    """When the first bad event was recorded, as the chain's report may tell a reader: the event at the broken place
    (for a removed event, the one found in its place), unless it is sealed now; a sealed event is named by nothing."""
    found = next((row for row in rows if int(row["sequence"]) >= sequence), None)
    if found is None or not is_shown(found.get("visible_from_at"), now):
        return None
    moment: datetime = found["occurred_at"]
    return moment


class Described(NamedTuple):
    kind: str
    sentence: str
    record: str


RecordKey = tuple[str, str]


def records_named(event: Event) -> list[RecordKey]:
    """The records whose words an event's sentence needs: its own and those its data names (a specification's id
    on an earmark, a contract's on a commitment, the winning vehicle on an award)."""
    named = [(event.entity_type, event.entity_id)]
    for key, (entity_type, _) in RELATED.items():
        value = event.after.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            named.append((entity_type, str(value)))
    return named


def localised(facts: Mapping[str, Any], key: str, language: str) -> str:
    """The Welsh words when reading in Welsh and the row has them, else the English."""
    if language == "cy" and facts.get(f"{key}_cy"):
        return str(facts[f"{key}_cy"])
    return str(facts.get(key) or "")


def budget_line_label(pcpg: str, financial_year: int, funding_stream: str, language: str) -> str:
    """A budget line as people name it: "Cardiff, 2027-28, Cluster funding", the words finance.rules.budget_line_label
    gives on the budget pages, in a language named here rather than the request's (a CSV's)."""
    stream = translate_in(language, FUNDING_STREAMS.get(funding_stream, FUNDING_STREAMS["other"]))
    return f"{pcpg}, {FinancialYear(financial_year).label}, {stream}"


def record_words(facts: Mapping[str, Any] | None, names: Mapping[int, str], language: str) -> dict[str, str]:
    """A record's row as the words sentences use: `reference`, `vehicle`, `filename`, `name`, `title`, `plan`,
    `person` (a user's name) and `line` (a budget line's)."""
    if not facts:
        return {}
    words = {key: str(facts[key]) for key in ("reference", "vehicle", "filename") if facts.get(key)}
    words |= {key: localised(facts, key, language) for key in ("name", "title", "plan") if facts.get(key)}
    person = facts.get("person_id")
    if person is not None and names.get(person):
        words["person"] = names[person]
    if facts.get("pcpg") and facts.get("financial_year") is not None:
        words["line"] = budget_line_label(
            localised(facts, "pcpg", language), int(facts["financial_year"]), str(facts.get("funding_stream")), language
        )
    return words


def record_phrase(entity_type: str, words: Mapping[str, str], language: str) -> str:
    """The record in words ("specification CDV-2027-0002", "the budget line Cardiff, 2027-28, Cluster funding"), or
    what kind of record it is when its words are missing; never its type's code or its id."""
    kind = RECORDS.get(entity_type)
    if kind is None:
        return translate_in(language, A_RECORD)
    if all(words.get(need) for need in kind.needs):
        return translate_in(language, kind.phrase, **{need: words[need] for need in kind.needs})
    return translate_in(language, kind.unnamed)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def kind_label(action: str) -> str:
    """The catalogue message naming a kind of event (for the filter's list and each row)."""
    kind = KINDS.get(action)
    return kind.label if kind else OTHER_KINDS


def record_kind_label(entity_type: str) -> str:
    kind = RECORDS.get(entity_type)
    return kind.label if kind else OTHER_RECORDS


def who(user_id: int | None, username: str, names: Mapping[int, str], language: str) -> str:
    """The person who acted, by name; the service itself for loaders and the command line; someone not signed in
    for a refused sign-in. A user no longer found keeps the name they signed in with."""
    if user_id is not None:
        return names.get(user_id) or username
    nobody = NOT_SIGNED_IN if username == "anonymous" else SYSTEM_NAME
    return translate_in(language, nobody)


def _shown(params: Mapping[str, Any], language: str) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if key.endswith("_pence"):
            shown[key.removesuffix("_pence")] = format_pounds(int(value), language)
        elif key.endswith("_as_of"):
            shown[key.removesuffix("_as_of")] = period_in_words(str(value), language)
        else:
            shown[key] = value
    return shown


def describe(
    event: Event,
    *,
    actor: str,
    records: Mapping[RecordKey, Mapping[str, Any]],
    names: Mapping[int, str],
    language: str,
) -> Described:
    """An event as a person reads it: its kind, a sentence ("Anna Price published specification CDV-2027-0002")
    and its record in words. A kind of event the catalogue does not know, or data its sentence cannot read, still
    gives a readable sentence ("... made a change to ..."), never the stored code."""
    own = record_words(records.get((event.entity_type, event.entity_id)), names, language)
    phrase = record_phrase(event.entity_type, own, language)
    params: dict[str, Any] = {
        "who": actor,
        "record": phrase,
        "person": translate_in(language, SOMEONE),
        "reference": translate_in(language, RECORDS["Specification"].unnamed),
    }
    for entity_type, word in RELATED.values():
        params[word] = translate_in(language, RECORDS[entity_type].unnamed)
    for key, (entity_type, word) in RELATED.items():
        related = record_words(records.get((entity_type, str(event.after.get(key)))), names, language)
        if entity_type == "DeliveryVehicle":
            params[word] = related.get("name") or params[word]
        elif related:
            params[word] = record_phrase(entity_type, related, language)
    params |= own
    kind = KINDS.get(event.action)
    sentence = SOME_CHANGE
    if kind is not None:
        try:
            said: Said | None = kind.facts(event)
        except (KeyError, TypeError, ValueError):
            said = None
        if said is not None:
            sentence = said.sentence or kind.sentence
            params |= _shown(said.params, language)
    try:
        text = translate_in(language, sentence, **params)
    except (KeyError, TypeError, ValueError):
        text = translate_in(language, SOME_CHANGE, **params)
    return Described(
        kind=translate_in(language, kind_label(event.action)),
        sentence=capitalised(text),
        record=capitalised(phrase),
    )


# Filters


def leaves_out_sign_ins(action: str | None, sign_ins: bool) -> bool:
    """Signing in and out is most of a trail and rarely what a reader is after: left out unless asked for, by the
    box or by choosing one of those kinds of event."""
    return not sign_ins and action not in SIGN_IN_ACTIONS


def day_starts_at(day: date) -> datetime:
    """Midnight in the UK at the start of a day (GMT or BST, whichever was in force), in UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=LONDON).astimezone(UTC)


def period(from_on: date | None, to_on: date | None) -> tuple[datetime | None, datetime | None]:
    """The moments a range of UK days covers: from the first day's midnight, up to (not including) the midnight
    after the last day."""
    start = day_starts_at(from_on) if from_on else None
    end = day_starts_at(to_on + timedelta(days=1)) if to_on else None
    return start, end


def date_range_problem(from_on: date | None, to_on: date | None) -> str | None:
    if from_on and to_on and to_on < from_on:
        return N_("The last day must be the same as or after the first day")
    return None


def typed_day(day: str, month: str, year: str) -> date | None:
    """A day as typed into an NHS.UK date input (day, month, year); None when all three are blank. Raises
    ValueError for a day that does not exist, a part left out or a year not written in full."""
    parts = [part.strip() for part in (day, month, year)]
    if not any(parts):
        return None
    if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        raise ValueError("not a day")
    return date(int(parts[2]), int(parts[1]), int(parts[0]))


def person_key(user_id: int | None, username: str) -> str:
    """How the filter names a person: their user id, or `system` / `anonymous` for events without one."""
    return str(user_id) if user_id is not None else ("anonymous" if username == "anonymous" else "system")


def choices(values: Iterable[str], labels: Mapping[str, str], *, other: str | None = None) -> list[tuple[str, str]]:
    """A filter's list, sorted by its words: (value, words) for each value present that has words of its own, then
    one choice (`OTHER`) for all the others present, when the list has words for them."""
    present = set(values)
    found = sorted(
        ((value, labels[value]) for value in present if value in labels), key=lambda item: (item[1].casefold(), item[0])
    )
    if other is not None and present - labels.keys():
        found.append((OTHER, other))
    return found


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A spreadsheet opening the download must not run a cell as a formula (OWASP CSV injection): text starting
    like one gets an apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text
