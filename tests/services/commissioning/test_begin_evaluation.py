"""Beginning evaluation: only once the bid deadline has passed (the specification is closed by the clock)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.queries import specifications as specification_queries
from commissioning.services import specifications
from core.errors import Conflict, NotFound
from tests import commissioning_support as support
from tests.conftest import make_actor

PUBLISHED_AT = support.now() - timedelta(days=10)
DEADLINE = PUBLISHED_AT + timedelta(days=1)


async def _published(commissioner: Any, lines: list[Any] | None = None) -> Any:
    lines = lines or await support.lines_for_term()
    return await support.published(commissioner, lines, at=PUBLISHED_AT, deadline=DEADLINE)


async def _begin(actor: Any, spec_id: int, at: Any) -> Any:
    return await specifications.begin_evaluation(actor=actor, specification_id=spec_id, now=at)


async def test_once_the_deadline_has_passed_the_specification_is_closed_and_evaluation_can_begin(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await _published(commissioner)
    after = DEADLINE + timedelta(days=1)
    before = await specification_queries.get_specification(actor=None, specification_id=spec.id, now=after)
    assert before.status == "closed"
    assert (await specification_queries.list_specifications(actor=None, now=after, open_only=True)).total == 0, (
        "a closed specification is no longer an open opportunity"
    )
    assert (
        await specification_queries.list_specifications(actor=None, now=DEADLINE - timedelta(hours=1), open_only=True)
    ).total == 1
    evaluating = await _begin(commissioner, spec.id, after)
    assert evaluating.status == "under_evaluation"
    still = await specification_queries.get_specification(
        actor=None, specification_id=spec.id, now=after + timedelta(days=30)
    )
    assert still.status == "under_evaluation"


async def test_beginning_evaluation_is_audited(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await _published(commissioner)
    await _begin(commissioner, spec.id, DEADLINE + timedelta(days=1))
    [event] = (
        await AuditEvent.select().where(AuditEvent.action == "specification.evaluation_begun").output(load_json=True)
    )
    assert (event["entity_id"], event["before"], event["after"]) == (
        str(spec.id),
        {"status": "closed"},
        {"status": "under_evaluation"},
    )


async def test_evaluation_can_begin_at_the_deadline_itself(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await _published(commissioner)
    assert (await _begin(commissioner, spec.id, DEADLINE)).status == "under_evaluation"


async def test_evaluation_cannot_begin_while_bids_are_still_open(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await _published(commissioner)
    events_before = await AuditEvent.count()
    with pytest.raises(Conflict) as refused:
        await _begin(commissioner, spec.id, DEADLINE - timedelta(seconds=1))
    assert refused.value.params["status"] == "published"
    assert await AuditEvent.count() == events_before
    assert (
        await specification_queries.get_specification(actor=None, specification_id=spec.id, now=DEADLINE)
    ).status == "closed"


async def test_a_draft_cannot_go_to_evaluation(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.draft(commissioner, await support.lines_for_term())
    with pytest.raises(Conflict) as refused:
        await _begin(commissioner, spec.id, support.now() + timedelta(days=400))
    assert refused.value.params["status"] == "draft"


async def test_evaluation_cannot_begin_twice_or_after_cancellation(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    evaluating = await _published(commissioner, lines)
    cancelled = await _published(commissioner, lines)
    after = DEADLINE + timedelta(days=1)
    await _begin(commissioner, evaluating.id, after)
    await specifications.cancel_specification(
        actor=commissioner, specification_id=cancelled.id, reason="No bids", now=after
    )
    with pytest.raises(Conflict):
        await _begin(commissioner, evaluating.id, after)
    with pytest.raises(Conflict):
        await _begin(commissioner, cancelled.id, after)


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.COMMISSIONER, {"pcpg_names": ("Swansea Bay",)}), (Role.NATIONAL_ADMIN, {}), (Role.EVALUATOR, {})],
)
async def test_only_the_pcpgs_commissioners_can_begin_evaluation(menu, role, scope):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await _published(commissioner)
    after = DEADLINE + timedelta(days=1)
    with pytest.raises(NotFound):
        await _begin(await make_actor(role, **scope), spec.id, after)
    assert (
        await specification_queries.get_specification(actor=None, specification_id=spec.id, now=after)
    ).status == "closed"
