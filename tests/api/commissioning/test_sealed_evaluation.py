"""Sealed is sealed (issue 9, STYLE.md 7.13): before the deadline the evaluation of a specification with bids
answers its own commissioner exactly as the evaluation of a specification that does not exist, byte for byte,
on the API and on the page (the evaluation report)."""

from __future__ import annotations

import re

import pytest

from tests import bidding_support as b
from tests.answers import without_request_id

pytestmark = pytest.mark.usefixtures("menu")

ABSENT = 999_999


@pytest.mark.parametrize(
    "path", ["/api/v1/specifications/{spec}/evaluation", "/specifications/{spec}/evaluation-report.pdf"]
)
async def test_a_sealed_evaluation_answers_exactly_as_an_absent_one(as_user, path):
    deal = await b.tender()
    await b.bid(await b.provider("Alpha Care CIC"), deal, 70_000_00)
    commissioner = await as_user(deal.commissioner)
    await b.move_clock(b.BEFORE)

    hidden = await commissioner.get(path.format(spec=deal.id))
    absent = await commissioner.get(path.format(spec=ABSENT))

    assert hidden.status_code == absent.status_code == 404
    assert hidden.headers["content-type"] == absent.headers["content-type"]
    # Each answer names the path asked for (a problem's "instance", a page's language links) and a page carries a
    # fresh script nonce; with the id swapped back and the nonce blanked, not a byte differs.
    assert _same(hidden.content) == _same(absent.content.replace(str(ABSENT).encode(), str(deal.id).encode()))


def _same(body: bytes) -> bytes:
    return without_request_id(re.sub(rb'nonce="[^"]*"', b'nonce=""', body))
