"""The audit trail keeps bids sealed: before the deadline its page and API show no bid event and no count that
includes one, for a national admin or the PCPG's commissioner; from the deadline they show every step."""

from __future__ import annotations

import re

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.services import bids, evaluation
from tests import bidding_support as b
from tests.conftest import make_actor
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
        assert "Bid " not in " ".join(row[4] for row in table_rows(page) if len(row) > 4)
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


async def test_before_the_deadline_the_event_numbers_shown_do_not_betray_a_hidden_bid_event(as_user):
    deal, _ = await _sealed_bids()
    member = await make_actor(Role.EVALUATOR)
    await evaluation.name_evaluator(  # an event after the bids, so any gap falls inside what is shown
        actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.BEFORE
    )
    admin = await as_user(await make_actor(Role.NATIONAL_ADMIN))
    await b.move_clock(b.BEFORE)
    shown = sorted(
        e["sequence"] for e in (await admin.get("/api/v1/audit/events", params={"limit": 200})).json()["items"]
    )
    assert shown == list(range(shown[0], shown[0] + len(shown)))
