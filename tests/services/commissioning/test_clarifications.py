"""Clarification questions: an approved delivery vehicle asks while bids are open; the PCPG answers; the answer is
published to everyone without naming who asked; an unanswered question is seen only by its asker and the PCPG."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.queries import clarifications as clarification_queries
from commissioning.schemas import ClarificationOut
from commissioning.services import specifications
from commissioning.services.clarifications import answer_clarification, ask_clarification
from commissioning.tables import Clarification
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from tests import commissioning_support as support
from tests import factories
from tests.conftest import make_actor

QUESTION = "Can the service be delivered from community venues outside GP practices?"


async def _provider(status: str = "approved") -> Any:
    vehicle = await factories.create_vehicle(status=status)
    return await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle.id)


async def _open_spec() -> tuple[Any, Any]:
    commissioner = await make_actor(Role.COMMISSIONER)
    return commissioner, await support.published(commissioner, await support.lines_for_term())


async def _ask(provider: Any, spec_id: int, question: str = QUESTION, at: Any = None) -> int:
    return await ask_clarification(actor=provider, specification_id=spec_id, question=question, now=at or support.now())


async def _seen_by(actor: Any, spec: Any, *, manager: bool = False) -> list[ClarificationOut]:
    return await clarification_queries.list_clarifications(actor=actor, specification_id=spec.id, manager=manager)


async def test_an_approved_provider_asks_and_sees_their_own_question_waiting(menu):
    _, spec = await _open_spec()
    provider = await _provider()
    question_id = await _ask(provider, spec.id, question=f"  {QUESTION}  ")
    [mine] = await _seen_by(provider, spec)
    assert (mine.id, mine.question, mine.answer, mine.answered_at, mine.mine) == (question_id, QUESTION, "", None, True)
    [event] = await AuditEvent.select().where(AuditEvent.action == "clarification.asked")
    assert (event["entity_id"], event["pcpg_id"]) == (str(question_id), spec.pcpg_id)


async def test_an_unanswered_question_is_hidden_from_other_providers_and_the_public_but_not_the_pcpg(menu):
    commissioner, spec = await _open_spec()
    await _ask(await _provider(), spec.id)
    assert await _seen_by(await _provider(), spec) == []
    assert await _seen_by(None, spec) == []
    [waiting] = await _seen_by(commissioner, spec, manager=True)
    assert (waiting.question, waiting.mine) == (QUESTION, False)


async def test_the_answer_is_published_to_everyone_without_naming_who_asked(menu):
    commissioner, spec = await _open_spec()
    asker = await _provider()
    question_id = await _ask(asker, spec.id)
    await answer_clarification(
        actor=commissioner, clarification_id=question_id, answer="  Yes, any accessible venue.  ", now=support.now()
    )
    for reader in (None, await _provider(), asker):
        [answered] = await _seen_by(reader, spec)
        assert (answered.question, answered.answer) == (QUESTION, "Yes, any accessible venue.")
        assert answered.answered_at is not None
        assert answered.mine is (reader is asker)
    assert set(ClarificationOut.__struct_fields__) == {"id", "question", "asked_at", "answer", "answered_at", "mine"}, (
        "nothing in what is published names the asker"
    )
    [event] = await AuditEvent.select().where(AuditEvent.action == "clarification.answered")
    assert event["entity_id"] == str(question_id)


async def test_a_question_can_be_answered_only_once(menu):
    commissioner, spec = await _open_spec()
    question_id = await _ask(await _provider(), spec.id)
    await answer_clarification(actor=commissioner, clarification_id=question_id, answer="First", now=support.now())
    with pytest.raises(Conflict):
        await answer_clarification(actor=commissioner, clarification_id=question_id, answer="Second", now=support.now())
    [answered] = await _seen_by(None, spec)
    assert answered.answer == "First"


async def test_an_empty_answer_is_refused_and_the_question_stays_unanswered(menu):
    commissioner, spec = await _open_spec()
    question_id = await _ask(await _provider(), spec.id)
    with pytest.raises(RuleBroken) as refused:
        await answer_clarification(actor=commissioner, clarification_id=question_id, answer="  ", now=support.now())
    assert refused.value.field == "answer"
    assert await _seen_by(None, spec) == []


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.COMMISSIONER, {"pcpg_names": ("Swansea Bay",)}), (Role.NATIONAL_ADMIN, {}), (Role.PROVIDER, {})],
)
async def test_only_the_pcpgs_commissioners_answer(menu, role, scope):
    _, spec = await _open_spec()
    question_id = await _ask(await _provider(), spec.id)
    with pytest.raises(NotFound):
        await answer_clarification(
            actor=await make_actor(role, **scope), clarification_id=question_id, answer="Yes", now=support.now()
        )
    assert await _seen_by(None, spec) == []


async def test_an_empty_question_is_refused(menu):
    _, spec = await _open_spec()
    with pytest.raises(RuleBroken) as refused:
        await _ask(await _provider(), spec.id, question="   ")
    assert refused.value.field == "question"
    assert await Clarification.count() == 0


async def test_a_provider_whose_vehicle_is_not_approved_cannot_ask(menu):
    _, spec = await _open_spec()
    for provider in (await _provider(status="pending"), await _provider(status="rejected")):
        with pytest.raises(NotAllowed):
            await _ask(provider, spec.id)
    assert await Clarification.count() == 0


@pytest.mark.parametrize(("role", "scope"), [(Role.PROVIDER, {}), (Role.COMMISSIONER, {}), (Role.EVALUATOR, {})])
async def test_only_a_delivery_vehicles_manager_can_ask(menu, role, scope):
    _, spec = await _open_spec()
    with pytest.raises(NotAllowed):
        await _ask(await make_actor(role, **scope), spec.id)
    assert await Clarification.count() == 0


async def test_no_question_can_be_asked_on_a_draft(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.draft(commissioner, await support.lines_for_term())
    with pytest.raises(NotFound):
        await _ask(await _provider(), spec.id)


async def test_no_question_can_be_asked_after_the_deadline(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    at = support.now() - timedelta(days=10)
    spec = await support.published(commissioner, await support.lines_for_term(), at=at, deadline=at + timedelta(days=1))
    with pytest.raises(Conflict):
        await _ask(await _provider(), spec.id)
    assert await Clarification.count() == 0


async def test_no_question_can_be_asked_on_a_cancelled_specification(menu):
    commissioner, spec = await _open_spec()
    await specifications.cancel_specification(
        actor=commissioner, specification_id=spec.id, reason="Withdrawn", now=support.now()
    )
    with pytest.raises(Conflict):
        await _ask(await _provider(), spec.id)


async def test_the_pcpgs_commissioners_are_told_of_a_question_and_nobody_else(menu):
    """Issue 10 bullet 13: a question waits on the commissioner, so they get a notice with a link to answer it."""
    from notifications.tables import Notification

    commissioner, spec = await _open_spec()
    other = await make_actor(Role.COMMISSIONER, pcpg_names=("Newport",))
    provider = await _provider()
    await _ask(provider, spec.id)
    notices = await Notification.select(Notification.user, Notification.subject, Notification.link)
    assert notices == [
        {
            "user": commissioner.user_id,
            "subject": f"A question on {spec.title}",
            "link": f"/specifications/{spec.id}#questions",
        }
    ]
    assert other.user_id not in {n["user"] for n in notices}
