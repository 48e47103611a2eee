"""The bid form after `staff` and `start_on` became required members of BidIn (issue 10, item 21): what a browser
sends for a draft with nothing typed still saves it, and a submitted bid is still refused on the field left blank."""

from __future__ import annotations

import pytest

from commissioning.tables import Bid
from tests import bidding_support as b
from tests.pages.commissioning.test_bidding_pages import _send

pytestmark = pytest.mark.usefixtures("menu")

BLANK = {"price-2027": "", "staff": "", "day": "", "month": "", "year": "", **{f"answer-{n}": "" for n in range(3)}}


async def test_a_draft_with_nothing_typed_is_saved_as_a_browser_sends_it(as_user):
    deal = await b.tender()
    http = await as_user(await b.provider("Alpha Care CIC"))
    await b.move_clock(b.BEFORE)
    form = f"/specifications/{deal.id}/bid"
    saved = await _send(http, form, form, {**BLANK, "action": "draft"})
    assert saved.status_code in (302, 303), saved.text[:800]
    row = await Bid.select(Bid.status, Bid.staff, Bid.start_on).first()
    assert row == {"status": "draft", "staff": "", "start_on": None}


async def test_a_bid_submitted_without_a_start_date_is_refused_on_the_date(as_user):
    deal = await b.tender()
    http = await as_user(await b.provider("Alpha Care CIC"))
    await b.move_clock(b.BEFORE)
    form = f"/specifications/{deal.id}/bid"
    typed = {**BLANK, "price-2027": "70000", "staff": "2 WTE", **{f"answer-{n}": "Our answer" for n in range(3)}}
    refused = await _send(http, form, form, {**typed, "action": "submit"})
    assert refused.status_code == 400
    assert 'href="#start_on-day"' in refused.text
    assert await Bid.count() == 0
