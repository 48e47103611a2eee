"""A return's history (issue 13, item 3): each version, newest first, with what changed from the one before field by
field in words ("Spend: £24,000.00 -> £25,100.00"), who made it and when (names, not usernames), a correction's
reason, and the queries raised on it. A fixed number of statements, however many versions."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from accounts.actor import Actor
from accounts.queries import full_names, person
from core.clock import london_day
from core.i18n import N_, gettext
from returns import rules
from returns.queries.returns import _summary, return_row
from returns.queries.review import FieldNames, field_names, figure_in_words
from returns.schemas.returns import ReturnQueryOut
from returns.schemas.review import ReturnHistoryOut, VersionHistoryOut
from returns.tables import ReturnQuery, ReturnVersion

CHANGED = N_("%(label)s: %(before)s -> %(after)s")
TEXT_CHANGED = N_("%(label)s changed")
KIND_LABELS = {
    "submitted": N_("Submitted"),
    "corrected": N_("Corrected after acceptance"),
}


def _figures(stored: Any) -> dict[str, Any]:
    """`ReturnVersion.figures` as read: JSON text on one database, already a mapping on another."""
    if isinstance(stored, str):
        stored = json.loads(stored or "{}")
    return stored if isinstance(stored, dict) else {}


def change_words(field: str, before: rules.Figure, after: rules.Figure, names: FieldNames, unit: str) -> str:
    """One change in words: "Activity Cardiff North: 120 -> 130 people" (the unit once, after the new figure);
    the narrative and risks say only that they changed (their text is on the return)."""
    label = names.label(field)
    if field in (rules.NARRATIVE_FIELD, rules.RISKS_FIELD):
        return gettext(TEXT_CHANGED, label=label)
    shown_before = figure_in_words(field, before)
    if field.startswith(rules.ACTIVITY_PREFIX) and before is not None:
        shown_before = f"{int(before):,}"
    if field.startswith(rules.WORKFORCE_PREFIX) and before is not None:
        shown_before = str(before)
    return gettext(CHANGED, label=label, before=shown_before, after=figure_in_words(field, after, unit))


async def return_history(*, actor: Actor, return_id: int, now: datetime) -> ReturnHistoryOut:
    """Every version of the return the actor may read (else not found), newest first."""
    row = await return_row(actor, return_id)
    versions = (
        await ReturnVersion.select().where(ReturnVersion.delivery_return == return_id).order_by(ReturnVersion.version)
    )
    queries = (
        await ReturnQuery.select()
        .where(ReturnQuery.delivery_return == return_id)
        .order_by(ReturnQuery.version)
        .order_by(ReturnQuery.id)
    )
    flats = [rules.flat_figures(_figures(v["figures"])) for v in versions]
    cluster_ids = sorted(
        {int(f.removeprefix(rules.ACTIVITY_PREFIX)) for flat in flats for f in flat if f.startswith("activity:")}
    )
    names = await field_names(int(row["contract"]), cluster_ids=cluster_ids)
    people = await full_names(
        [v["made_by_username"] for v in versions]
        + [q["raised_by_username"] for q in queries]
        + [row["decided_by_username"]]
    )
    raised: dict[int, list[ReturnQueryOut]] = {}
    for q in queries:
        raised.setdefault(int(q["version"]), []).append(
            ReturnQueryOut(
                version=int(q["version"]),
                field=q["field"],
                comment=q["comment"],
                raised_at=q["raised_at"],
                raised_by=person(q["raised_by_username"], people),
            )
        )
    history = []
    previous: dict[str, rules.Figure] | None = None
    for version, flat in zip(versions, flats, strict=True):
        changes = (
            []
            if previous is None
            else [
                change_words(field, before, after, names, row["unit"])
                for field, before, after in rules.figure_changes(previous, flat, names.order)
            ]
        )
        label = KIND_LABELS.get(version["kind"])
        history.append(
            VersionHistoryOut(
                version=int(version["version"]),
                kind=version["kind"],
                kind_label=gettext(label) if label else version["kind"],
                made_at=version["made_at"],
                made_by=person(version["made_by_username"], people),
                reason=version["reason"],
                changes=changes,
                queries=raised.get(int(version["version"]), []),
            )
        )
        previous = flat
    return ReturnHistoryOut(
        summary=_summary(row, london_day(now)),
        versions=list(reversed(history)),
        decided_at=row["decided_at"],
        decided_by=person(row["decided_by_username"], people) if row["decided_by_username"] else None,
    )
