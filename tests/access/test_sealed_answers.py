"""The attacker's view of sealed bids: every route that takes a bid (in its address, or as the award's `bid_id`),
asked by every role but the bidder's, answers a sealed bid exactly as it answers an id that names nothing: the same
status, content type, redirect and body (the id put aside), after the same number of SQL statements (so no timing
tells them apart). A draft answers as absent too, before the deadline and after it (issue 11, items 1 and 3).

The routes come from the app's own route map, so a new route that takes a bid is covered the day it is added.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from commissioning.services import bids
from commissioning.tables import Bid
from core.public_ids import is_public_id, new_public_id
from tests import bidding_support as b
from tests.access.routes import APP_ROUTES
from tests.access.tender_journey import PDF, PROVIDER, ROLES, World, open_world
from tests.query_count import count_queries

pytestmark = pytest.mark.usefixtures("menu")

AWARD = re.compile(r"/specifications/\{specification_id:int\}/award$")


def _takes_a_bid(method: str, path: str) -> bool:
    return "{bid_id" in path or (method == "POST" and bool(AWARD.search(path)))


BID_ROUTES = [(method, path) for method, path in APP_ROUTES if _takes_a_bid(method, path)]

SCORES = {"scores": [{"criterion": 0, "score": 3, "justification": "Clear plan"}]}
BID_JSON = {
    "prices": [{"financial_year": 2027, "price_pence": 60_000_00}],
    "answers": [{"criterion": n, "answer": "Our answer"} for n in range(b.CRITERIA)],
    "staff": "2 WTE",
    "start_on": "2027-04-01",
}
# Bodies a service would accept, so that each request reaches the lookup of the bid (an empty body would be refused
# before it, for a sealed and an absent bid alike, and prove nothing). A route not named here gets an empty one.
API_BODIES: dict[str, dict[str, Any]] = {
    "PUT /api/v1/bids/{bid_id}": {"json": BID_JSON},
    "PUT /api/v1/bids/{bid_id}/scores": {"json": SCORES},
    "POST /api/v1/bids/{bid_id}/moderation": {"json": {"criterion": 0, "score": 3, "reason": "Agreed"}},
    "POST /api/v1/bids/{bid_id}/attachments": {"files": {"file": ("plan.pdf", PDF, "application/pdf")}},
}
PAGE_FORMS: dict[str, dict[str, str]] = {
    "POST /evaluations/{specification_id}/bids/{bid_id}": {"score-0": "3", "why-0": "Clear plan"},
    "POST /specifications/{specification_id}/moderation/{bid_id}": {"scores-0-score": "3", "scores-0-reason": "Agreed"},
}


def _key(method: str, path: str) -> str:
    return f"{method} " + re.sub(r":[a-z]+\}", "}", path)


def _request(world: World, role: str, method: str, path: str, bid: str) -> tuple[str, dict[str, Any]]:
    key = _key(method, path)
    address = re.sub(r":[a-z]+\}", "}", path).format(
        bid_id=bid, specification_id=world.ids["spec"], attachment_id=world.ids["attachment"]
    )
    if method == "GET":
        return address, {}
    if AWARD.search(path):
        chosen = {"bid_id": bid, "rationale": "Highest score"}
        if address.startswith("/api/"):
            return address, {"json": chosen}
        return address, {"data": {**chosen, "_csrf_token": world.csrf[role]}}
    if address.startswith("/api/"):
        return address, API_BODIES.get(key, {"json": {}})
    body: dict[str, Any] = {"data": {**PAGE_FORMS.get(key, {}), "_csrf_token": world.csrf[role]}}
    if key.endswith("/attachments"):
        body["files"] = {"file": ("plan.pdf", PDF, "application/pdf")}
    return address, body


def _without(text: str, address: str) -> str:
    """The answer with the address asked put aside (a page links to itself, in Welsh, and back after sign-in), and the
    nonce and request id every answer gets afresh."""
    for form in (address, quote(address, safe=""), quote(address, safe="/")):
        text = text.replace(form, "{address}")
    text = re.sub(r'"request_id":"[^"]*"', '"request_id":""', text)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', text)


CACHED_READS = (
    "SELECT u.id, u.username",  # who a session or token belongs to (accounts/queries.py)
    'SELECT ALL "clock_setting"',  # the training clock's offset (core/clock.py)
)


def _statements_about_the_request(statements: list[str]) -> int:
    """Those the route sends: the reads every request makes, whichever bid it asks for, are cached for a while, so
    they come and go between two requests; they are left out."""
    return sum(1 for sql in statements if not sql.lstrip().startswith(CACHED_READS))


async def _answer(http: httpx.AsyncClient, method: str, address: str, body: dict[str, Any]) -> Any:
    with count_queries() as counted:
        response = await http.request(method, address, **body)
    return (
        response.status_code,
        response.headers.get("content-type"),
        _without(response.headers.get("location", ""), address),
        _without(response.text, address),
        _statements_about_the_request(counted.statements),
    )


async def _differences(world: World, hidden: dict[str, str], absent: str, roles: tuple[str, ...]) -> str:
    """Each route and role whose answer to a hidden bid is not its answer to an absent id, one a line."""
    wrong: dict[str, Any] = {}
    for method, path in BID_ROUTES:
        for role in roles:
            http = world.clients[role]
            for name, bid in hidden.items():
                address, body = _request(world, role, method, path, absent)
                await _answer(http, method, address, body)  # warm the caches, so both are counted alike
                nothing = await _answer(http, method, address, body)
                address, body = _request(world, role, method, path, bid)
                sealed = await _answer(http, method, address, body)
                if sealed != nothing:
                    wrong[f"{method} {path} as {role}, {name}"] = (
                        f"absent: {nothing[:3]}, {nothing[4]} statements; hidden: {sealed[:3]}, {sealed[4]} statements"
                        + ("; the bodies differ" if nothing[3] != sealed[3] else "")
                    )
    return "\n".join(f"{where}: {what}" for where, what in wrong.items())


async def _public(bid_id: str) -> str:
    """The id the routes take: the bid's public id (core.public_ids), as the services answer it."""
    assert is_public_id(bid_id)
    return bid_id


async def _absent_id() -> str:
    """A well-formed public id that names no bid."""
    return new_public_id()


async def _number(public_id: str) -> str:
    """The bid's row number, which no route takes: asked for, it names nothing."""
    row = await Bid.select(Bid.id).where(Bid.public_id == public_id).first()
    return str(row["id"])


async def _world_with_a_draft(app: Any) -> World:
    world = await open_world(app)
    gamma = await b.provider("Gamma Health CIC")
    world.ids["draft"] = await bids.save_bid(
        actor=gamma, specification_id=world.ids["spec"], data=b.bid_in(60_000_00, submit=False), now=b.BEFORE
    )
    return world


async def _close(world: World) -> None:
    for http in world.clients.values():
        await http.aclose()


def test_the_routes_that_take_a_bid_are_found_in_the_app():
    shapes = {_key(method, path) for method, path in BID_ROUTES}
    assert {
        "POST /api/v1/bids/{bid_id}/moderation",
        "PUT /api/v1/bids/{bid_id}/scores",
        "POST /api/v1/bids/{bid_id}/withdraw",
        "PUT /api/v1/bids/{bid_id}",
        "POST /api/v1/bids/{bid_id}/attachments",
        "POST /api/v1/specifications/{specification_id}/award",
        "POST /bids/{bid_id}/submit",
        "GET /bids/{bid_id}/attachments/{attachment_id}",
        "POST /specifications/{specification_id}/moderation/{bid_id}",
        "POST /specifications/{specification_id}/award",
    } <= shapes


async def test_before_the_deadline_a_sealed_bid_or_a_draft_answers_every_other_role_as_an_absent_one(
    app, monkeypatch, tmp_path
):
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", tmp_path / "attachments")
    world = await _world_with_a_draft(app)
    hidden = {"the sealed bid": await _public(world.ids["alpha"]), "a draft": await _public(world.ids["draft"])}
    others = tuple(role for role in ROLES if role != PROVIDER)
    try:
        assert await _differences(world, hidden, await _absent_id(), others) == ""
        # Nor does a draft show itself to the bidder of another bid.
        assert await _differences(world, {"a draft": hidden["a draft"]}, await _absent_id(), (PROVIDER,)) == ""
    finally:
        await _close(world)


async def test_after_the_deadline_a_draft_still_answers_everyone_as_an_absent_one(app, monkeypatch, tmp_path):
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", tmp_path / "attachments")
    world = await _world_with_a_draft(app)
    await b.move_clock(b.AFTER)
    # The opened bid's number and a malformed id name nothing either (issue 11, item 3): no route takes a number.
    hidden = {
        "a draft": await _public(world.ids["draft"]),
        "an opened bid's number": await _number(world.ids["alpha"]),
        "a malformed id": "not-a-bid",
    }
    try:
        assert await _differences(world, hidden, await _absent_id(), ROLES) == ""
    finally:
        await _close(world)


async def test_the_bidders_own_users_do_see_their_sealed_bid(app, monkeypatch, tmp_path):
    """The control: the comparison above would pass if every bid were hidden from everyone."""
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", tmp_path / "attachments")
    world = await _world_with_a_draft(app)
    http = world.clients[PROVIDER]
    mine, absent = await _public(world.ids["alpha"]), await _absent_id()
    assert (await http.get(f"/api/v1/bids/{mine}")).status_code == 200
    assert (await http.get(f"/api/v1/bids/{absent}")).status_code == 404
    assert (await http.get(f"/bids/{mine}/withdraw")).status_code == 200
    assert (await http.get(f"/bids/{mine}/attachments/{world.ids['attachment']}")).status_code == 200
    assert (await http.get(f"/bids/{absent}/attachments/{world.ids['attachment']}")).status_code == 404
    await _close(world)
