"""Each bid gets a public id of 128 random bits, unique, that tells nobody how many bids came before (issue 11,
item 3); it is the only id of a bid that the services answer and take, so addresses and answers never show the bid's
number."""

from __future__ import annotations

import pytest

from commissioning.queries import bids as bid_queries
from commissioning.tables import Bid
from core.errors import NotFound
from core.public_ids import is_public_id, new_public_id
from tests import bidding_support as b

pytestmark = pytest.mark.usefixtures("menu")


def test_a_public_id_is_26_lower_case_base32_characters_and_never_repeats():
    ids = {new_public_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(is_public_id(value) for value in ids)
    assert not is_public_id("1") and not is_public_id("A" * 26) and not is_public_id(7)


async def test_every_bid_is_given_its_own_public_id_that_does_not_follow_the_one_before():
    deal = await b.tender()
    first = await b.bid(await b.provider("Alpha Care CIC"), deal)
    second = await b.bid(await b.provider("Beta Wellbeing CIC", "Cardiff West"), deal, submit=False)
    rows = {row["public_id"]: row["id"] for row in await Bid.select(Bid.id, Bid.public_id)}
    assert is_public_id(first) and is_public_id(second), "the services answer the public id, not the number"
    assert first != second and set(rows) == {first, second}
    assert rows[second] == rows[first] + 1, "the numbers follow on (negative control)..."
    assert sum(x != y for x, y in zip(first, second, strict=True)) > 10, "...the public ids share nothing"


async def test_a_bid_is_found_by_its_public_id_only_and_a_malformed_one_answers_as_absent():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    public_id = await b.bid(alpha, deal)
    number = (await Bid.select(Bid.id).where(Bid.public_id == public_id).first() or {})["id"]
    assert (await bid_queries.visible_bid(actor=alpha, bid_id=public_id, now=b.BEFORE))["id"] == number
    for other in (str(number), public_id.upper(), public_id[:-1], new_public_id(), "", "' OR 1=1 --"):
        with pytest.raises(NotFound) as absent:
            await bid_queries.visible_bid(actor=alpha, bid_id=other, now=b.BEFORE)
        assert absent.value.message == "No such bid"
