"""The audit trail keeps bids sealed: before the deadline its page and API show no bid event and no count that
includes one, for a national admin or the PCPG's commissioner; from the deadline they show every step."""

from __future__ import annotations

import difflib
import json
import re
from datetime import timedelta
from typing import Any

import factory
import pytest

from accounts.actor import SYSTEM, Actor, Role
from accounts.tables import User
from audit.tables import AuditEvent
from commissioning.services import bids, evaluation
from commissioning.tables import Specification
from finance.schemas import BudgetLineIn
from finance.services import create_budget_line
from menu.services import load_menu
from tests import bidding_support as b
from tests import commissioning_support as support
from tests import factories
from tests.answers import without_request_id_text
from tests.conftest import empty_tables, make_actor
from tests.pages.markup import table_rows, text_of

pytestmark = pytest.mark.usefixtures("menu")

BID_ACTIONS = {"bid.saved", "bid.submitted", "bid.withdrawn", "bid.attachment_added"}


async def _sealed_bids() -> tuple[b.Tender, int]:
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    beta = await b.provider("Beta Wellbeing CIC", "Cardiff West")
    await b.bid(alpha, deal, 70_000_00, submit=False)
    await b.bid(alpha, deal, 70_000_00)
    withdrawn = await b.bid(beta, deal, 56_000_00)
    await bids.withdraw_bid(actor=beta, bid_id=withdrawn, now=b.BEFORE)
    sealed = await AuditEvent.count().where(AuditEvent.visible_from_at.is_not_null())
    assert sealed == 4
    return deal, sealed


def _chain_count(page: str) -> int | None:
    found = re.search(r"The chain of (\d+) events? is intact", text_of(page))
    return int(found.group(1)) if found else None


async def test_before_the_deadline_the_audit_trail_shows_no_bid_event_and_counts_none(as_user):
    deal, sealed = await _sealed_bids()
    everything = await AuditEvent.count()
    admin = await as_user(await make_actor(Role.NATIONAL_ADMIN))
    commissioner = await as_user(deal.commissioner)
    await b.move_clock(b.BEFORE)

    for http in (admin, commissioner):
        listed = (await http.get("/api/v1/audit/events", params={"limit": 200})).json()
        assert not {e["action"] for e in listed["items"]} & BID_ACTIONS
        assert not any(e["entity_type"] == "Bid" for e in listed["items"])
        assert listed["total"] == len(listed["items"])
        for action in BID_ACTIONS:
            filtered = (await http.get("/api/v1/audit/events", params={"action": action})).json()
            assert (filtered["total"], filtered["items"]) == (0, [])
        page = (await http.get("/audit")).text
        assert not any(action in page for action in BID_ACTIONS)
        assert "the bid from" not in text_of(page) and "Alpha Care CIC" not in page  # nor the bidder anywhere
        assert "Bid " not in " ".join(row[3] for row in table_rows(page) if len(row) > 3)
        assert (await http.get("/audit", params={"action": "bid.submitted"})).text.count("<tbody") == 0
    admin_total = (await admin.get("/api/v1/audit/events")).json()["total"]
    assert admin_total == everything - sealed
    assert _chain_count((await admin.get("/audit")).text) == everything - sealed

    await b.move_clock(b.AFTER)
    listed = (await admin.get("/api/v1/audit/events", params={"limit": 200})).json()
    assert listed["total"] == everything
    assert {e["action"] for e in listed["items"]} >= {"bid.saved", "bid.submitted", "bid.withdrawn"}
    scoped = (await commissioner.get("/api/v1/audit/events", params={"action": "bid.submitted"})).json()
    assert scoped["total"] == 2
    page = (await commissioner.get("/audit")).text
    assert "submitted the bid from Alpha Care CIC" in text_of(page)
    assert "withdrew the bid from Beta Wellbeing CIC" in text_of(page)
    assert _chain_count((await admin.get("/audit")).text) == everything


async def test_the_panel_steps_after_the_deadline_are_in_the_trail_at_once(as_user):
    deal, _ = await _sealed_bids()
    member = await make_actor(Role.EVALUATOR)
    await evaluation.name_evaluator(
        actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.AFTER
    )
    commissioner = await as_user(deal.commissioner)
    await b.move_clock(b.AFTER)
    named = (await commissioner.get("/api/v1/audit/events", params={"action": "panel.member_named"})).json()
    assert [(e["actor_username"], e["after"]["evaluator"]) for e in named["items"]] == [
        (deal.commissioner.username, member.username)
    ]


async def test_before_the_deadline_no_event_carries_a_number_or_a_hash_that_would_betray_a_hidden_bid_event(as_user):
    """Numbers (even renumbered to leave no gap) and chain hashes are no longer shown to anyone reading the trail: a
    hash would let a reader recompute the chain and count the sealed events between two shown ones (issue 11)."""
    deal, _ = await _sealed_bids()
    member = await make_actor(Role.EVALUATOR)
    await evaluation.name_evaluator(  # an event after the bids, so any gap falls inside what is shown
        actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.BEFORE
    )
    admin = await as_user(await make_actor(Role.NATIONAL_ADMIN))
    await b.move_clock(b.BEFORE)
    items = (await admin.get("/api/v1/audit/events", params={"limit": 200})).json()["items"]
    assert items and all(set(e) == SHOWN_FIELDS for e in items)
    page = (await admin.get("/audit")).text
    stored = await AuditEvent.select(AuditEvent.event_hash, AuditEvent.previous_hash)
    assert not any(row["event_hash"] in page or row["previous_hash"][:16] in page for row in stored)
    assert table_rows(page)[0][0].startswith("When ")  # no Number column before it


# The attacker's view (issue 11, item 2): two worlds made alike in every way but one, a sealed bid in one of them.
# Whatever a national admin or the PCPG's commissioner reads of the trail before the deadline (API, pages, CSV, the
# chain's check) must be the same in both, byte for byte once the random parts of a page (CSRF tokens, nonces) are
# left out.

SHOWN_FIELDS = {
    "occurred_at",
    "actor_username",
    "action",
    "entity_type",
    "entity_id",
    "before",
    "after",
    "who",
    "what",
    "kind",
    "record",
}
SET_UP = b.PUBLISHED - timedelta(days=1)
READ_AT = b.BEFORE + timedelta(hours=2)
RANDOM = [
    (re.compile(r'(name="_csrf_token" value=")[^"]+'), r"\1…"),
    (re.compile(r'(nonce=")[^"]+'), r"\1…"),
    (re.compile(r'("csrf[_-]?token"\s*:\s*")[^"]+', re.I), r"\1…"),
]


def _reset_factory_sequences() -> None:
    """factory-boy numbers names and emails across the run; both worlds start them from the same place."""
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, factory.base.BaseFactory) and value._meta.model is not None:
            value.reset_sequence(force=True)


async def _world(*, sealed: bool) -> tuple[Actor, Actor, Actor, Actor]:
    """A published tender, two approved vehicles that could bid, the trail's readers; with `sealed`, Alpha saves a
    draft and submits it and Beta submits and withdraws, all before the deadline. Then, in both, a step anyone may
    see (a panel member named), so any trace of the bids would fall between shown events. Every time is fixed."""
    _reset_factory_sequences()
    await load_menu(actor=SYSTEM, now=SET_UP)
    admin = await make_actor(Role.NATIONAL_ADMIN, full_name="Nia Admin")
    commissioner = await make_actor(Role.COMMISSIONER, full_name="Carys Commissioner")
    member = await make_actor(Role.EVALUATOR, full_name="Emyr Evaluator")
    line = await create_budget_line(
        actor=admin,
        data=BudgetLineIn(
            pcpg_id=await support.pcpg_id(),
            financial_year=support.FIRST_YEAR,
            funding_stream="cluster_funding",
            amount_pence=1_000_000_00,
        ),
        now=SET_UP,
    )
    spec = await support.published(
        commissioner, [line], at=b.PUBLISHED, value_pence=80_000_00, bid_deadline_at=b.DEADLINE
    )
    deal = b.Tender(commissioner=commissioner, spec=spec, lines=[line], deadline=b.DEADLINE)
    alpha = await b.provider("Alpha Care CIC", full_name="Aled Alpha")
    beta = await b.provider("Beta Wellbeing CIC", "Cardiff West", full_name="Bethan Beta")
    if sealed:
        await b.bid(alpha, deal, 70_000_00, submit=False, at=b.BEFORE)
        await b.bid(alpha, deal, 70_000_00, at=b.BEFORE + timedelta(minutes=5))
        withdrawn = await b.bid(beta, deal, 56_000_00, at=b.BEFORE + timedelta(minutes=10))
        await bids.withdraw_bid(actor=beta, bid_id=withdrawn, now=b.BEFORE + timedelta(minutes=15))
        assert await AuditEvent.count().where(AuditEvent.visible_from_at.is_not_null()) == 4
    await evaluation.name_evaluator(
        actor=commissioner, specification_id=deal.id, username=member.username, now=b.BEFORE + timedelta(hours=1)
    )
    await b.move_clock(READ_AT)
    return admin, commissioner, alpha, beta


def _addresses(alpha: Actor, spec_reference: str) -> list[str]:
    """Everything the trail offers a reader: every filter a sealed event could answer to, paging, CSV, the check."""
    api = "/api/v1/audit/events"
    filters = [
        "limit=200",
        "limit=200&sign_ins=true",
        *(f"action={action}" for action in sorted(BID_ACTIONS | {"other", "panel.member_named"})),
        "record_type=Bid",
        "record_type=Attachment",
        "record_type=other",
        "record=Alpha",
        "record=Beta",
        f"record={spec_reference}",
        f"person={alpha.user_id}",
        "from_on=2026-12-03&to_on=2026-12-03",
        *(f"limit=1&offset={n}" for n in range(0, 8)),
    ]
    pages = [f"/audit?{query}" for query in ["", "sign_ins=true", *filters[2:14], "offset=50"]]
    return [
        *(f"{api}?{query}" for query in filters),
        f"{api}.csv",
        f"{api}.csv?sign_ins=true",
        f"{api}.csv?action=bid.submitted",
        "/api/v1/audit/verify",
        *pages,
        "/audit/events.csv",
        "/audit/events.csv?sign_ins=true",
    ]


def _without_random_parts(text: str) -> str:
    for pattern, replacement in RANDOM:
        text = pattern.sub(replacement, text)
    return without_request_id_text(text)


def _lines(body: str) -> list[str]:
    """A body as lines to compare in a failure's message: JSON one value a line, a page or CSV as it is."""
    try:
        body = json.dumps(json.loads(body), indent=1, ensure_ascii=False)
    except ValueError:
        pass
    return [line[:200] + "\n" for line in body.splitlines()]


Read = dict[tuple[str, str, str], tuple[int, str, str]]


async def _everything_read(as_user: Any, *, sealed: bool) -> tuple[Read, Actor]:
    """The world made afresh (the tables emptied first: the `menu` fixture's load ran at the real time)."""
    await empty_tables()
    admin, commissioner, alpha, _ = await _world(sealed=sealed)
    reference = (await Specification.select(Specification.reference).first() or {}).get("reference", "")
    assert reference
    read: Read = {}
    for who, actor in (("admin", admin), ("commissioner", commissioner)):
        for language in ("en", "cy"):
            await User.update({User.language: language}).where(User.id == actor.user_id)  # as chosen, unaudited
            http = await as_user(actor)
            for address in _addresses(alpha, reference):
                answer = await http.get(address)
                body = _without_random_parts(answer.text)
                read[(who, language, address)] = (answer.status_code, answer.headers.get("content-type", ""), body)
    return read, admin


async def test_before_the_deadline_nothing_a_reader_gets_from_the_trail_tells_whether_a_sealed_bid_exists(as_user):
    without, _ = await _everything_read(as_user, sealed=False)
    with_bid, admin = await _everything_read(as_user, sealed=True)

    assert without.keys() == with_bid.keys()
    differing = [key for key in without if without[key] != with_bid[key]]
    if differing:
        first = differing[0]
        diff = difflib.unified_diff(_lines(without[first][2]), _lines(with_bid[first][2]), "no bid", "a sealed bid")
        pytest.fail(f"{len(differing)} answers differ, first {first}:\n" + "".join(list(diff)[:40]))
    # Not vacuous: the readers read events, the check ran, and the sealed world does hold the bids' events.
    refused = {key for key, answer in without.items() if answer[0] != 200}
    assert refused == {("commissioner", language, "/api/v1/audit/verify") for language in ("en", "cy")}
    assert '"intact":true' in without[("admin", "en", "/api/v1/audit/verify")][2]
    assert without[("commissioner", "en", "/api/v1/audit/verify")][0] == 403
    listed = json.loads(without[("admin", "en", "/api/v1/audit/events?limit=200")][2])
    assert listed["total"] > 3 and "panel.member_named" in {e["action"] for e in listed["items"]}
    welsh = without[("commissioner", "cy", "/audit?")][2]
    assert "Emyr Evaluator" in welsh and "Trywydd archwilio" in welsh
    assert await AuditEvent.count().where(AuditEvent.entity_type == "Bid") == 4

    await b.move_clock(b.AFTER)  # from the deadline the same readers do see the bids: the worlds were different
    http = await as_user(admin)
    after = (await http.get("/api/v1/audit/events", params={"limit": 200})).json()
    assert {"bid.submitted", "bid.withdrawn"} <= {e["action"] for e in after["items"]}
