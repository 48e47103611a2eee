"""Reading the trail (national admins all of it; commissioners their PCPGs'), and verifying the chain."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from piccolo.querystring import QueryString

from accounts.actor import Actor, Role
from accounts.tables import User
from audit import rules
from audit.schemas import AuditEventOut, ChainReport
from audit.tables import AuditEvent
from core.errors import NotAllowed
from core.i18n import N_, gettext
from core.pagination import Page, check_window

SYSTEM_NAME = N_("The service (automatic)")
NOT_SIGNED_IN = N_("Someone not signed in")
ANONYMOUS_USERNAME = "anonymous"  # accounts.services.sign_in.ANONYMOUS: failed sign-ins


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def list_audit_events(
    *, actor: Actor, action: str | None = None, limit: int = 50, offset: int = 0, now: datetime | None = None
) -> Page[AuditEventOut]:
    """Newest first. Commissioners see events tagged with one of their PCPGs. Sealed events (a bid's, before
    its deadline) are shown to nobody, not even as a count."""
    check_window(limit, offset)
    query = AuditEvent.select().order_by(AuditEvent.sequence, ascending=False)
    count = AuditEvent.count()
    moment = now or datetime.now(UTC)
    visible = AuditEvent.visible_from_at.is_null() | (AuditEvent.visible_from_at <= moment)
    conditions: list[Any] = [visible]
    scope = scope_condition(actor)
    if scope is not None:
        conditions.append(scope)
    if action:
        conditions.append(AuditEvent.action == action)
    for condition in conditions:
        query, count = query.where(condition), count.where(condition)
    rows = await query.limit(limit).offset(offset)
    numbers = await _reader_numbers([row["sequence"] for row in rows], visible)
    names = await _actor_names({row["actor_user_id"] for row in rows if row["actor_user_id"] is not None})
    items = [
        AuditEventOut(
            sequence=numbers[row["sequence"]],
            occurred_at=row["occurred_at"],
            actor_username=row["actor_username"],
            actor_name=names.get(row["actor_user_id"]) or _unnamed(row["actor_username"]),
            action=row["action"],
            entity_type=row["entity_type"],
            entity_id=row["entity_id"],
            before=_loaded(row["before"]),
            after=_loaded(row["after"]),
            event_hash=row["event_hash"],
        )
        for row in rows
    ]
    return Page(items=items, total=await count, limit=limit, offset=offset)


async def _actor_names(user_ids: set[int]) -> dict[int, str]:
    """Who acted, by their full name now (the event keeps the username it was signed with); one statement."""
    if not user_ids:
        return {}
    rows = await User.select(User.id, User.full_name).where(User.id.is_in(sorted(user_ids)))
    return {row["id"]: row["full_name"] for row in rows}


def _unnamed(username: str) -> str:
    """Events without a person: the service itself (loaders, the command line), or someone not signed in."""
    message = NOT_SIGNED_IN if username == ANONYMOUS_USERNAME else SYSTEM_NAME
    return gettext(message)


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


async def _reader_numbers(sequences: list[int], visible: Any) -> dict[int, int]:
    """Number events by their place among the events anyone may see, so a sealed event leaves no gap."""
    if not sequences:
        return {}
    low, high = min(sequences), max(sequences)
    before = await AuditEvent.count().where(visible & (AuditEvent.sequence < low))
    shown = [
        row["sequence"]
        for row in await AuditEvent.select(AuditEvent.sequence)
        .where(visible & (AuditEvent.sequence >= low) & (AuditEvent.sequence <= high))
        .order_by(AuditEvent.sequence)
    ]
    place = {sequence: before + index + 1 for index, sequence in enumerate(shown)}
    return {sequence: place[sequence] for sequence in sequences}


async def verify_chain(now: datetime | None = None) -> ChainReport:
    """Checks every event, sealed ones included; reports only the count of events a reader may see."""
    rows = await AuditEvent.select().order_by(AuditEvent.sequence)
    for row in rows:
        row["before"], row["after"] = _loaded(row["before"]), _loaded(row["after"])
    moment = now or datetime.now(UTC)
    shown = sum(1 for row in rows if row["visible_from_at"] is None or row["visible_from_at"] <= moment)
    broken = rules.first_broken_link(rows)
    if broken is None:
        return ChainReport(events=shown, intact=True)
    return ChainReport(events=shown, intact=False, first_bad_sequence=broken[0], problem=broken[1])
