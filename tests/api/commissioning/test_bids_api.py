"""The bids API: a provider bids, replaces and withdraws until the deadline (409 after it), a price above a year's
maximum is a 422 naming "prices" and the year, sealed bids are 404 to everyone else, wrong roles get 403, and
documents are uploaded as multipart and typed by their content."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from accounts.actor import Role
from commissioning.services import bids
from commissioning.tables import Bid
from tests import bidding_support as b
from tests.conftest import make_actor

pytestmark = pytest.mark.usefixtures("menu")

PROBLEM = "application/problem+json"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _json(*prices: int, submit: bool = True) -> dict[str, Any]:
    return {
        "prices": [{"financial_year": b.FIRST_YEAR + n, "price_pence": p} for n, p in enumerate(prices)],
        "answers": [{"criterion": n, "answer": f"Answer {n + 1}"} for n in range(b.CRITERIA)],
        "staff": "2 WTE link workers",
        "start_on": "2027-04-01",
        "submit": submit,
    }


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    return body


@pytest.fixture
def attachment_dir(tmp_path, monkeypatch):
    folder = tmp_path / "var" / "attachments"
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", folder)
    return folder


async def test_a_provider_bids_changes_and_withdraws_until_the_deadline_and_gets_409_after(as_user):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    http = await as_user(alpha)
    await b.move_clock(b.BEFORE)

    made = await http.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(70_000_00))
    assert made.status_code == 201, made.text
    bid = made.json()
    assert (bid["status"], bid["total_price_pence"], bid["can_change"]) == ("submitted", 70_000_00, True)
    assert [p["label"] for p in bid["prices"]] == ["2027-28"]

    replaced = await http.put(f"/api/v1/bids/{bid['id']}", json=_json(65_000_00))
    assert replaced.status_code == 200 and replaced.json()["total_price_pence"] == 65_000_00
    assert [x["id"] for x in (await http.get("/api/v1/bids/mine")).json()] == [bid["id"]]
    withdrawn = await http.post(f"/api/v1/bids/{bid['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = await http.put(f"/api/v1/bids/{bid['id']}", json=_json(64_000_00))
    assert again.json()["status"] == "submitted"

    await b.move_clock(b.AFTER)
    for response in (
        await http.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(50_000_00)),
        await http.put(f"/api/v1/bids/{bid['id']}", json=_json(50_000_00)),
        await http.post(f"/api/v1/bids/{bid['id']}/withdraw"),
        await http.post(f"/api/v1/bids/{bid['id']}/attachments", files={"file": ("late.pdf", PDF)}),
    ):
        assert "deadline has passed" in _problem(response, 409)["detail"]
    shown = (await http.get(f"/api/v1/bids/{bid['id']}")).json()
    assert (shown["status"], shown["total_price_pence"], shown["can_change"]) == ("submitted", 64_000_00, False)


async def test_a_price_above_a_years_maximum_is_a_422_naming_prices_and_the_year(as_user):
    deal = await b.tender(years=2, max_pence=80_000_00)
    http = await as_user(await b.provider("Alpha Care CIC"))
    await b.move_clock(b.BEFORE)
    problem = _problem(await http.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(80_000_00, 80_000_01)), 422)
    assert [e["field"] for e in problem["errors"]] == ["prices"]
    assert "2028-29" in problem["detail"] and "£80,000.00" in problem["detail"]
    assert problem["financial_year"] == 2028
    missing = _problem(await http.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(70_000_00)), 422)
    assert "2028-29" in missing["detail"]
    assert await Bid.count() == 0


async def test_before_the_deadline_a_bid_is_404_and_the_list_empty_for_everyone_but_the_bidder(as_user):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00)
    await b.move_clock(b.BEFORE)
    own = await as_user(alpha)
    assert [x["id"] for x in (await own.get(f"/api/v1/specifications/{deal.id}/bids")).json()] == [bid_id]
    assert (await own.get(f"/api/v1/bids/{bid_id}")).status_code == 200
    others = [
        deal.commissioner,
        await make_actor(Role.NATIONAL_ADMIN),
        await make_actor(Role.EVALUATOR),
        await b.provider("Other Provider CIC"),
    ]
    for who in others:
        http = await as_user(who)
        listed = await http.get(f"/api/v1/specifications/{deal.id}/bids")
        assert listed.status_code == 200 and listed.json() == [], who.role
        not_found = _problem(await http.get(f"/api/v1/bids/{bid_id}"), 404)
        assert not_found["detail"] == _problem(await http.get("/api/v1/bids/999999"), 404)["detail"]
    public = await as_user(None)
    assert (await public.get(f"/api/v1/bids/{bid_id}")).status_code == 401
    assert (await public.get(f"/api/v1/specifications/{deal.id}/bids")).status_code == 401

    await b.move_clock(b.AFTER)
    commissioner = await as_user(deal.commissioner)
    assert [x["id"] for x in (await commissioner.get(f"/api/v1/specifications/{deal.id}/bids")).json()] == [bid_id]
    other = await as_user(others[-1])
    assert (await other.get(f"/api/v1/bids/{bid_id}")).status_code == 404


async def test_another_provider_cannot_change_or_withdraw_a_bid_and_is_told_it_does_not_exist(as_user):
    deal = await b.tender()
    bid_id = await b.bid(await b.provider("Alpha Care CIC"), deal, 70_000_00)
    await b.move_clock(b.BEFORE)
    other = await as_user(await b.provider("Other Provider CIC"))
    _problem(await other.put(f"/api/v1/bids/{bid_id}", json=_json(1)), 404)
    _problem(await other.post(f"/api/v1/bids/{bid_id}/withdraw"), 404)
    assert (await Bid.select(Bid.status).first())["status"] == "submitted"


async def test_only_a_provider_may_bid_and_a_pending_vehicle_is_refused(as_user):
    deal = await b.tender()
    await b.move_clock(b.BEFORE)
    for role in (Role.COMMISSIONER, Role.EVALUATOR, Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR):
        http = await as_user(await make_actor(role))
        _problem(await http.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(1)), 403)
    pending = await as_user(await b.provider("Pending CIC", status="pending"))
    assert (
        "approved"
        in _problem(await pending.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(1)), 403)["detail"]
    )
    assert await Bid.count() == 0


async def test_documents_are_uploaded_as_multipart_typed_by_content_and_sealed_like_the_bid(as_user, attachment_dir):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00)
    await b.move_clock(b.BEFORE)
    http = await as_user(alpha)

    sent = await http.post(
        f"/api/v1/bids/{bid_id}/attachments", files={"file": ("method.pdf", PDF, "application/octet-stream")}
    )
    assert sent.status_code == 201, sent.text
    (attachment,) = sent.json()["attachments"]
    assert (attachment["filename"], attachment["content_type"], attachment["size_bytes"]) == (
        "method.pdf",
        "application/pdf",
        len(PDF),
    )
    fake = await http.post(
        f"/api/v1/bids/{bid_id}/attachments", files={"file": ("fake.pdf", b"plain text", "application/pdf")}
    )
    assert [e["field"] for e in _problem(fake, 422)["errors"]] == ["file"]

    link = f"/bids/{bid_id}/attachments/{attachment['id']}"
    downloaded = await http.get(link)
    assert downloaded.status_code == 200 and downloaded.content == PDF
    assert downloaded.headers["content-type"].startswith("application/pdf")
    commissioner = await as_user(deal.commissioner)
    assert (await commissioner.get(link)).status_code == 404
    assert (await (await as_user(await b.provider("Other CIC"))).get(link)).status_code == 404
    await b.move_clock(b.AFTER)
    assert (await commissioner.get(link)).content == PDF
