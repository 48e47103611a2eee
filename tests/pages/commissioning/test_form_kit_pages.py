"""The provider's and evaluators' forms through the form kit: a direct award's values per year land on their own
inputs, a date that does not exist names its field, who may act is answered (403, 404) before what was typed, and
an evaluator's list says which bids they have scored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from commissioning.services import bids
from commissioning.services.clarifications import ask_clarification
from commissioning.tables import Award, Bid, Clarification
from tests import bidding_support as b
from tests.access.tender_journey import PDF
from tests.conftest import csrf_from, make_actor
from tests.pages.markup import error_summary_links, fields_in_error, table_rows, text_of

pytestmark = pytest.mark.usefixtures("menu")


async def _send(http: httpx.AsyncClient, form_path: str, post_path: str, data: dict[str, Any]) -> httpx.Response:
    page = await http.get(form_path)
    assert page.status_code == 200, page.text[:500]
    return await http.post(post_path, data={**data, "_csrf_token": csrf_from(page.text)})


async def test_a_direct_award_names_the_vehicle_and_each_years_value_with_each_problem_on_its_year(as_user):
    deal = await b.tender(route="direct_award_2", years=2, max_pence=80_000_00)
    chosen = await b.provider("Chosen Provider CIC")
    await b.provider("Waiting CIC", status="pending")
    http = await as_user(deal.commissioner)
    await b.move_clock(b.AWARDED)
    overview = f"/specifications/{deal.id}/evaluation"
    page = (await http.get(overview)).text
    assert "Chosen Provider CIC" in page and "Waiting CIC" not in page
    award = f"/specifications/{deal.id}/award"
    form = {"delivery_vehicle_id": str(chosen.delivery_vehicle_id), "rationale": "Existing provider"}

    too_high = await _send(http, overview, award, {**form, "value-2027": "80000", "value-2028": "80000.01"})
    assert too_high.status_code == 400
    assert error_summary_links(too_high.text) == ["#value-2028"]
    assert "The value for 2028-29 is above the maximum of £80,000.00" in text_of(too_high.text)

    blank = await _send(http, overview, award, {**form, "value-2027": "", "value-2028": "1"})
    assert blank.status_code == 400 and error_summary_links(blank.text) == ["#value-2027"]
    assert "value-2027" in fields_in_error(blank.text)
    unchosen = await _send(http, overview, award, {"rationale": "", "value-2027": "1", "value-2028": "1"})
    assert error_summary_links(unchosen.text) == ["#rationale", "#delivery_vehicle_id"]
    assert await Award.count() == 0

    answers = {**form, "value-2027": "79,999.99", "value-2028": "62000"}
    checked = await _send(http, overview, award, answers)
    assert checked.status_code == 200 and await Award.count() == 0, "checked first, nothing written"
    made = await http.post(award, data={**answers, "confirm": "yes", "_csrf_token": csrf_from(checked.text)})
    assert made.status_code in (302, 303), made.text[:500]
    values = (await Award.select(Award.annual_values).first())["annual_values"]
    assert "7999999" in str(values) and "6200000" in str(values)


async def test_a_start_date_that_does_not_exist_is_named_on_its_first_box_and_the_answers_come_back(as_user):
    deal = await b.tender()
    http = await as_user(await b.provider("Alpha Care CIC"))
    await b.move_clock(b.BEFORE)
    form = f"/specifications/{deal.id}/bid"
    bid = {"price-2027": "70000", "staff": "2 WTE", "day": "31", "month": "2", "year": "2027", "action": "draft"}
    refused = await _send(http, form, form, {**bid, "answer-1": "Our approach"})
    assert refused.status_code == 400
    assert error_summary_links(refused.text) == ["#start_on-day"]
    assert "Enter a real date, like 1 4 2027" in text_of(refused.text)
    assert 'value="70000"' in refused.text and "Our approach" in refused.text
    assert await Bid.count() == 0


async def test_a_provider_whose_vehicle_waits_for_approval_is_refused_whatever_the_form_says(as_user):
    deal = await b.tender()
    waiting = await b.provider("Waiting CIC", status="pending")
    http = await as_user(waiting)
    await b.move_clock(b.BEFORE)
    form, detail = f"/specifications/{deal.id}/bid", f"/specifications/{deal.id}"
    bid = {"price-2027": "70000", "staff": "2 WTE", "day": "1", "month": "4", "year": "2027", "action": "submit"}
    assert (await _send(http, form, form, bid)).status_code == 403
    assert (await _send(http, form, form, {"price-2027": "seventy", "action": "submit"})).status_code == 403
    questions = f"{detail}/questions"
    assert (await _send(http, detail, questions, {"question": "Venues?"})).status_code == 403
    assert (await _send(http, detail, questions, {"question": ""})).status_code == 403
    assert await Bid.count() == 0 and await Clarification.count() == 0


async def test_a_vehicle_serving_none_of_the_specifications_clusters_is_refused_with_the_reason(as_user):
    deal = await b.tender()
    http = await as_user(await b.provider("Elsewhere CIC", "CityHealth"))
    await b.move_clock(b.BEFORE)
    form = f"/specifications/{deal.id}/bid"
    bid = {"price-2027": "70000", "staff": "2 WTE", "day": "1", "month": "4", "year": "2027", "action": "draft"}
    refused = await _send(http, form, form, bid)
    assert refused.status_code == 403
    assert "does not serve any of this specification's clusters" in text_of(refused.text)
    assert await Bid.count() == 0


async def test_an_approved_provider_is_asked_for_the_question_it_left_blank(as_user):
    deal = await b.tender()
    http = await as_user(await b.provider("Alpha Care CIC"))
    await b.move_clock(b.BEFORE)
    detail = f"/specifications/{deal.id}"
    blank = await _send(http, detail, f"{detail}/questions", {"question": "  "})
    assert blank.status_code == 400 and error_summary_links(blank.text) == ["#question"]
    assert "Enter your question" in text_of(blank.text)


async def test_another_pcpgs_commissioner_finds_no_question_to_answer_whatever_the_answer(as_user):
    deal = await b.tender()
    asker = await b.provider("Alpha Care CIC")
    question = await ask_clarification(actor=asker, specification_id=deal.id, question="Venues?", now=b.BEFORE)
    elsewhere = await as_user(await make_actor("commissioner", pcpg_names=("Swansea Bay",)))
    own = await as_user(deal.commissioner)
    await b.move_clock(b.BEFORE)
    detail = f"/specifications/{deal.id}"
    answer = f"/questions/{question}/answer"
    assert (await _send(elsewhere, detail, answer, {"answer": ""})).status_code == 404
    assert (await _send(elsewhere, detail, answer, {"answer": "Yes"})).status_code == 404
    blank = await _send(own, detail, answer, {"answer": ""})
    assert blank.status_code == 400 and error_summary_links(blank.text) == [f"#answer-{question}"]
    assert (await Clarification.select(Clarification.answered_at).first())["answered_at"] is None


async def test_an_evaluator_s_list_says_scored_only_once_every_criterion_of_the_bid_has_their_score(as_user):
    deal = await b.tender()
    alpha = await b.bid(await b.provider("Alpha Care CIC"), deal, 70_000_00)
    beta = await b.bid(await b.provider("Beta Wellbeing CIC", "Cardiff West"), deal, 56_000_00)
    (member,) = await b.panel(deal, cleared=1)
    await b.score(member, alpha, (4, 4, 3))
    await b.score(member, beta, (3,))
    await b.move_clock(b.AFTER)
    for language, scored, not_yet in (("en", "Scored", "Not scored yet"), ("cy", None, None)):
        page = (await (await as_user(member)).get(f"/evaluations/{deal.id}?lang={language}")).text
        rows = {row[0]: row[1] for row in table_rows(page) if len(row) == 2}
        assert set(rows) == {"Alpha Care CIC", "Beta Wellbeing CIC"}
        if scored is not None:
            assert rows == {"Alpha Care CIC": scored, "Beta Wellbeing CIC": not_yet}
        else:
            assert rows["Alpha Care CIC"] != rows["Beta Wellbeing CIC"]


async def test_a_moderated_score_with_no_reason_is_refused_on_its_own_small_form(as_user):
    done = await b.evaluated()
    http = await as_user(done.deal.commissioner)
    await b.move_clock(b.AFTER)
    overview = f"/specifications/{done.deal.id}/evaluation"
    refused = await _send(
        http, overview, f"/specifications/{done.deal.id}/moderation/{done.beta_bid}", {"scores-2-score": "3"}
    )
    assert refused.status_code == 400
    assert error_summary_links(refused.text) == [f"#moderate-{done.beta_bid}-scores-2-reason"]
    assert "Choose the moderated score from 0 to 5 and give the reason" in text_of(refused.text)


async def test_an_attachment_left_out_or_of_the_wrong_kind_is_refused_on_the_file_input(as_user, monkeypatch, tmp_path):
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", tmp_path / "attachments")
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00, submit=False)
    http = await as_user(alpha)
    await b.move_clock(b.BEFORE)
    form = f"/specifications/{deal.id}/bid"
    token = csrf_from((await http.get(form)).text)
    attach = f"/bids/{bid_id}/attachments"

    missing = await http.post(attach, data={"_csrf_token": token}, files={"file": ("", b"", "application/pdf")})
    assert missing.status_code == 400 and error_summary_links(missing.text) == ["#file"]
    assert "Choose a file to attach" in text_of(missing.text)
    assert 'value="70000.00"' in missing.text, "the saved bid is shown as it was"
    wrong = await http.post(attach, data={"_csrf_token": token}, files={"file": ("plan.txt", b"hello", "text/plain")})
    assert wrong.status_code == 400 and error_summary_links(wrong.text) == ["#file"]
    assert "The file must be a PDF" in text_of(wrong.text)
    pdf = await http.post(attach, data={"_csrf_token": token}, files={"file": ("plan.pdf", PDF, "application/pdf")})
    assert pdf.status_code in (302, 303) and pdf.headers["location"] == form


async def test_an_attachment_over_10_mib_or_also_a_web_page_is_refused_on_the_file_input(
    as_user, monkeypatch, tmp_path
):
    """Issue 11, item 6: a file one byte over 10 MiB, or a PDF that is also HTML, is shown in the error summary."""
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", tmp_path / "attachments")
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00, submit=False)
    http = await as_user(alpha)
    await b.move_clock(b.BEFORE)
    token = csrf_from((await http.get(f"/specifications/{deal.id}/bid")).text)
    attach = f"/bids/{bid_id}/attachments"
    too_large = PDF + b"0" * (10 * 1024 * 1024 + 1 - len(PDF))
    for content, words in ((too_large, "10 MB or smaller"), (PDF + b"<script>alert(1)</script>", "web page")):
        sent = await http.post(attach, data={"_csrf_token": token}, files={"file": ("plan.pdf", content)})
        assert sent.status_code == 400 and error_summary_links(sent.text) == ["#file"]
        assert words in text_of(sent.text)
    assert (await http.get(f"/api/v1/bids/{bid_id}")).json()["attachments"] == []
