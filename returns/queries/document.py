"""The delivery return's document read model, for whoever may read the return (returns.queries.scope.read_scope):
get_return's statements and two more (the contract's parties, and the people by name)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.actor import Actor
from accounts.queries import full_names, person
from core.clock import london_day
from core.errors import NotFound
from core.i18n import in_reading_language
from returns.queries.returns import get_return
from returns.queries.scope import read_scope, scoped
from returns.schemas.document import ReturnDocument
from returns.tables import DeliveryReturn


async def return_document(*, actor: Actor, return_id: int, now: datetime) -> ReturnDocument:
    """One return whole with its contract's parties; out of scope answers as absent (NotFound), like get_return."""
    the_return = await get_return(actor=actor, return_id=return_id, now=now)
    r: Any = DeliveryReturn
    row = await scoped(
        DeliveryReturn.select(
            DeliveryReturn.saved_at,
            DeliveryReturn.saved_by_username,
            DeliveryReturn.submitted_by_username,
            DeliveryReturn.decided_at,
            DeliveryReturn.decided_by_username,
            in_reading_language(r.contract.health_board.name, r.contract.health_board.name_cy, alias="health_board"),
        ).where(DeliveryReturn.id == return_id),
        read_scope(actor),
    ).first()
    if row is None:  # gone between the two reads
        raise NotFound("No such return")
    usernames = [row["saved_by_username"], row["submitted_by_username"], row["decided_by_username"]]
    names = await full_names(usernames)
    summary = the_return.summary
    return ReturnDocument(
        the_return=the_return,
        health_board=row["health_board"],
        pcpg=summary.pcpg,
        delivery_vehicle=summary.delivery_vehicle,
        saved_at=row["saved_at"],
        saved_by=person(row["saved_by_username"], names) if row["saved_by_username"] else "",
        submitted_by=person(row["submitted_by_username"], names) if row["submitted_by_username"] else "",
        decided_at=row["decided_at"],
        decided_by=person(row["decided_by_username"], names) if row["decided_by_username"] else "",
        produced_on=london_day(now),
    )
