"""Reading the trail (national admins all of it; commissioners their PCPGs'), and verifying the chain."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from accounts.actor import Actor, Role
from audit import rules
from audit.schemas import AuditEventOut, ChainReport
from audit.tables import AuditEvent
from core.errors import NotAllowed
from core.pagination import Page, check_window


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
    if actor.role is Role.COMMISSIONER:
        conditions.append(
            AuditEvent.pcpg_id.is_in(list(actor.pcpg_ids) or [-1])
            | (
                (AuditEvent.entity_type == "DeliveryVehicle")
                & AuditEvent.entity_id.is_in(await _vehicles_serving(actor.pcpg_ids) or ["-1"])
            )
        )
    elif actor.role is not Role.NATIONAL_ADMIN:
        raise NotAllowed()
    if action:
        conditions.append(AuditEvent.action == action)
    for condition in conditions:
        query, count = query.where(condition), count.where(condition)
    rows = await query.limit(limit).offset(offset)
    numbers = await _reader_numbers([row["sequence"] for row in rows], visible)
    items = [
        AuditEventOut(
            sequence=numbers[row["sequence"]],
            occurred_at=row["occurred_at"],
            actor_username=row["actor_username"],
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


async def _vehicles_serving(pcpg_ids: tuple[int, ...]) -> list[str]:
    """A delivery vehicle's events belong to every PCPG whose clusters it serves."""
    from organisations.tables import DeliveryVehicleCluster

    rows = await DeliveryVehicleCluster.select(DeliveryVehicleCluster.delivery_vehicle).where(
        DeliveryVehicleCluster.cluster.pcpg.is_in(list(pcpg_ids) or [-1])
    )
    return sorted({str(row["delivery_vehicle"]) for row in rows})


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
