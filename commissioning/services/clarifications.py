"""Clarification questions: a bidder asks, the PCPG answers, and the answer is published to every bidder
without naming who asked (fair treatment of bidders)."""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor, Role
from accounts.tables import UserPcpg
from audit.operation import operation
from commissioning import rules
from commissioning.tables import Clarification, Specification
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from notifications.services import notify
from organisations.rules import DeliveryVehicleStatus
from organisations.tables import DeliveryVehicle


async def check_asker(actor: Actor) -> None:
    """Only an approved delivery vehicle's manager asks; the page asks this first, so who may ask is answered
    before what was typed."""
    if actor.role is not Role.PROVIDER or actor.delivery_vehicle_id is None:
        raise NotAllowed("Only a delivery vehicle's manager can ask a question")
    vehicle = (
        await DeliveryVehicle.select(DeliveryVehicle.status)
        .where(DeliveryVehicle.id == actor.delivery_vehicle_id)
        .first()
    )
    if vehicle is None or vehicle["status"] != DeliveryVehicleStatus.APPROVED:
        raise NotAllowed("Your delivery vehicle must be approved before it can ask questions")


async def ask_clarification(*, actor: Actor, specification_id: int, question: str, now: datetime) -> int:
    async with operation("clarification.asked", actor=actor, now=now) as op:
        await check_asker(actor)
        spec = await Specification.select().where(Specification.id == specification_id).first()
        if spec is None or spec["status"] == rules.SpecificationStatus.DRAFT:
            raise NotFound("No such specification")
        if (
            rules.effective_status(spec["status"], spec["bid_deadline_at"], now)
            is not rules.SpecificationStatus.PUBLISHED
        ):
            raise Conflict("Questions can be asked only while the specification is open for bids")
        if not question.strip():
            raise RuleBroken("Enter your question", field="question")
        row = Clarification(
            specification=specification_id,
            delivery_vehicle=actor.delivery_vehicle_id,
            question=question.strip(),
            asked_at=now,
            asked_by_username=actor.username,
        )
        await row.save()
        op.record(
            "Clarification",
            row.id,
            after={"specification_id": specification_id, "question": row.question},
            pcpg_id=spec["pcpg"],
        )
        commissioners = await UserPcpg.select(UserPcpg.user).where(UserPcpg.pcpg == spec["pcpg"])
        await notify(
            user_ids=[r["user"] for r in commissioners],
            kind="clarification_asked",
            key=str(row.id),
            params={"title": spec["title"], "reference": spec["reference"]},
            localise={"cy": {"title": spec["title_cy"]}},
            link=f"/specifications/{specification_id}#questions",
            now=now,
        )
    return int(row.id)


async def answer_clarification(*, actor: Actor, clarification_id: int, answer: str, now: datetime) -> None:
    async with operation("clarification.answered", actor=actor, now=now) as op:
        row = (
            await Clarification.select(*Clarification.all_columns(), Clarification.specification.pcpg.as_alias("pcpg"))
            .where(Clarification.id == clarification_id)
            .first()
        )
        if row is None or not rules.can_manage_specification(
            role=actor.role.value if actor.role else None, actor_pcpg_ids=actor.pcpg_ids, pcpg_id=row["pcpg"]
        ):
            raise NotFound("No such question")
        if row["answered_at"] is not None:
            raise Conflict("This question has already been answered")
        if not answer.strip():
            raise RuleBroken("Enter the answer", field="answer")
        await Clarification.update(
            {
                Clarification.answer: answer.strip(),
                Clarification.answered_at: now,
                Clarification.answered_by_username: actor.username,
            }
        ).where(Clarification.id == clarification_id)
        op.record(
            "Clarification",
            clarification_id,
            before={"answered": False},
            after={"answered": True, "answer": answer.strip()},
            pcpg_id=row["pcpg"],
        )
