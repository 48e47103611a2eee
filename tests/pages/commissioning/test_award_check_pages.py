"""Check your answers before the notice of intention to award is issued: the award form leads to a page that shows the
winner, its prices, rank and scores, the rationale, the standstill it starts and who is told, each answer with a
Change link that brings it back to the form; only its confirmation issues the notice, and it checks everything again."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import unquote_plus

import httpx
import pytest

from commissioning.tables import Award
from notifications.tables import Notification
from tests import bidding_support as b
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, fields_in_error, html_lang, text_of, welsh

pytestmark = pytest.mark.usefixtures("menu")


async def _post(http: httpx.AsyncClient, form_path: str, post_path: str, data: dict[str, Any]) -> httpx.Response:
    """Open the form for its CSRF token and send it, as a browser does."""
    page = await http.get(form_path)
    assert page.status_code == 200, page.text[:500]
    return await http.post(post_path, data={**data, "_csrf_token": csrf_from(page.text)})


def _change_hrefs(page: str) -> list[str]:
    """The hrefs of the summary lists' Change links, in order, as the browser follows them."""
    return [
        html.unescape(chunk.split('href="', 1)[1].split('"', 1)[0])
        for chunk in page.split('class="nhsuk-summary-list__actions"')[1:]
    ]


def _textarea(page: str, field_id: str) -> str | None:
    found = re.search(rf'<textarea[^>]*\sid="{re.escape(field_id)}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)) if found else None


async def _evaluated_and_awarding() -> tuple[b.Evaluated, str, str]:
    done = await b.evaluated()
    await b.move_clock(b.AWARDED)
    return done, f"/specifications/{done.deal.id}/evaluation", f"/specifications/{done.deal.id}/award"


async def test_the_check_page_shows_the_winner_its_prices_rank_scores_standstill_and_who_is_told(as_user):
    done, overview, award = await _evaluated_and_awarding()
    http = await as_user(done.deal.commissioner)
    notices = await Notification.count()
    assert "Continue" in text_of((await http.get(overview)).text), "the form leads to the check, not the notice"

    check = await _post(http, overview, award, {"bid_id": str(done.alpha_bid), "rationale": "Highest total score"})
    assert check.status_code == 200, check.text[:800]
    text = text_of(check.text)
    assert "Check before you issue the notice" in text
    assert f"Specification {done.deal.spec.title}" in text
    assert "Awarded to Alpha Care CIC Change" in text
    assert "Rank 1 of 2" in text
    assert "Quality score 46.00" in text and "Price score 32.00" in text and "Total score 78.00" in text
    assert "Price for 2027-28 £70,000.00" in text and "Total £70,000.00" in text
    assert "Rationale Highest total score Change" in text
    assert "Standstill ends 4 January 2027" in text
    assert "Contract can be made from 5 January 2027" in text
    told = text.split("Who will be told", 1)[1]
    assert "Alpha Care CIC" in told and "Beta Wellbeing CIC" in told, "every bidder is told"
    assert "Issue notice of intention to award" in text
    assert "bid_id" not in text and "competitive" not in text, "no stored code or input name on screen"
    assert await Award.count() == 0 and await Notification.count() == notices, "the check writes nothing, tells nobody"

    # Negative control: the other bid shows the other bidder's figures, not the first one's.
    other = text_of((await _post(http, overview, award, {"bid_id": str(done.beta_bid), "rationale": "Cheaper"})).text)
    assert "Awarded to Beta Wellbeing CIC" in other and "Rank 2 of 2" in other
    assert "Price for 2027-28 £56,000.00" in other and "£70,000.00" not in other
    assert "Total score 76.00" in other and "78.00" not in other


async def test_the_change_links_bring_the_answers_back_to_the_form(as_user):
    done, overview, award = await _evaluated_and_awarding()
    http = await as_user(done.deal.commissioner)
    rationale = "Second on score & first on price; see the panel's note"
    check = await _post(http, overview, award, {"bid_id": str(done.beta_bid), "rationale": rationale})
    hrefs = _change_hrefs(check.text)
    assert [href.rsplit("#", 1)[1] for href in hrefs] == ["bid_id", "rationale"]
    assert all(href.startswith(f"{overview}?") and rationale in unquote_plus(href) for href in hrefs)

    form = (await http.get(hrefs[1])).text
    assert _textarea(form, "rationale") == rationale
    assert f'value="{done.beta_bid}" checked' in form, "the bid chosen is chosen again"
    assert f'value="{done.alpha_bid}" checked' not in form
    # Negative control: the form opened afresh keeps nothing and offers the first-ranked bid.
    fresh = (await http.get(overview)).text
    assert rationale.split(" ")[0] + " on score" not in fresh
    assert f'value="{done.alpha_bid}" checked' in fresh


async def test_the_confirmation_checks_everything_again_and_only_it_issues_the_notice(as_user):
    done, overview, award = await _evaluated_and_awarding()
    http = await as_user(done.deal.commissioner)
    check = await _post(http, overview, award, {"bid_id": str(done.alpha_bid), "rationale": "Highest total"})
    token = csrf_from(check.text)
    assert 'name="confirm" value="yes"' in check.text

    blank = await http.post(
        award, data={"bid_id": str(done.alpha_bid), "rationale": " ", "confirm": "yes", "_csrf_token": token}
    )
    assert blank.status_code == 400
    assert error_summary_links(blank.text) == ["#rationale"] and "rationale" in fields_in_error(blank.text)
    assert "Give the rationale for the award" in text_of(blank.text)
    stranger = await http.post(
        award, data={"bid_id": "999999", "rationale": "Best", "confirm": "yes", "_csrf_token": token}
    )
    assert stranger.status_code == 400 and error_summary_links(stranger.text) == ["#bid_id"]
    assert "Choose one of the submitted bids" in text_of(stranger.text)
    assert await Award.count() == 0
    notices = await Notification.count()

    made = await http.post(
        award,
        data={"bid_id": str(done.alpha_bid), "rationale": "Highest total", "confirm": "yes", "_csrf_token": token},
    )
    assert made.status_code in (302, 303), made.text[:800]
    row = await Award.select(Award.id, Award.rationale, Award.standstill_ends_on).first()
    assert made.headers["location"] == f"/awards/{row['id']}"
    assert row["rationale"] == "Highest total" and row["standstill_ends_on"] == b.STANDSTILL_ENDS
    assert await Notification.count() > notices, "the bidders are told once it is issued"
    again = await http.post(
        award, data={"bid_id": str(done.alpha_bid), "rationale": "Highest total", "_csrf_token": token}
    )
    assert again.status_code == 400 and "already has an award" in text_of(again.text), "no check of a second notice"
    assert await Award.count() == 1


async def test_a_direct_award_is_checked_with_each_years_value_and_the_route_decides_the_standstill(as_user):
    deal = await b.tender(route="direct_award_2", years=2, max_pence=80_000_00)
    chosen = await b.provider("Chosen Provider CIC")
    await b.provider("Other Provider CIC")
    http = await as_user(deal.commissioner)
    await b.move_clock(b.AWARDED)
    overview, award = f"/specifications/{deal.id}/evaluation", f"/specifications/{deal.id}/award"
    answers = {
        "delivery_vehicle_id": str(chosen.delivery_vehicle_id),
        "value-2027": "79,999.99",
        "value-2028": "62000",
        "rationale": "Existing provider",
    }
    check = await _post(http, overview, award, answers)
    assert check.status_code == 200, check.text[:800]
    text = text_of(check.text)
    assert "Awarded to Chosen Provider CIC Change" in text
    assert "Contract value for 2027-28 £79,999.99 Change" in text
    assert "Contract value for 2028-29 £62,000.00 Change" in text and "Total £141,999.99" in text
    assert "Rank" not in text, "a direct award has no ranking"
    assert "Standstill ends 4 January 2027" in text
    told = text.split("Who will be told", 1)[1]
    assert "Chosen Provider CIC" in told and "Other Provider CIC" not in told, "only the chosen vehicle is told"
    hrefs = _change_hrefs(check.text)
    assert [href.rsplit("#", 1)[1] for href in hrefs] == [
        "delivery_vehicle_id",
        "value-2027",
        "value-2028",
        "rationale",
    ]
    form = (await http.get(hrefs[1])).text
    assert 'value="79,999.99"' in form and 'value="62000"' in form
    assert f'<option value="{chosen.delivery_vehicle_id}" selected' in form
    assert await Award.count() == 0


async def test_a_direct_award_1_is_checked_with_no_standstill(as_user):
    """Beside the Direct Award 2 above (a standstill of 8 working days), Direct Award 1 starts none."""
    deal = await b.tender(route="direct_award_1", years=1, max_pence=80_000_00)
    chosen = await b.provider("Chosen Provider CIC")
    http = await as_user(deal.commissioner)
    await b.move_clock(b.AWARDED)
    answers = {"delivery_vehicle_id": str(chosen.delivery_vehicle_id), "value-2027": "1000", "rationale": "Only one"}
    check = await _post(http, f"/specifications/{deal.id}/evaluation", f"/specifications/{deal.id}/award", answers)
    text = text_of(check.text)
    assert "Standstill ends No standstill (Direct Award 1)" in text
    assert "Contract can be made from 18 December 2026" in text
    assert "January 2027" not in text and "representations" not in text
    assert await Award.count() == 0


async def test_the_check_page_is_in_welsh_for_a_welsh_reader(as_user):
    done, overview, award = await _evaluated_and_awarding()
    http = await as_user(done.deal.commissioner)
    check = await _post(http, f"{overview}?lang=cy", award, {"bid_id": str(done.alpha_bid), "rationale": "Gorau"})
    assert check.status_code == 200
    assert html_lang(check.text) == "cy"
    text = text_of(check.text)
    assert welsh("Check before you issue the notice") in text
    assert welsh("Check before you issue the notice") != "Check before you issue the notice"
    assert "4 Ionawr 2027" in text, "the end of standstill in Welsh words"
    assert "January" not in text
    assert welsh("Issue notice of intention to award") in text
