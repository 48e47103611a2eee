"""Reads of clarification questions: answered ones public and anonymous."""

from __future__ import annotations

from accounts.actor import Actor
from commissioning import rules
from commissioning.schemas import (
    ClarificationOut,
)
from commissioning.tables import (
    Clarification,
)
from core.errors import NotFound


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


async def get_question_specification(*, actor: Actor, clarification_id: int) -> int:
    """The specification a question was asked on, for the PCPG's commissioners who answer it; to anyone else the
    question is absent, as services.clarifications.answer_clarification finds it."""
    row = (
        await Clarification.select(Clarification.specification, Clarification.specification.pcpg.as_alias("pcpg"))
        .where(Clarification.id == clarification_id)
        .first()
    )
    if row is None or not rules.can_manage_specification(
        role=actor.role.value if actor.role else None, actor_pcpg_ids=actor.pcpg_ids, pcpg_id=row["pcpg"]
    ):
        raise NotFound("No such question")
    return int(row["specification"])
