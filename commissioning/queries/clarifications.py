"""Reads of clarification questions: answered ones public and anonymous."""

from __future__ import annotations

from accounts.actor import Actor
from commissioning.schemas import (
    ClarificationOut,
)
from commissioning.tables import (
    Clarification,
)


async def list_clarifications(*, actor: Actor | None, specification_id: int, manager: bool) -> list[ClarificationOut]:
    """Answered questions are public and anonymous; an unanswered one is seen by its asker and the PCPG."""
    rows = (
        await Clarification.select().where(Clarification.specification == specification_id).order_by(Clarification.id)
    )
    mine_vehicle = actor.delivery_vehicle_id if actor is not None else None
    out = []
    for row in rows:
        mine = mine_vehicle is not None and row["delivery_vehicle"] == mine_vehicle
        if row["answered_at"] is None and not (manager or mine):
            continue
        out.append(
            ClarificationOut(
                id=row["id"],
                question=row["question"],
                asked_at=row["asked_at"],
                answer=row["answer"],
                answered_at=row["answered_at"],
                mine=mine,
            )
        )
    return out
