"""Writes of commissioning before bidding: plans and priorities, specifications from draft to evaluation, and the
clarification questions asked and answered (API and pages)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from accounts.actor import Actor, Role
from commissioning.schemas import PlanIn
from commissioning.services.clarifications import ask_clarification
from commissioning.services.plans import create_plan
from tests import commissioning_support as support
from tests import factories
from tests.api.audit_writes import Arrange, Users, Write, form
from tests.api.audit_writes.menu import on_the_menu
from tests.conftest import make_actor

PLAN = "{plan_id:int}"
SPEC = "{specification_id:int}"
API_SPEC = f"/api/v1/specifications/{SPEC}"
PARTICULARS = {
    "title": "Weight management",
    "title_cy": "Rheoli pwysau",
    "description": "Support for adults.",
    "description_cy": "Cymorth i oedolion.",
    "procurement_route": "competitive",
    "day": "1",
    "month": "2",
    "year": str(support.now().year + 1),
    "time": "17:00",
}
DESCRIPTORS = {f"score-{n}-{lang}": f"Score {n}" for n in range(6) for lang in ("en", "cy")}


async def _plan(commissioner: Actor) -> int:
    data = PlanIn(pcpg_id=await support.pcpg_id("Cardiff"), first_financial_year=2026, title="Cardiff plan")
    return await create_plan(actor=commissioner, data=data, now=support.now())


async def _draft(commissioner: Actor) -> Any:
    """A complete draft of Cardiff's, over one year on its own budget line."""
    await on_the_menu()
    return await support.draft(commissioner, await support.lines_for_term(years=1))


async def _published(commissioner: Actor) -> Any:
    await on_the_menu()
    return await support.published(commissioner, await support.lines_for_term(years=1))


async def _closed(commissioner: Actor) -> Any:
    """Published ten days ago; bids closed nine days ago."""
    await on_the_menu()
    past = support.now() - timedelta(days=10)
    lines = await support.lines_for_term(years=1)
    return await support.published(commissioner, lines, at=past, deadline=past + timedelta(days=1))


async def _question(commissioner: Actor) -> tuple[Any, int]:
    """A published specification, and a provider's question about it."""
    spec = await _published(commissioner)
    provider = await make_actor(Role.PROVIDER, delivery_vehicle_id=(await factories.create_vehicle()).id)
    question = await ask_clarification(
        actor=provider, specification_id=spec.id, question="Evening sessions?", now=support.now()
    )
    return spec, question


# Plans and priorities


async def _create_plan(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    body = {"pcpg_id": await support.pcpg_id("Cardiff"), "first_financial_year": 2026, "title": "Plan"}
    return Write(partial(http.post, "/api/v1/plans", json=body), "plan.created", actor.username)


async def _add_priority(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    plan = await _plan(actor)
    body = {
        "title": "Frailty",
        "need": "Ageing population",
        "cluster_ids": await factories.cluster_ids("Cardiff North"),
    }
    send = partial(http.post, f"/api/v1/plans/{plan}/priorities", json=body)
    return Write(send, "plan_priority.added", actor.username)


async def _create_plan_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    data = await form(http, first_financial_year="2026", title="Plan", title_cy="Cynllun")
    return Write(partial(http.post, "/plans/new", data=data), "plan.created", actor.username)


async def _add_priority_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    plan = await _plan(actor)
    clusters = [str(c) for c in await factories.cluster_ids("Cardiff North")]
    data = await form(http, title="Frailty", need="Ageing population", cluster_ids=clusters)
    send = partial(http.post, f"/plans/{plan}/priorities/new", data=data)
    return Write(send, "plan_priority.added", actor.username)


# Specifications through the API


async def _create_spec(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    body = {
        "pcpg_id": await support.pcpg_id("Cardiff"),
        "menu_service_id": await on_the_menu(),
        "start_financial_year": 2027,
        "term_years": 1,
    }
    return Write(partial(http.post, "/api/v1/specifications", json=body), "specification.created", actor.username)


async def _change_spec(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec = await _draft(actor)
    send = partial(http.patch, f"/api/v1/specifications/{spec.id}", json={"title": "Changed"})
    return Write(send, "specification.changed", actor.username)


async def _publish(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec = await _draft(actor)
    send = partial(http.post, f"/api/v1/specifications/{spec.id}/publish")
    return Write(send, "specification.published", actor.username)


async def _cancel(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec = await _published(actor)
    send = partial(http.post, f"/api/v1/specifications/{spec.id}/cancel", json={"reason": "Not needed"})
    return Write(send, "specification.cancelled", actor.username)


async def _begin_evaluation(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec = await _closed(actor)
    send = partial(http.post, f"/api/v1/specifications/{spec.id}/begin-evaluation")
    return Write(send, "specification.evaluation_begun", actor.username)


async def _ask(users: Users) -> Write:
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await _published(commissioner)
    http, actor = await users.new("provider", delivery_vehicle_id=(await factories.create_vehicle()).id)
    send = partial(http.post, f"/api/v1/specifications/{spec.id}/clarifications", json={"question": "Venues?"})
    return Write(send, "clarification.asked", actor.username)


async def _answer(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    _, question = await _question(actor)
    send = partial(http.post, f"/api/v1/clarifications/{question}/answer", json={"answer": "Yes"})
    return Write(send, "clarification.answered", actor.username)


# Specification pages


async def _create_spec_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    data = await form(
        http,
        menu_service_id=str(await on_the_menu()),
        start_financial_year="2027",
        term_years="1",
        procurement_route="competitive",
    )
    return Write(partial(http.post, "/specifications/new", data=data), "specification.created", actor.username)


async def _edit_section_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec = await _draft(actor)
    send = partial(http.post, f"/specifications/{spec.id}/edit/particulars", data=await form(http, **PARTICULARS))
    return Write(send, "specification.changed", actor.username)


async def _descriptors_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec = await _draft(actor)
    send = partial(http.post, f"/specifications/{spec.id}/descriptors/0", data=await form(http, **DESCRIPTORS))
    return Write(send, "specification.changed", actor.username)


async def _publish_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec = await _draft(actor)
    send = partial(http.post, f"/specifications/{spec.id}/publish", data=await form(http))
    return Write(send, "specification.published", actor.username)


async def _cancel_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec = await _published(actor)
    data = await form(http, reason="Not needed", confirm="yes")  # confirmed on the check page
    send = partial(http.post, f"/specifications/{spec.id}/cancel", data=data)
    return Write(send, "specification.cancelled", actor.username)


async def _begin_evaluation_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec = await _closed(actor)
    send = partial(http.post, f"/specifications/{spec.id}/begin-evaluation", data=await form(http))
    return Write(send, "specification.evaluation_begun", actor.username)


async def _ask_page(users: Users) -> Write:
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await _published(commissioner)
    http, actor = await users.new("provider", delivery_vehicle_id=(await factories.create_vehicle()).id)
    send = partial(http.post, f"/specifications/{spec.id}/questions", data=await form(http, question="Venues?"))
    return Write(send, "clarification.asked", actor.username)


async def _answer_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    spec, question = await _question(actor)
    data = await form(http, answer="Yes", specification_id=str(spec.id))
    return Write(
        partial(http.post, f"/questions/{question}/answer", data=data), "clarification.answered", actor.username
    )


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", "/api/v1/plans"): _create_plan,
    ("POST", f"/api/v1/plans/{PLAN}/priorities"): _add_priority,
    ("POST", "/plans/new"): _create_plan_page,
    ("POST", f"/plans/{PLAN}/priorities/new"): _add_priority_page,
    ("POST", "/api/v1/specifications"): _create_spec,
    ("PATCH", API_SPEC): _change_spec,
    ("POST", f"{API_SPEC}/publish"): _publish,
    ("POST", f"{API_SPEC}/cancel"): _cancel,
    ("POST", f"{API_SPEC}/begin-evaluation"): _begin_evaluation,
    ("POST", f"{API_SPEC}/clarifications"): _ask,
    ("POST", "/api/v1/clarifications/{clarification_id:int}/answer"): _answer,
    ("POST", "/specifications/new"): _create_spec_page,
    ("POST", f"/specifications/{SPEC}/edit/{{section:str}}"): _edit_section_page,
    ("POST", f"/specifications/{SPEC}/descriptors/{{number:int}}"): _descriptors_page,
    ("POST", f"/specifications/{SPEC}/publish"): _publish_page,
    ("POST", f"/specifications/{SPEC}/cancel"): _cancel_page,
    ("POST", f"/specifications/{SPEC}/begin-evaluation"): _begin_evaluation_page,
    ("POST", f"/specifications/{SPEC}/questions"): _ask_page,
    ("POST", "/questions/{clarification_id:int}/answer"): _answer_page,
}
