"""Each bid gets a public id of 128 random bits, unique, that tells nobody how many bids came before (issue 11,
item 3): the first step, the column and its back-fill; addresses and answers still use the bid's number."""

from __future__ import annotations

import pytest

from commissioning.tables import Bid
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
    rows = {row["id"]: row["public_id"] for row in await Bid.select(Bid.id, Bid.public_id)}
    assert is_public_id(rows[first]) and is_public_id(rows[second])
    assert rows[first] != rows[second]
