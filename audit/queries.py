"""Reading the trail (national admins all of it; commissioners their PCPGs'), filtered, paged and counted in SQL, as
sentences in the reader's language; the CSV download of it; and verifying the chain."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from piccolo.querystring import QueryString

from accounts.actor import Actor, Role
from audit import records, rules
from audit.messages import KINDS, OTHER, OTHER_KINDS, OTHER_RECORDS, RECORDS, SIGN_IN_ACTIONS
from audit.schemas import AuditEventOut, AuditFilterChoices, AuditFilterIn, ChainReport, ChainVerification, Choice
from audit.tables import AuditEvent
from core.errors import NotAllowed, RuleBroken
from core.i18n import N_, current_language, time_in_words, translate_in
from core.pagination import Page, check_window

CSV_BATCH = 500
CSV_HEADINGS = (N_("When (UK time)"), N_("Who"), N_("What"), N_("Record"))
NO_FILTERS = AuditFilterIn()


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def scope_condition(actor: Actor) -> Any:
    """The events an actor may read, as SQL; None for all of them. A commissioner reads those tagged with one of
    their PCPGs, and a delivery vehicle's events for every PCPG whose clusters it serves."""
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    if actor.role is not Role.COMMISSIONER:
        raise NotAllowed()
    from organisations.tables import Cluster, DeliveryVehicleCluster

    pcpg_ids = list(actor.pcpg_ids) or [-1]
    serving = QueryString(
        f'SELECT CAST("served"."delivery_vehicle" AS VARCHAR(20)) FROM "{DeliveryVehicleCluster._meta.tablename}" '
        f'AS "served" JOIN "{Cluster._meta.tablename}" AS "in_cluster" ON "in_cluster"."id" = "served"."cluster" '
        f'WHERE "in_cluster"."pcpg" IN ({", ".join("{}" for _ in pcpg_ids)})',
        *pcpg_ids,
    )
    return AuditEvent.pcpg_id.is_in(pcpg_ids) | (
        (AuditEvent.entity_type == "DeliveryVehicle") & AuditEvent.entity_id.is_in(serving)
    )


def _visible(now: datetime) -> Any:
    """Sealed events (a bid's, before its deadline) are shown to nobody, not even as a count."""
    return AuditEvent.visible_from_at.is_null() | (AuditEvent.visible_from_at <= now)


def _readable(actor: Actor, now: datetime) -> list[Any]:
    """The events a reader may see at all: what the filters narrow, and what the filters' lists are made from."""
    scope = scope_condition(actor)
    return [_visible(now)] if scope is None else [_visible(now), scope]


def trail_conditions(actor: Actor, filters: AuditFilterIn, now: datetime) -> list[Any]:
    """The reader's trail as the filters narrow it, as SQL conditions: the one place the scope, the seal and every
    filter meet, used by the page, its count, the API and the CSV alike."""
    problem = rules.date_range_problem(filters.from_on, filters.to_on)
    if problem:
        raise RuleBroken(problem, field="to_on")  # a read's parameters out of order: a 422 naming the last day
    conditions = _readable(actor, now)
    start, end = rules.period(filters.from_on, filters.to_on)
    if start is not None:
        conditions.append(AuditEvent.occurred_at >= start)
    if end is not None:
        conditions.append(AuditEvent.occurred_at < end)
    if filters.action == OTHER:
        conditions.append(AuditEvent.action.not_in(sorted(KINDS)))
    elif filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if rules.leaves_out_sign_ins(filters.action, filters.sign_ins):
        conditions.append(AuditEvent.action.not_in(sorted(SIGN_IN_ACTIONS)))
    if filters.person:
        if filters.person.isdigit():
            conditions.append(AuditEvent.actor_user_id == int(filters.person))
        else:
            conditions.append(AuditEvent.actor_user_id.is_null() & (AuditEvent.actor_username == filters.person))
    if filters.record_type:
        conditions.append(records.record_type_condition(filters.record_type))
    if filters.record and filters.record.strip():
        conditions.append(records.record_condition(filters.record))
    return conditions


def _where(query: Any, conditions: list[Any]) -> Any:
    for condition in conditions:
        query = query.where(condition)
    return query


async def _described(rows: list[dict[str, Any]], language: str) -> list[tuple[dict[str, Any], rules.Described, str]]:
    """Each event with its words, the records and people they name read for all of them at once."""
    events = [
        rules.Event(
            action=row["action"],
            entity_type=row["entity_type"],
            entity_id=str(row["entity_id"]),
            before=_loaded(row["before"]) or {},
            after=_loaded(row["after"]) or {},
        )
        for row in rows
    ]
    facts = await records.record_facts(key for event in events for key in rules.records_named(event))
    people = {row["actor_user_id"] for row in rows if row["actor_user_id"] is not None}
    people |= {found["person_id"] for found in facts.values() if found.get("person_id") is not None}
    names = await records.people_names(people)
    described = []
    for row, event in zip(rows, events, strict=True):
        actor = rules.who(row["actor_user_id"], row["actor_username"], names, language)
        words = rules.describe(event, actor=actor, records=facts, names=names, language=language)
        described.append(({**row, "before": event.before, "after": event.after}, words, actor))
    return described


async def list_audit_events(
    *,
    actor: Actor,
    filters: AuditFilterIn = NO_FILTERS,
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
) -> Page[AuditEventOut]:
    """Newest first, in the reader's language; no chain hash and no number (AuditEventOut says why)."""
    check_window(limit, offset)
    moment = now or datetime.now(UTC)
    conditions = trail_conditions(actor, filters, moment)
    query = _where(AuditEvent.select().order_by(AuditEvent.sequence, ascending=False), conditions)
    rows = await query.limit(limit).offset(offset)
    items = [
        AuditEventOut(
            occurred_at=row["occurred_at"],
            actor_username=row["actor_username"],
            action=row["action"],
            entity_type=row["entity_type"],
            entity_id=row["entity_id"],
            before=row["before"],
            after=row["after"],
            who=who,
            what=words.sentence,
            kind=words.kind,
            record=words.record,
        )
        for row, words, who in await _described(rows, current_language.get())
    ]
    return Page(items=items, total=await _where(AuditEvent.count(), conditions), limit=limit, offset=offset)


async def audit_filter_choices(*, actor: Actor, filters: AuditFilterIn, now: datetime) -> AuditFilterChoices:
    """The filter's lists: the kinds of event, people and kinds of record in the reader's trail (never in a sealed
    event: a bidder's name must not appear before the deadline), each by its words, the chosen one marked."""
    language = current_language.get()
    readable = _readable(actor, now)
    actions = [row["action"] for row in await _where(AuditEvent.select(AuditEvent.action).distinct(), readable)]
    types = [row["entity_type"] for row in await _where(AuditEvent.select(AuditEvent.entity_type).distinct(), readable)]
    actors = await _where(AuditEvent.select(AuditEvent.actor_user_id, AuditEvent.actor_username).distinct(), readable)
    names = await records.people_names(row["actor_user_id"] for row in actors if row["actor_user_id"] is not None)
    people = {
        rules.person_key(row["actor_user_id"], row["actor_username"]): rules.who(
            row["actor_user_id"], row["actor_username"], names, language
        )
        for row in actors
    }
    kinds = rules.choices(
        actions,
        {action: translate_in(language, kind.label) for action, kind in KINDS.items()},
        other=translate_in(language, OTHER_KINDS),
    )
    record_types = rules.choices(
        types,
        {entity_type: translate_in(language, kind.label) for entity_type, kind in RECORDS.items()},
        other=translate_in(language, OTHER_RECORDS),
    )
    return AuditFilterChoices(
        kinds=_marked(kinds, filters.action),
        people=_marked(rules.choices(people, people), filters.person),
        record_types=_marked(record_types, filters.record_type),
    )


def _marked(found: list[tuple[str, str]], chosen: str | None) -> list[Choice]:
    return [Choice(value=value, text=text, selected=value == chosen) for value, text in found]


async def audit_events_csv(*, actor: Actor, filters: AuditFilterIn, now: datetime, language: str) -> AsyncIterator[str]:
    """The filtered trail as CSV lines, newest first, read CSV_BATCH events at a time by sequence (never the whole
    trail in memory): when (UK time, in words), who, what (the sentence) and the record, in `language`. Refused
    filters are refused before the first line (the conditions are made here, not while streaming)."""
    conditions = trail_conditions(actor, filters, now)

    async def lines() -> AsyncIterator[str]:
        yield "\ufeff" + _csv_line([translate_in(language, heading) for heading in CSV_HEADINGS])
        below: int | None = None
        while True:
            query = _where(AuditEvent.select().order_by(AuditEvent.sequence, ascending=False), conditions)
            if below is not None:
                query = query.where(AuditEvent.sequence < below)
            rows = await query.limit(CSV_BATCH)
            if not rows:
                return
            for row, words, who in await _described(rows, language):
                yield _csv_line([time_in_words(row["occurred_at"], language), who, words.sentence, words.record])
            if len(rows) < CSV_BATCH:
                return
            below = rows[-1]["sequence"]

    return lines()


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([rules.csv_cell(cell) for cell in cells])
    return buffer.getvalue()


async def verify_chain(now: datetime | None = None) -> ChainVerification:
    """Checks every event, sealed ones included, naming the first bad one by its sequence number (for `cdv audit
    verify`); counts only the events a reader may see."""
    rows = await AuditEvent.select().order_by(AuditEvent.sequence)
    for row in rows:
        row["before"], row["after"] = _loaded(row["before"]), _loaded(row["after"])
    moment = now or datetime.now(UTC)
    shown = sum(1 for row in rows if rules.is_shown(row["visible_from_at"], moment))
    broken = rules.first_broken_link(rows)
    if broken is None:
        return ChainVerification(events=shown, intact=True)
    return ChainVerification(
        events=shown,
        intact=False,
        first_bad_sequence=broken[0],
        problem=broken[1],
        first_bad_at=rules.break_shown_at(rows, broken[0], moment),
    )


async def chain_report(now: datetime) -> ChainReport:
    """The chain check as a national administrator reads it (API and page): whether it holds, and when the first bad
    event was recorded unless that event is sealed; no sequence number, no hash."""
    checked = await verify_chain(now)
    return ChainReport(events=checked.events, intact=checked.intact, first_bad_at=checked.first_bad_at)
