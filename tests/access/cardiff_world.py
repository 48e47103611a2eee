"""Cardiff's data and a client per role, for the access tests of the menu, finance, plans and specifications:
each route x every role, against real data: allowed, asked to sign in (401 problem or a redirect to /sign-in),
refused (403), or not found by scope (404).

Besides the six roles, two scoped ones: a commissioner of Swansea Bay PCPG and the finance director of Swansea Bay
University Health Board, to whom Cardiff's drafts, lines and questions do not exist. A refused write changes nothing
(no audit event); an allowed write is made against a fresh copy of the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from accounts.actor import SYSTEM, Role
from audit.tables import AuditEvent
from commissioning.schemas import PlanIn, PlanPriorityIn
from commissioning.services.clarifications import ask_clarification
from commissioning.services.plans import add_priority, create_plan
from menu.services import load_menu
from tests import commissioning_support as support
from tests import factories
from tests.api.conftest import sign_in_directly
from tests.conftest import csrf_from, empty_tables, make_actor

ANONYMOUS, ADMIN, COMMISSIONER, EVALUATOR, PROVIDER, FINANCE = (
    "anonymous",
    "national_admin",
    "commissioner",
    "evaluator",
    "provider",
    "finance_director",
)
COMMISSIONER_ELSEWHERE, FINANCE_ELSEWHERE = "commissioner of Swansea Bay", "finance director of Swansea Bay"
ROLES = (ANONYMOUS, ADMIN, COMMISSIONER, EVALUATOR, PROVIDER, FINANCE, COMMISSIONER_ELSEWHERE, FINANCE_ELSEWHERE)

OK, SIGN_IN, FORBIDDEN, NOT_FOUND = "allowed", "asked to sign in", "403", "404"


@dataclass
class World:
    """Cardiff's data, and a signed-in client per role (the anonymous one is not signed in)."""

    clients: dict[str, httpx.AsyncClient]
    csrf: dict[str, str]
    ids: dict[str, int]
    cluster_ids: list[int] = field(default_factory=list)


async def build_world(app: Any) -> World:
    await load_menu(actor=SYSTEM, now=support.now())
    commissioner = await make_actor(Role.COMMISSIONER)
    vehicle = await factories.create_vehicle()
    actors = {
        ADMIN: await make_actor(Role.NATIONAL_ADMIN),
        COMMISSIONER: commissioner,
        EVALUATOR: await make_actor(Role.EVALUATOR),
        PROVIDER: await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle.id),
        FINANCE: await make_actor(Role.FINANCE_DIRECTOR),
        COMMISSIONER_ELSEWHERE: await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",)),
        FINANCE_ELSEWHERE: await make_actor(
            Role.FINANCE_DIRECTOR, health_board_name="Swansea Bay University Health Board"
        ),
    }
    lines = await support.lines_for_term(amount_pence=100_000_000)
    past = support.now() - timedelta(days=10)
    draft = await support.draft(commissioner, lines)
    published = await support.published(commissioner, lines)
    closed = await support.published(commissioner, lines, at=past, deadline=past + timedelta(days=1))
    plan_id = await create_plan(
        actor=commissioner,
        data=PlanIn(pcpg_id=await support.pcpg_id("Cardiff"), first_financial_year=2026, title="Cardiff plan"),
        now=support.now(),
    )
    cluster_ids = await factories.cluster_ids("Cardiff North")
    await add_priority(
        actor=commissioner,
        plan_id=plan_id,
        data=PlanPriorityIn(title="Healthy weight", need="Obesity", cluster_ids=cluster_ids),
        now=support.now(),
    )
    question_id = await ask_clarification(
        actor=actors[PROVIDER], specification_id=published.id, question="Evening sessions?", now=support.now()
    )
    clients, csrf = {}, {}
    for role in ROLES:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        if role != ANONYMOUS:
            await sign_in_directly(http, actors[role])
        csrf[role] = csrf_from((await http.get("/sign-in")).text)
        clients[role] = http
    ids = {
        "draft": draft.id,
        "published": published.id,
        "closed": closed.id,
        "line": lines[0].id,
        "service": await support.service_id("obesity"),
        "plan": plan_id,
        "question": question_id,
        "cardiff": await support.pcpg_id("Cardiff"),
        "cardiff_north": cluster_ids[0],
    }
    return World(clients=clients, csrf=csrf, ids=ids, cluster_ids=cluster_ids)


# Bodies: JSON for the API, forms (with the CSRF token) for the pages. Each is valid, so an allowed role succeeds.

Body = Callable[[World, str], dict[str, Any]]


def no_body(world: World, role: str) -> dict[str, Any]:
    return {}


def form(**values: Any) -> Body:
    def build(world: World, role: str) -> dict[str, Any]:
        filled = {key: value(world) if callable(value) else value for key, value in values.items()}
        return {"data": {**filled, "_csrf_token": world.csrf[role]}}

    return build


def json(**values: Any) -> Body:
    def build(world: World, role: str) -> dict[str, Any]:
        return {"json": {key: value(world) if callable(value) else value for key, value in values.items()}}

    return build


def cardiff(world: World) -> int:
    return world.ids["cardiff"]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    expected: dict[str, str]
    body: Body = no_body


def everyone(**exceptions: str) -> dict[str, str]:
    return {role: exceptions.get(role, OK) for role in ROLES}


def only(*allowed: str, **exceptions: str) -> dict[str, str]:
    """Anonymous callers are asked to sign in; the roles named are allowed (unless scoped out); others get 403."""
    base = {role: OK if role in allowed else FORBIDDEN for role in ROLES}
    return {**base, ANONYMOUS: SIGN_IN, **exceptions}


def scoped(**outcomes: str) -> dict[str, str]:
    """Keyword names for the two scoped roles."""
    names = {"commissioner_elsewhere": COMMISSIONER_ELSEWHERE, "finance_elsewhere": FINANCE_ELSEWHERE}
    return {names.get(key, key): value for key, value in outcomes.items()}


COMMISSIONERS = (COMMISSIONER, COMMISSIONER_ELSEWHERE)
READERS = (ADMIN, FINANCE, COMMISSIONER, COMMISSIONER_ELSEWHERE, FINANCE_ELSEWHERE)
SETTERS = (ADMIN, FINANCE, FINANCE_ELSEWHERE)
NOT_THEIRS = scoped(commissioner_elsewhere=NOT_FOUND, finance_elsewhere=NOT_FOUND)
OTHER_BOARD = scoped(finance_elsewhere=NOT_FOUND)
DRAFT_READERS = everyone(
    **{ANONYMOUS: NOT_FOUND, EVALUATOR: NOT_FOUND, PROVIDER: NOT_FOUND, FINANCE: NOT_FOUND},
    **scoped(commissioner_elsewhere=NOT_FOUND, finance_elsewhere=NOT_FOUND),
)
CARDIFF_COMMISSIONER = only(COMMISSIONER, **scoped(commissioner_elsewhere=NOT_FOUND))


def mismatch(expected: str, response: httpx.Response, path: str) -> str | None:
    status, location = response.status_code, response.headers.get("location", "")
    api = path.startswith("/api/")
    problem = response.headers.get("content-type") == "application/problem+json"
    if expected == OK:
        fits = 200 <= status < 400 and not location.startswith("/sign-in")
    elif expected == SIGN_IN:
        fits = (status == 401 and problem) if api else (status in (302, 303) and location.startswith("/sign-in?next="))
    elif expected == FORBIDDEN:
        fits = status == 403 and (problem or not api)
    else:
        fits = status == 404 and (problem or not api)
    return None if fits else f"expected {expected}, got {status} {location} {response.text[:300]}"


async def check(app: Any, world: World, route: Route, wrong: dict[str, str]) -> World:
    """Ask the route as each role; refusals first, so each allowed write meets the data as built."""
    writes = route.method != "GET"
    allowed_before = False
    for role in sorted(ROLES, key=lambda r: route.expected[r] == OK):
        expected = route.expected[role]
        if writes and expected == OK and allowed_before:  # start again from the same data
            await close(world)
            await empty_tables()
            world = await build_world(app)
        events_before = await AuditEvent.count()
        path = route.path.format(**world.ids)
        response = await world.clients[role].request(route.method, path, **route.body(world, role))
        label = f"{route.method} {route.path} as {role}"
        problem = mismatch(expected, response, route.path)
        if problem:
            wrong[label] = problem
        elif writes and expected != OK and await AuditEvent.count() != events_before:
            wrong[label] = "refused, but something was written"
        allowed_before = allowed_before or expected == OK
    return world


async def close(world: World) -> None:
    for http in world.clients.values():
        await http.aclose()


def area(route: Route) -> str:
    """The first part of the path after /api/v1 (menu, budget-lines, plans...), or of a page's (budgets...)."""
    return route.path.split("/")[3 if route.path.startswith("/api/") else 1]


async def wrong_answers_to_reads(app: Any, reads: list[Route], area_name: str) -> dict[str, str]:
    """Reads change nothing, so one copy of the data serves every read of an area."""
    world = await build_world(app)
    wrong: dict[str, str] = {}
    try:
        for route in reads:
            if area(route) == area_name:
                world = await check(app, world, route, wrong)
    finally:
        await close(world)
    return wrong


async def wrong_answers_to_write(app: Any, route: Route) -> dict[str, str]:
    world = await build_world(app)
    wrong: dict[str, str] = {}
    try:
        world = await check(app, world, route, wrong)
    finally:
        await close(world)
    return wrong
