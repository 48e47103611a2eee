"""No counting through ids (issue 11, item 3): a bidder sees a bid only by its public id, 128 random bits, so two bids'
ids tell nothing of their order or of how many came between; the bid's row number appears in no answer or page the
bidder sees, and no route takes it."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from commissioning.tables import Bid
from core.db import engine, is_postgres
from core.public_ids import PUBLIC_ID_PATTERN, is_public_id
from tests import bidding_support as b

pytestmark = pytest.mark.usefixtures("menu")

NUMBER = 987_654_321  # the bid's row number: distinctive, so that finding it in a page means it is shown


def _json(*prices: int) -> dict[str, Any]:
    return {
        "prices": [{"financial_year": b.FIRST_YEAR + n, "price_pence": p} for n, p in enumerate(prices)],
        "answers": [{"criterion": n, "answer": f"Answer {n + 1}"} for n in range(b.CRITERIA)],
        "staff": "2 WTE link workers",
        "start_on": "2027-04-01",
        "submit": True,
    }


async def _next_bid_number_is(deal: b.Tender, number: int) -> None:
    """The next bid's row gets this number (another vehicle's draft holds the one before it)."""
    vehicle = (await b.provider("Placeholder CIC")).delivery_vehicle_id
    await Bid(
        id=number - 1, specification=deal.id, delivery_vehicle=vehicle, created_at=b.BEFORE, updated_at=b.BEFORE
    ).save()
    if is_postgres():
        await engine().run_ddl(f"SELECT setval(pg_get_serial_sequence('bid', 'id'), {number - 1})")


async def test_two_bids_public_ids_reveal_nothing_of_their_order_or_count(as_user):
    deal = await b.tender()
    await b.move_clock(b.BEFORE)
    made = []
    for n, name in enumerate(("Alpha Care CIC", "Beta Wellbeing CIC", "Gamma Health CIC")):
        http = await as_user(await b.provider(name))
        sent = await http.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(70_000_00 - n))
        assert sent.status_code == 201, sent.text
        made.append(sent.json()["id"])
    numbers = [row["id"] for row in await Bid.select(Bid.id).order_by(Bid.id)]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2], "the row numbers count (negative control)"
    assert all(is_public_id(public) and re.fullmatch(PUBLIC_ID_PATTERN, public) for public in made)
    assert len(set(made)) == 3 and all(len(public) == 26 for public in made)
    for first, second in itertools.pairwise(made):
        assert sum(x != y for x, y in zip(first, second, strict=True)) > 10, "consecutive bids share nothing"
        assert not first.isdigit() and str(numbers[0]) not in first


async def test_the_bids_number_appears_in_no_answer_or_page_the_bidder_sees_and_names_nothing(as_user):
    deal = await b.tender()
    await _next_bid_number_is(deal, NUMBER)
    alpha = await b.provider("Alpha Care CIC")
    http = await as_user(alpha)
    await b.move_clock(b.BEFORE)
    made = await http.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(70_000_00))
    assert made.status_code == 201, made.text
    public = made.json()["id"]
    assert (await Bid.select(Bid.id).where(Bid.public_id == public).first()) == {"id": NUMBER}
    again = await http.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(60_000_00))
    assert again.status_code == 409
    seen = {
        "made": made,
        "409": again,
        "read": await http.get(f"/api/v1/bids/{public}"),
        "list": await http.get(f"/api/v1/specifications/{deal.id}/bids"),
        "mine": await http.get("/api/v1/bids/mine"),
        "replaced": await http.put(f"/api/v1/bids/{public}", json=_json(65_000_00)),
        "bid form": await http.get(f"/specifications/{deal.id}/bid"),
        "bid check": await http.get(f"/specifications/{deal.id}/bid/check"),
        "withdraw page": await http.get(f"/bids/{public}/withdraw"),
        "own bids page": await http.get("/bids"),
        "audit": await http.get("/api/v1/audit/events"),
        "notifications": await http.get("/api/v1/notifications"),
    }
    for name, response in seen.items():
        assert response.status_code < 500, (name, response.status_code)
        assert str(NUMBER) not in response.text, f"{name} shows the bid's number"
    # The negative control: the public id is what they show.
    for name in ("made", "409", "read", "list", "mine", "replaced", "bid form", "withdraw page"):
        assert public in seen[name].text, f"{name} does not show the public id"
    # Asked for by its number, the bid is absent, exactly as an id that names nothing.
    by_number = await http.get(f"/api/v1/bids/{NUMBER}")
    absent = await http.get(f"/api/v1/bids/{'a' * 26}")
    assert by_number.status_code == absent.status_code == 404
    assert by_number.json()["detail"] == absent.json()["detail"] == "No such bid"
    assert (await http.get(f"/bids/{NUMBER}/withdraw")).status_code == 404
