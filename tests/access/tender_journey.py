"""A tender's journey for the access tests of bids, evaluation, award and notifications: each route x every role,
against real data: allowed, asked to sign in (401 problem or a redirect to /sign-in), refused (403), not found (404,
also what a sealed bid or another's bid is), or refused for the state of the data with a message (400, 409 or 422).

Besides the five roles, four kinds that scope decides: a commissioner of Swansea Bay PCPG (to whom Cardiff's
evaluation does not exist), a second bidder (who sees nothing of the first's bid), and two panel evaluators, one who
declared a conflict (recused). Each phase is a journey: each route is asked by every role, refusals first (a refused
write writes nothing), then by the roles allowed, whose writes move the journey on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from accounts.actor import Actor, Role
from audit.tables import AuditEvent
from commissioning.services import bids, evaluation
from notifications.tables import Notification
from tests import bidding_support as b
from tests.api.conftest import sign_in_directly
from tests.conftest import csrf_from, make_actor

ANONYMOUS, ADMIN, COMMISSIONER, ELSEWHERE = "anonymous", "national_admin", "commissioner", "commissioner elsewhere"
EVALUATOR, RECUSED, PROVIDER, OTHER, FINANCE = (
    "evaluator",
    "recused evaluator",
    "provider (the bidder)",
    "another bidder",
    "finance_director",
)
ROLES = (ANONYMOUS, ADMIN, COMMISSIONER, ELSEWHERE, EVALUATOR, RECUSED, PROVIDER, OTHER, FINANCE)
OK, SIGN_IN, FORBIDDEN, NOT_FOUND, STATE = "allowed", "asked to sign in", "403", "404", "refused for the state (4xx)"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    clients: dict[str, httpx.AsyncClient]
    csrf: dict[str, str]
    actors: dict[str, Actor]
    ids: dict[str, Any] = field(default_factory=dict)  # a bid's is its public id, as the routes take it
    spares: list[str] = field(default_factory=list)  # evaluators not yet on the panel, to name


async def world_of(app: Any, deal: b.Tender, actors: dict[str, Actor], ids: dict[str, Any]) -> World:
    actors = {
        **actors,
        ADMIN: await make_actor(Role.NATIONAL_ADMIN),
        COMMISSIONER: deal.commissioner,
        ELSEWHERE: await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",)),
        FINANCE: await make_actor(Role.FINANCE_DIRECTOR),
    }
    clients, csrf = {}, {}
    for role in ROLES:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        if role != ANONYMOUS:
            await sign_in_directly(http, actors[role])
        csrf[role] = csrf_from((await http.get("/sign-in")).text)
        clients[role] = http
    return World(clients=clients, csrf=csrf, actors=actors, ids={"spec": deal.id, **ids})


# Bodies

Body = Callable[[World, str], dict[str, Any]]


def no_body(world: World, role: str) -> dict[str, Any]:
    return {}


def json(**values: Any) -> Body:
    def build(world: World, role: str) -> dict[str, Any]:
        return {"json": {key: value(world) if callable(value) else value for key, value in values.items()}}

    return build


def form(**values: Any) -> Body:
    def build(world: World, role: str) -> dict[str, Any]:
        filled = {key: value(world) if callable(value) else value for key, value in values.items()}
        return {"data": {**filled, "_csrf_token": world.csrf[role]}}

    return build


def upload(*, page: bool) -> Body:
    def build(world: World, role: str) -> dict[str, Any]:
        extra = {"data": {"_csrf_token": world.csrf[role]}} if page else {}
        return {"files": {"file": ("plan.pdf", PDF, "application/pdf")}, **extra}

    return build


def answers(*allowed: str, anonymous: str = SIGN_IN, others: str = FORBIDDEN, **exceptions: str) -> dict[str, str]:
    """The roles named are allowed; anonymous callers are asked to sign in; every other role gets `others`;
    keyword exceptions by role key (see KEYS)."""
    base = {role: OK if role in allowed else others for role in ROLES}
    return {**base, ANONYMOUS: anonymous, **{KEYS[key]: value for key, value in exceptions.items()}}


KEYS = {
    "admin": ADMIN,
    "commissioner": COMMISSIONER,
    "elsewhere": ELSEWHERE,
    "evaluator": EVALUATOR,
    "recused": RECUSED,
    "provider": PROVIDER,
    "other": OTHER,
    "finance": FINANCE,
}
SIGNED_IN = tuple(role for role in ROLES if role != ANONYMOUS)
PROVIDERS = (PROVIDER, OTHER)
PANEL = (EVALUATOR, RECUSED)


@dataclass(frozen=True)
class Check:
    method: str
    path: str
    expected: dict[str, str]
    body: Body = no_body
    then: Callable[[World], Awaitable[None]] | None = None  # the next step of the journey, after the check


def fits(expected: str, response: httpx.Response, path: str) -> bool:
    status, location = response.status_code, response.headers.get("location", "")
    api = path.startswith("/api/")
    problem = response.headers.get("content-type") == "application/problem+json"
    if expected == OK:
        return 200 <= status < 400 and not location.startswith("/sign-in")
    if expected == SIGN_IN:
        return (status == 401 and problem) if api else (status in (302, 303) and location.startswith("/sign-in?next="))
    if expected == FORBIDDEN:
        return status == 403 and (problem or not api)
    if expected == NOT_FOUND:
        return status == 404 and (problem or not api)
    return status in (400, 409, 422) and (problem or not api)


async def run(world: World, checks: list[Check]) -> dict[str, str]:
    wrong: dict[str, str] = {}
    for check in checks:
        path = check.path.format(**world.ids)
        for role in sorted(ROLES, key=lambda r: check.expected[r] == OK):  # refusals first
            expected = check.expected[role]
            events = await AuditEvent.count()
            response = await world.clients[role].request(check.method, path, **check.body(world, role))
            label = f"{check.method} {check.path} as {role}"
            if not fits(expected, response, path):
                wrong[label] = f"expected {expected}, got {response.status_code} {response.text[:300]}"
            elif check.method != "GET" and expected != OK and await AuditEvent.count() != events:
                wrong[label] = "refused, but something was written"
        if check.then is not None:
            await check.then(world)
    for http in world.clients.values():
        await http.aclose()
    return wrong


# The first phase, shared by the bids and the notifications: bids open, and sealed. The provider and another bidder
# have sealed bids; two evaluators are named.


async def open_world(app: Any) -> World:
    deal = await b.tender()
    provider = await b.provider("Alpha Care CIC")
    other = await b.provider("Beta Wellbeing CIC", "Cardiff West")
    alpha_bid, beta_bid = await b.bid(provider, deal, 70_000_00), await b.bid(other, deal, 56_000_00)
    attachment = await bids.add_attachment(
        actor=provider, bid_id=alpha_bid, filename="plan.pdf", content=PDF, now=b.BEFORE
    )
    panel = {EVALUATOR: await make_actor(Role.EVALUATOR), RECUSED: await make_actor(Role.EVALUATOR)}
    for member in panel.values():
        await evaluation.name_evaluator(
            actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.BEFORE
        )
    notice = await Notification.select(Notification.id).where(Notification.user == provider.user_id).first()
    world = await world_of(
        app,
        deal,
        {PROVIDER: provider, OTHER: other, **panel},
        {"alpha": alpha_bid, "beta": beta_bid, "attachment": attachment, "notice": notice["id"]},
    )
    world.spares = [(await make_actor(Role.EVALUATOR)).username for _ in range(2)]
    await b.move_clock(b.BEFORE)
    return world


CARDIFF = answers(COMMISSIONER, elsewhere=NOT_FOUND)
