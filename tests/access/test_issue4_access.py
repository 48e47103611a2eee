"""Every route of issue 4 (bids, the panel, scores, moderation, award, representations, notices) x every role,
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
import pytest

from accounts.actor import Actor, Role
from audit.tables import AuditEvent
from commissioning.schemas import DeclarationIn, ModerationIn
from commissioning.services import bids, evaluation, specifications
from commissioning.tables import Representation
from notifications.tables import Notification
from tests import bidding_support as b
from tests.api.conftest import sign_in_directly
from tests.conftest import csrf_from, make_actor

pytestmark = pytest.mark.usefixtures("menu")

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
    ids: dict[str, int] = field(default_factory=dict)
    spares: list[str] = field(default_factory=list)  # evaluators not yet on the panel, to name


async def _world(app: Any, deal: b.Tender, actors: dict[str, Actor], ids: dict[str, int]) -> World:
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
        return {"files": {"file" if page else "data": ("plan.pdf", PDF, "application/pdf")}, **extra}

    return build


BID_JSON = json(
    prices=[{"financial_year": 2027, "price_pence": 60_000_00}],
    answers=[{"criterion": n, "answer": "Our answer"} for n in range(b.CRITERIA)],
    staff="2 WTE",
    start_on="2027-04-01",
)
BID_FORM = form(
    **{"price-2027": "60000", "staff": "2 WTE", "day": "1", "month": "4", "year": "2027", "action": "submit"},
    **{f"answer-{n}": "Our answer" for n in range(b.CRITERIA)},
)
SCORES_JSON = json(scores=[{"criterion": n, "score": 3, "justification": "Evidence"} for n in range(b.CRITERIA)])
SCORES_FORM = form(**{f"score-{n}": "3" for n in range(b.CRITERIA)}, **{f"why-{n}": "Evidence" for n in range(3)})


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


async def _run(world: World, checks: list[Check]) -> dict[str, str]:
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


def test_every_check_names_every_role():
    for checks in (OPEN, EVALUATION, AWARD):
        for check in checks:
            assert set(check.expected) == set(ROLES), f"{check.method} {check.path}"


# Phase 1: bids open. The provider and another bidder have sealed bids; two evaluators are named.


async def _open_world(app: Any) -> World:
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
    world = await _world(
        app,
        deal,
        {PROVIDER: provider, OTHER: other, **panel},
        {"alpha": alpha_bid, "beta": beta_bid, "attachment": attachment, "notice": notice["id"]},
    )
    world.spares = [(await make_actor(Role.EVALUATOR)).username for _ in range(2)]
    await b.move_clock(b.BEFORE)
    return world


SEALED = answers(PROVIDER, others=NOT_FOUND)  # the bidder's own bid; nobody else knows it exists
OWN_BID_PAGE = answers(PROVIDER, other=NOT_FOUND)
CARDIFF = answers(COMMISSIONER, elsewhere=NOT_FOUND)

OPEN = [
    Check("GET", "/api/v1/specifications/{spec}/bids", answers(*SIGNED_IN)),
    Check("GET", "/api/v1/bids/{alpha}", SEALED),
    Check("GET", "/api/v1/bids/mine", answers(*PROVIDERS)),
    Check("GET", "/bids/{alpha}/attachments/{attachment}", SEALED),
    Check("GET", "/bids", answers(*PROVIDERS)),
    Check("GET", "/specifications/{spec}/bid", answers(*PROVIDERS)),
    Check("GET", "/bids/{alpha}/withdraw", OWN_BID_PAGE),
    Check("GET", "/specifications/{spec}/evaluation", CARDIFF),
    Check(
        "GET",
        "/api/v1/specifications/{spec}/evaluation",
        # Sealed: even the PCPG's commissioner and the admin are refused until the deadline; the panel has not
        # declared yet, so to them there is no evaluation.
        answers(commissioner=FORBIDDEN, admin=FORBIDDEN, elsewhere=NOT_FOUND, evaluator=NOT_FOUND, recused=NOT_FOUND),
    ),
    Check("GET", "/evaluations", answers(*PANEL)),
    Check("GET", "/evaluations/{spec}", answers(*PANEL)),
    Check("GET", "/inbox", answers(*SIGNED_IN)),
    Check("GET", "/api/v1/notifications", answers(*SIGNED_IN)),
    Check("POST", "/api/v1/bids/{alpha}/attachments", OWN_BID_PAGE, upload(page=False)),
    Check("POST", "/bids/{alpha}/attachments", OWN_BID_PAGE, upload(page=True)),
    Check("PUT", "/api/v1/bids/{alpha}", OWN_BID_PAGE, BID_JSON),
    Check("POST", "/api/v1/specifications/{spec}/bids", answers(*PROVIDERS), BID_JSON),
    Check("POST", "/specifications/{spec}/bid", answers(*PROVIDERS), BID_FORM),
    Check("POST", "/api/v1/specifications/{spec}/panel", CARDIFF, json(username=lambda w: w.spares[0])),
    Check("POST", "/specifications/{spec}/panel", CARDIFF, form(username=lambda w: w.spares[1])),
    Check("POST", "/api/v1/bids/{alpha}/withdraw", OWN_BID_PAGE),
    Check("POST", "/bids/{beta}/withdraw", answers(OTHER, provider=NOT_FOUND), form()),
    Check("POST", "/api/v1/notifications/{notice}/read", answers(PROVIDER, others=NOT_FOUND), json()),
    Check("POST", "/inbox/read", answers(*SIGNED_IN), form()),
]


async def test_each_role_gets_the_answer_it_should_while_bids_are_open_and_sealed(app, monkeypatch, tmp_path):
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", tmp_path / "attachments")
    assert await _run(await _open_world(app), OPEN) == {}


# Phase 2: the deadline has passed and evaluation has begun. One evaluator has yet to declare; one declared a conflict.


async def _evaluation_world(app: Any) -> World:
    deal = await b.tender()
    provider = await b.provider("Alpha Care CIC")
    other = await b.provider("Beta Wellbeing CIC", "Cardiff West")
    alpha_bid, beta_bid = await b.bid(provider, deal, 70_000_00), await b.bid(other, deal, 56_000_00)
    await specifications.begin_evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    panel = {EVALUATOR: await make_actor(Role.EVALUATOR), RECUSED: await make_actor(Role.EVALUATOR)}
    for member in panel.values():
        await evaluation.name_evaluator(
            actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.AFTER
        )
    await evaluation.declare_interests(
        actor=panel[RECUSED],
        specification_id=deal.id,
        data=DeclarationIn(known_vehicle_ids=[provider.delivery_vehicle_id], conflict=True, statement="A director"),
        now=b.AFTER,
    )
    world = await _world(app, deal, {PROVIDER: provider, OTHER: other, **panel}, {"alpha": alpha_bid, "beta": beta_bid})
    await b.move_clock(b.AFTER)
    return world


async def _moderate_the_rest(world: World) -> None:
    deal_commissioner = world.actors[COMMISSIONER]
    for bid_id, scores in ((world.ids["alpha"], (3, 3, 3)), (world.ids["beta"], (3, 3, 3))):
        for criterion, value in enumerate(scores):
            await evaluation.moderate(
                actor=deal_commissioner,
                bid_id=bid_id,
                data=ModerationIn(criterion=criterion, score=value, reason="Consensus"),
                now=b.AFTER,
            )


OPENED = answers(PROVIDER, COMMISSIONER, ADMIN, others=NOT_FOUND)  # the undeclared and the recused see nothing
EVALUATION = [
    Check("GET", "/api/v1/bids/{alpha}", OPENED),
    Check("GET", "/api/v1/specifications/{spec}/bids", answers(*SIGNED_IN)),
    Check(
        "GET",
        "/api/v1/specifications/{spec}/evaluation",
        answers(COMMISSIONER, ADMIN, elsewhere=NOT_FOUND, evaluator=NOT_FOUND, recused=NOT_FOUND),
    ),
    Check("GET", "/specifications/{spec}/evaluation", CARDIFF),
    Check("GET", "/specifications/{spec}/evaluation-report.pdf", CARDIFF),
    Check("GET", "/evaluations/{spec}", answers(*PANEL)),
    Check("GET", "/evaluations/{spec}/bids/{alpha}", answers(others=FORBIDDEN, evaluator=NOT_FOUND, recused=NOT_FOUND)),
    Check("POST", "/evaluations/{spec}/declaration", answers(EVALUATOR, recused=STATE), form(conflict="no")),
    Check("POST", "/api/v1/specifications/{spec}/declarations", answers(evaluator=STATE, recused=STATE), json()),
    Check("GET", "/api/v1/bids/{alpha}", answers(PROVIDER, COMMISSIONER, ADMIN, EVALUATOR, others=NOT_FOUND)),
    Check("GET", "/evaluations/{spec}/bids/{alpha}", answers(EVALUATOR, recused=NOT_FOUND)),
    Check("PUT", "/api/v1/bids/{alpha}/scores", answers(EVALUATOR), SCORES_JSON),
    Check("POST", "/evaluations/{spec}/bids/{beta}", answers(EVALUATOR, recused=NOT_FOUND), SCORES_FORM),
    Check(
        "POST",
        "/api/v1/bids/{alpha}/moderation",
        CARDIFF,
        json(criterion=0, score=3, reason="Consensus"),
    ),
    Check(
        "POST",
        "/specifications/{spec}/moderation/{alpha}/1",
        CARDIFF,
        form(score="3", reason="Consensus"),
        then=_moderate_the_rest,
    ),
    Check(
        "POST", "/specifications/{spec}/award", CARDIFF, form(bid_id=lambda w: str(w.ids["alpha"]), rationale="Best")
    ),
    Check(
        "POST",
        "/api/v1/specifications/{spec}/award",
        answers(commissioner=STATE, elsewhere=NOT_FOUND),  # awarded through the page just before
        json(bid_id=lambda w: w.ids["alpha"], rationale="Best"),
    ),
]


async def test_each_role_gets_the_answer_it_should_during_the_evaluation(app):
    assert await _run(await _evaluation_world(app), EVALUATION) == {}


# Phase 3: the notice of intention is issued and standstill runs.


async def _award_world(app: Any) -> World:
    done = await b.evaluated()
    intention = await b.intend(done)
    world = await _world(
        app,
        done.deal,
        {PROVIDER: done.alpha, OTHER: done.beta, EVALUATOR: done.panel[0], RECUSED: done.panel[1]},
        {"award": intention.id},
    )
    await b.move_clock(b.LAST_DAY_OF_STANDSTILL)
    return world


async def _representations_made(world: World) -> None:
    rows = await Representation.select(Representation.id).order_by(Representation.id)
    world.ids["first"], world.ids["second"] = rows[0]["id"], rows[1]["id"]


async def _standstill_over(world: World) -> None:
    await b.move_clock(b.CONFIRMABLE)


AWARD = [
    Check("GET", "/api/v1/awards/{award}", answers(*ROLES, anonymous=OK)),
    Check("GET", "/awards/{award}", answers(*ROLES, anonymous=OK)),
    # Only an unsuccessful bidder may make a representation: the winner is refused (403, or a message on the page).
    Check("POST", "/api/v1/awards/{award}/representations", answers(OTHER), json(text="Our price was lower")),
    Check(
        "POST",
        "/awards/{award}/representations",
        answers(OTHER, provider=STATE),
        form(text="Our quality was better"),
        then=_representations_made,
    ),
    Check("POST", "/api/v1/representations/{first}/answer", CARDIFF, json(text="Quality carried 60%")),
    Check("POST", "/awards/{award}/representations/{second}/answer", CARDIFF, form(answer="Scored as published")),
    Check(
        "POST",
        "/api/v1/awards/{award}/confirm",
        answers(commissioner=STATE, elsewhere=NOT_FOUND),  # standstill has not ended
        json(),
        then=_standstill_over,
    ),
    Check("POST", "/awards/{award}/confirm", CARDIFF, form()),
]


async def test_each_role_gets_the_answer_it_should_during_standstill_and_confirmation(app):
    assert await _run(await _award_world(app), AWARD) == {}
