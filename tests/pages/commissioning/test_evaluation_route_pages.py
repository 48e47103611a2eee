"""The commissioner's evaluation page follows the procurement route: a panel for a competition, a direct award
otherwise, with or without a standstill."""

from __future__ import annotations

import pytest

from tests import bidding_support as b
from tests.pages.markup import text_of

pytestmark = pytest.mark.usefixtures("menu")


@pytest.mark.parametrize(
    ("route", "shown", "not_shown"),
    [
        ("competitive", "Evaluation panel", "Direct award"),
        ("direct_award_1", "the contract can be made straight away", "observes a standstill"),
        ("direct_award_2", "observes a standstill of 8 working days", "the contract can be made straight away"),
    ],
)
async def test_the_evaluation_page_offers_what_the_route_calls_for(as_user, route, shown, not_shown):
    deal = await b.tender(route=route)
    http = await as_user(deal.commissioner)
    response = await http.get(f"/specifications/{deal.id}/evaluation?lang=en")
    assert response.status_code == 200
    page = text_of(response.text)
    assert shown in page
    assert not_shown not in page
