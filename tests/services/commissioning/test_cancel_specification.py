"""Cancelling a specification: with a reason, at any stage before award; the earmarks go back to the lines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.queries import specifications as specification_queries
from commissioning.services import specifications
from core.errors import Conflict, NotFound, RuleBroken
from finance import queries as finance_queries
from finance.tables import BudgetEarmark
from tests import commissioning_support as support
from tests.conftest import make_actor


async def _cancel(actor: Any, spec_id: int, reason: str = "The need is now met by the health board", **kw: Any) -> Any:
    return await specifications.cancel_specification(
        actor=actor, specification_id=spec_id, reason=reason, now=kw.get("at") or support.now()
    )


async def _headroom(line: Any) -> int:
    return (await finance_queries.ledgers([line.id]))[line.id].headroom_pence


async def test_cancelling_a_published_specification_gives_its_earmarks_back_to_every_line(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term(amount_pence=50_000_000)
    spec = await support.published(commissioner, lines, value_pence=20_000_000)
    assert [await _headroom(line) for line in lines] == [30_000_000, 30_000_000]
    cancelled = await _cancel(commissioner, spec.id, reason="  Need met elsewhere  ")
    assert (cancelled.status, cancelled.cancellation_reason) == ("cancelled", "Need met elsewhere")
    assert cancelled.cancelled_at is not None
    assert [await _headroom(line) for line in lines] == [50_000_000, 50_000_000]
    held = await BudgetEarmark.select(BudgetEarmark.released_at).where(BudgetEarmark.specification == spec.id)
    assert len(held) == 2 and all(row["released_at"] is not None for row in held), "the earmarks stay as history"


async def test_cancelling_is_audited_with_the_money_released(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.published(commissioner, await support.lines_for_term(), value_pence=20_000_000)
    await _cancel(commissioner, spec.id)
    events = (
        await AuditEvent.select()
        .where(AuditEvent.action.is_in(["specification.cancelled", "budget.released"]))
        .output(load_json=True)
    )
    [cancelled] = [e for e in events if e["action"] == "specification.cancelled"]
    assert cancelled["before"] == {"status": "published"}
    assert cancelled["after"]["status"] == "cancelled"
    assert cancelled["after"]["released_pence"] == 40_000_000
    assert len([e for e in events if e["action"] == "budget.released"]) == 2


async def test_the_released_money_can_be_earmarked_by_another_specification(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term(years=1, amount_pence=20_000_000)
    first = await support.published(commissioner, lines, value_pence=20_000_000)
    second = await support.draft(commissioner, lines, value_pence=20_000_000)
    with pytest.raises(Conflict):
        await specifications.publish_specification(actor=commissioner, specification_id=second.id, now=support.now())
    await _cancel(commissioner, first.id)
    published = await specifications.publish_specification(
        actor=commissioner, specification_id=second.id, now=support.now()
    )
    assert published.specification.status == "published"


async def test_a_draft_can_be_cancelled_and_holds_no_money(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    spec = await support.draft(commissioner, lines)
    assert (await _cancel(commissioner, spec.id)).status == "cancelled"
    assert await BudgetEarmark.count() == 0


async def test_a_closed_specification_and_one_under_evaluation_can_be_cancelled(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term(amount_pence=50_000_000)
    at = support.now() - timedelta(days=10)
    closed = await support.published(commissioner, lines, at=at, deadline=at + timedelta(days=1))
    evaluating = await support.published(commissioner, lines, at=at, deadline=at + timedelta(days=1))
    await specifications.begin_evaluation(actor=commissioner, specification_id=evaluating.id, now=support.now())
    assert (await _cancel(commissioner, closed.id)).status == "cancelled"
    assert (await _cancel(commissioner, evaluating.id)).status == "cancelled"
    assert [await _headroom(line) for line in lines] == [50_000_000, 50_000_000]


@pytest.mark.parametrize("reason", ["", "   "])
async def test_a_reason_is_required_and_without_one_nothing_changes(menu, reason):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    spec = await support.published(commissioner, lines)
    events_before = await AuditEvent.count()
    with pytest.raises(RuleBroken) as refused:
        await _cancel(commissioner, spec.id, reason=reason)
    assert (refused.value.field, refused.value.message) == ("reason", "Give the reason for cancelling")
    assert await AuditEvent.count() == events_before
    again = await specification_queries.get_specification(
        actor=commissioner, specification_id=spec.id, now=support.now()
    )
    assert again.status == "published"
    assert await _headroom(lines[0]) == 30_000_000, "the earmarks are still held"


async def test_a_cancelled_specification_cannot_be_cancelled_again(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.published(commissioner, await support.lines_for_term())
    await _cancel(commissioner, spec.id, reason="First")
    events_before = await AuditEvent.count()
    with pytest.raises(Conflict) as refused:
        await _cancel(commissioner, spec.id, reason="Second")
    assert refused.value.params["status"] == "cancelled"
    assert await AuditEvent.count() == events_before
    again = await specification_queries.get_specification(actor=None, specification_id=spec.id, now=support.now())
    assert again.cancellation_reason == "First"


async def test_a_cancelled_specification_stays_public_with_its_reason(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.published(commissioner, await support.lines_for_term())
    await _cancel(commissioner, spec.id, reason="Funding withdrawn")
    public = await specification_queries.get_specification(actor=None, specification_id=spec.id, now=support.now())
    assert (public.status, public.cancellation_reason) == ("cancelled", "Funding withdrawn")
    opportunities = await specification_queries.list_specifications(actor=None, now=support.now(), open_only=True)
    assert opportunities.total == 0


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.COMMISSIONER, {"pcpg_names": ("Swansea Bay",)}), (Role.NATIONAL_ADMIN, {}), (Role.PROVIDER, {})],
)
async def test_only_the_pcpgs_commissioners_can_cancel(menu, role, scope):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    spec = await support.published(commissioner, lines)
    with pytest.raises(NotFound):
        await _cancel(await make_actor(role, **scope), spec.id)
    assert (
        await specification_queries.get_specification(actor=None, specification_id=spec.id, now=support.now())
    ).status == ("published")
    assert await _headroom(lines[0]) == 30_000_000
