"""Bidding, evaluation and award in the browser's HTML: a provider saves a draft then submits; a bad price re-renders
with the error summary; before the deadline the commissioner's pages show neither bidders nor a count; evaluators
declare and score; the commissioner moderates and awards; the award page shows the standstill and an unsuccessful
bidder's scores beside the winner's; the inbox lists notices."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from accounts.actor import Role
from commissioning.services import evaluation, specifications
from commissioning.tables import Award, Bid, Declaration, ModeratedScore, Representation, Score
from tests import bidding_support as b
from tests.conftest import csrf_from, make_actor
from tests.pages.markup import error_summary_links, fields_in_error, html_lang, success_banner, table_rows, text_of

pytestmark = pytest.mark.usefixtures("menu")


async def _send(http: httpx.AsyncClient, form_path: str, post_path: str, data: dict[str, Any]) -> httpx.Response:
    """Open the form for its CSRF token and send it, as a browser does."""
    page = await http.get(form_path)
    assert page.status_code == 200, page.text[:500]
    return await http.post(post_path, data={**data, "_csrf_token": csrf_from(page.text)})


def _redirected(response: httpx.Response, path: str) -> str:
    assert response.status_code in (302, 303), response.text[:800]
    assert response.headers["location"] == path
    return path


def _bid_form(price: str, *, action: str, answers: int = b.CRITERIA) -> dict[str, str]:
    return {
        "price-2027": price,
        **{f"answer-{n}": f"Our approach to criterion {n + 1}" for n in range(answers)},
        "staff": "2 WTE link workers",
        "day": "1",
        "month": "4",
        "year": "2027",
        "action": action,
    }


async def test_a_provider_saves_a_draft_then_submits_the_bid_through_the_form(as_user):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    http = await as_user(alpha)
    await b.move_clock(b.BEFORE)
    form = f"/specifications/{deal.id}/bid"

    saved = await _send(http, form, form, _bid_form("70000", action="draft", answers=1))
    page = (await http.get(_redirected(saved, form))).text
    assert "Your draft bid is saved" in (success_banner(page) or "")
    assert "Draft, not submitted" in text_of(page)
    assert (await Bid.select(Bid.status).first())["status"] == "draft"

    submitted = await _send(http, form, form, _bid_form("69500.50", action="submit"))
    page = (await http.get(_redirected(submitted, form))).text
    assert "Your bid is submitted" in (success_banner(page) or "")
    assert "Submitted" in text_of(page)
    row = await Bid.select(Bid.status, Bid.staff).first()
    assert row == {"status": "submitted", "staff": "2 WTE link workers"}
    mine = await http.get("/bids")
    assert [r[:3] for r in table_rows(mine.text)] == [[deal.spec.reference, "Submitted", "£69,500.50"]]
    cymraeg = await http.get(f"{form}?lang=cy")
    assert cymraeg.status_code == 200 and html_lang(cymraeg.text) == "cy"


async def test_a_bad_or_too_high_price_is_shown_in_the_error_summary_and_nothing_is_saved(as_user):
    deal = await b.tender(max_pence=80_000_00)
    http = await as_user(await b.provider("Alpha Care CIC"))
    await b.move_clock(b.BEFORE)
    form = f"/specifications/{deal.id}/bid"

    bad = await _send(http, form, form, _bid_form("seventy thousand", action="submit"))
    assert bad.status_code == 400
    assert error_summary_links(bad.text) == ["#price-2027"]
    assert "price-2027" in fields_in_error(bad.text)
    assert 'value="seventy thousand"' in bad.text

    too_high = await _send(http, form, form, _bid_form("80000.01", action="submit"))
    assert too_high.status_code == 400
    assert error_summary_links(too_high.text) == ["#price-2027"]
    assert "The price for 2027-28 is above the maximum of £80,000.00" in text_of(too_high.text)

    unanswered = await _send(http, form, form, _bid_form("70000", action="submit", answers=2))
    assert unanswered.status_code == 400 and error_summary_links(unanswered.text) == ["#answer-2"]
    assert await Bid.count() == 0


async def test_before_the_deadline_the_commissioners_pages_show_no_bidder_and_no_count(as_user):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    beta = await b.provider("Beta Wellbeing CIC", "Cardiff West")
    await b.bid(alpha, deal, 70_000_00)
    await b.bid(beta, deal, 56_000_00)
    member = await make_actor(Role.EVALUATOR)
    await evaluation.name_evaluator(
        actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.BEFORE
    )
    commissioner = await as_user(deal.commissioner)
    public = await as_user(None)
    evaluator = await as_user(member)
    await b.move_clock(b.BEFORE)

    pages = {
        "evaluation": (await commissioner.get(f"/specifications/{deal.id}/evaluation")).text,
        "evaluation cy": (await commissioner.get(f"/specifications/{deal.id}/evaluation?lang=cy")).text,
        "specification": (await commissioner.get(f"/specifications/{deal.id}")).text,
        "public specification": (await public.get(f"/specifications/{deal.id}")).text,
        "evaluator": (await evaluator.get(f"/evaluations/{deal.id}")).text,
    }
    for name, page in pages.items():
        text = text_of(page)
        assert "Alpha Care CIC" not in text and "Beta Wellbeing CIC" not in text, name
        assert "2 bids" not in text and "/ 2" not in text and "0 / " not in text, name
    assert "Bids are sealed until" in text_of(pages["evaluation"])
    assert member.full_name in text_of(pages["evaluation"])  # the panel can be named meanwhile, shown by name

    await specifications.begin_evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    await b.move_clock(b.AFTER)
    opened = text_of((await commissioner.get(f"/specifications/{deal.id}/evaluation")).text)
    assert "0 / 2" in opened  # the panel's progress, now that the bids are open
    declaring = text_of((await evaluator.get(f"/evaluations/{deal.id}")).text)
    assert "Alpha Care CIC" in declaring and "Declare your interests" in declaring


async def test_evaluators_declare_and_score_through_the_forms_and_a_conflict_recuses(as_user):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    alpha_bid = await b.bid(alpha, deal, 70_000_00)
    await specifications.begin_evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    cleared, conflicted = await make_actor(Role.EVALUATOR), await make_actor(Role.EVALUATOR)
    for member in (cleared, conflicted):
        await evaluation.name_evaluator(
            actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.AFTER
        )
    await b.move_clock(b.AFTER)
    panel = f"/evaluations/{deal.id}"
    declare = f"{panel}/declaration"

    http = await as_user(cleared)
    unanswered = await _send(http, panel, declare, {})
    assert unanswered.status_code == 400 and error_summary_links(unanswered.text) == ["#conflict"]
    page = (await http.get(_redirected(await _send(http, panel, declare, {"conflict": "no"}), panel))).text
    assert "Your declaration is recorded" in (success_banner(page) or "")
    score_path = f"{panel}/bids/{alpha_bid}"
    assert f'href="{score_path}"' in page

    scores = {"score-0": "4", "why-0": "Clear model", "score-1": "4", "why-1": "Staffed", "score-2": "3"}
    missing = await _send(http, score_path, score_path, scores)
    assert missing.status_code == 400 and error_summary_links(missing.text) == ["#why-2"]
    assert await Score.count() == 0
    saved = await _send(http, score_path, score_path, {**scores, "why-2": "Some gaps"})
    page = (await http.get(_redirected(saved, panel))).text
    assert "Your scores are saved" in (success_banner(page) or "")
    assert sorted(row["score"] for row in await Score.select(Score.score)) == [3, 4, 4]

    recused = await as_user(conflicted)
    sent = await _send(
        recused,
        panel,
        declare,
        {"conflict": "yes", "known": str(alpha.delivery_vehicle_id), "statement": "I chair Alpha's board"},
    )
    page = (await recused.get(_redirected(sent, panel))).text
    assert "recused" in text_of(page)
    assert f'href="{score_path}"' not in page
    assert (await recused.get(score_path)).status_code == 404
    declaration = await Declaration.select(Declaration.conflict).where(Declaration.user == conflicted.user_id)
    assert declaration == [{"conflict": True}]


async def test_the_commissioner_moderates_sees_the_ranking_and_issues_the_notice_through_the_forms(as_user):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    beta = await b.provider("Beta Wellbeing CIC", "Cardiff West")
    alpha_bid, beta_bid = await b.bid(alpha, deal, 70_000_00), await b.bid(beta, deal, 56_000_00)
    (member,) = await b.panel(deal, cleared=1)
    await b.score(member, alpha_bid, (4, 4, 3))
    await b.score(member, beta_bid, (3, 3, 3))
    http = await as_user(deal.commissioner)
    await b.move_clock(b.AFTER)
    overview = f"/specifications/{deal.id}/evaluation"

    moderate = f"/specifications/{deal.id}/moderation/{alpha_bid}"
    page = (await http.get(overview)).text
    assert "Evidence for 4" in text_of(page), "each evaluator's reason is shown beside their score"
    no_reason = await _send(http, overview, moderate, {"scores-1-score": "4"})
    assert no_reason.status_code == 400
    assert error_summary_links(no_reason.text) == [f"#moderate-{alpha_bid}-scores-1-reason"], "on criterion 2's reason"
    assert await ModeratedScore.count() == 0
    # One form records the bid's three moderated scores together.
    every = {
        f"scores-{n}-{k}": v for n, s in enumerate((4, 4, 3)) for k, v in (("score", str(s)), ("reason", "Agreed"))
    }
    _redirected(await _send(http, overview, moderate, every), f"{overview}#moderation")
    assert await ModeratedScore.count() == 3
    await b.moderate(deal, beta_bid, (3, 3, 3))

    page = (await http.get(overview)).text
    ranking = [row for row in table_rows(page) if row and row[0] in ("1", "2")]
    assert [row[1:] for row in ranking] == [
        ["Alpha Care CIC", "46.00", "32.00", "78.00"],
        ["Beta Wellbeing CIC", "36.00", "40.00", "76.00"],
    ]
    assert "Equal totals are split by the higher quality score" in text_of(page)

    await b.move_clock(b.AWARDED)
    no_rationale = await _send(http, overview, f"/specifications/{deal.id}/award", {"bid_id": str(alpha_bid)})
    assert no_rationale.status_code == 400 and error_summary_links(no_rationale.text) == ["#rationale"]
    answers = {"bid_id": str(alpha_bid), "rationale": "Highest total"}
    checked = await _send(http, overview, f"/specifications/{deal.id}/award", answers)
    assert checked.status_code == 200 and "Check before you issue the notice" in text_of(checked.text)
    assert await Award.count() == 0, "the check writes nothing"
    made = await http.post(
        f"/specifications/{deal.id}/award", data={**answers, "confirm": "yes", "_csrf_token": csrf_from(checked.text)}
    )
    award_id = (await Award.select(Award.id).first())["id"]
    page = (await http.get(_redirected(made, f"/awards/{award_id}"))).text
    assert "standstill has begun" in (success_banner(page) or "")


async def test_the_award_page_shows_standstill_and_an_unsuccessful_bidders_scores_beside_the_winners(as_user):
    done = await b.evaluated()
    intention = await b.intend(done)
    await b.move_clock(b.LAST_DAY_OF_STANDSTILL)
    path = f"/awards/{intention.id}"

    public = text_of((await (await as_user(None)).get(path)).text)
    assert "4 January 2027" in public and "5 January 2027" in public and "Alpha Care CIC" in public
    cymraeg = (await (await as_user(None)).get(f"{path}?lang=cy")).text
    assert html_lang(cymraeg) == "cy"

    beta = await as_user(done.beta)
    page = (await beta.get(path)).text
    assert "Your scores beside the winner's" in text_of(page)
    rows = table_rows(page)
    assert [row[1:] for row in rows[:3]] == [["3", "4"], ["3", "4"], ["3", "3"]]
    assert rows[3][1:] == ["36.00", "46.00"] and rows[-1][1:] == ["76.00", "78.00"]

    commissioner = await as_user(done.deal.commissioner)
    page = text_of((await commissioner.get(path)).text)
    assert "The standstill has not ended. The contract can be made from 5 January 2027" in page
    refused = await _send(commissioner, path, f"{path}/confirm", {})
    assert refused.status_code == 409
    assert error_summary_links(refused.text) == ["#confirm"]
    assert "The contract can be made from 5 January 2027" in text_of(refused.text)

    lodged = await _send(beta, path, f"{path}/representations", {"text": "Our price was lower"})
    _redirected(lodged, path)
    winner = text_of((await (await as_user(done.alpha)).get(path)).text)
    assert "Make a representation" not in winner and "Our price was lower" not in winner
    await b.move_clock(b.CONFIRMABLE)
    held = await _send(commissioner, path, f"{path}/confirm", {})
    assert held.status_code == 409 and "(1 open)" in text_of(held.text)
    representation = (await Representation.select(Representation.id).first())["id"]
    _redirected(
        await _send(commissioner, path, f"{path}/representations/{representation}/answer", {"answer": "Quality won"}),
        path,
    )
    page = (await commissioner.get(_redirected(await _send(commissioner, path, f"{path}/confirm", {}), path))).text
    assert "The contract is made" in (success_banner(page) or "")
    assert "Award notice" in text_of(page)


async def test_the_inbox_lists_each_users_notices_in_their_language_and_marks_them_read(as_user):
    done = await b.evaluated(language="cy")
    await b.intend(done)
    english = await as_user(done.beta)
    page = (await english.get("/inbox")).text
    assert f"Intention to award: {done.deal.spec.title}" in text_of(page)
    assert "Bid received" in text_of(page)
    assert "/awards/" in page
    cymraeg = await as_user(done.alpha)
    welsh_page = (await cymraeg.get("/inbox")).text
    assert done.deal.spec.title_cy in text_of(welsh_page)
    assert done.deal.spec.title_cy not in text_of(page)
    assert page.count("nhsuk-tag--blue") == 2  # "New" beside each unread notice
    _redirected(await _send(english, "/inbox", "/inbox/read", {}), "/inbox")
    assert (await english.get("/inbox")).text.count("nhsuk-tag--blue") == 0
    listed = (await english.get("/api/v1/notifications")).json()
    assert listed["total"] == 2 and all(item["read"] for item in listed["items"])


async def test_a_representation_is_offered_only_to_a_losing_bidder_during_standstill(as_user):
    done = await b.evaluated()
    intention = await b.intend(done)
    path = f"/awards/{intention.id}"
    await b.move_clock(b.LAST_DAY_OF_STANDSTILL)
    assert "Make a representation" in text_of((await (await as_user(done.beta)).get(path)).text)
    # A provider that did not bid has nothing to contest (the service refuses it too).
    bystander = await b.provider("Gamma Health CIC")
    assert "Make a representation" not in text_of((await (await as_user(bystander)).get(path)).text)
    # After the last day of standstill nobody is offered it.
    await b.move_clock(b.CONFIRMABLE)
    assert "Make a representation" not in text_of((await (await as_user(done.beta)).get(path)).text)


async def test_the_commissioner_removes_an_evaluator_who_never_declares_and_the_evaluation_goes_on(as_user):
    """Issue 10 bug 2, through the page: the panel waits on a silent member until they are removed with a reason."""
    deal, _, silent = await b.scored_but_for_a_silent_member()
    await b.move_clock(b.AFTER)
    http = await as_user(deal.commissioner)
    page = await http.get(f"/specifications/{deal.id}/evaluation?lang=en")
    assert "Moderation opens when every evaluator on the panel has declared" in text_of(page.text)
    blank = await http.post(
        f"/specifications/{deal.id}/panel/removal",
        data={"_csrf_token": csrf_from(page.text), "user_id": str(silent.user_id), "reason": ""},
    )
    assert blank.status_code == 400 and error_summary_links(blank.text) == ["#reason"]
    removed = await http.post(
        f"/specifications/{deal.id}/panel/removal",
        data={"_csrf_token": csrf_from(page.text), "user_id": str(silent.user_id), "reason": "On long leave"},
    )
    assert removed.status_code in (302, 303)
    page = await http.get(f"/specifications/{deal.id}/evaluation?lang=en")
    assert "Moderation opens when" not in text_of(page.text)


async def test_an_open_specification_invites_each_reader_who_could_bid_and_warns_a_vehicle_it_does_not_serve(as_user):
    """Issue 10 bullets 15 and 4: the public is invited to sign in; a provider user without a vehicle to register
    one; a vehicle outside the specification's clusters is told so before it starts, and offered no bid."""
    deal = await b.tender()  # Cardiff North and West
    await b.move_clock(b.BEFORE)
    url = f"/specifications/{deal.id}?lang=en"

    public = text_of((await (await as_user(None)).get(url)).text)
    assert "Sign in to bid" in public
    serving = (await (await as_user(await b.provider("North CIC", "Cardiff North"))).get(url)).text
    assert "Make or change your bid" in text_of(serving) and "Sign in to bid" not in text_of(serving)
    elsewhere = (await (await as_user(await b.provider("East CIC", "Cardiff East"))).get(url)).text
    assert "does not serve any of this specification's clusters" in text_of(elsewhere)
    assert f'href="/specifications/{deal.id}/bid"' not in elsewhere
    no_vehicle = text_of((await (await as_user(await make_actor(Role.PROVIDER))).get(url)).text)
    assert "register your delivery vehicle first" in no_vehicle


async def test_the_specification_pdf_carries_the_published_answers_and_the_address_of_its_page(as_user):
    """Issue 10 bullet 15: the PDF a provider prints has what the page has, and says where the page is."""
    import subprocess
    import tempfile

    from commissioning.services.clarifications import answer_clarification, ask_clarification

    deal = await b.tender()
    asker = await b.provider("North CIC", "Cardiff North")
    question = await ask_clarification(
        actor=asker, specification_id=deal.id, question="May we use practice rooms?", now=b.BEFORE
    )
    await answer_clarification(
        actor=deal.commissioner, clarification_id=question, answer="Yes, two days a week.", now=b.BEFORE
    )
    await ask_clarification(actor=asker, specification_id=deal.id, question="Unanswered one?", now=b.BEFORE)
    await b.move_clock(b.BEFORE)
    pdf = await (await as_user(None)).get(f"/specifications/{deal.id}/specification.pdf?lang=en")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf.content)
        handle.flush()
        text = " ".join(subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, text=True).stdout.split())
    assert "Question: May we use practice rooms?" in text and "Answer: Yes, two days a week." in text
    assert "Unanswered one?" not in text, "only published answers"
    assert f"http://testserver/specifications/{deal.id}" in text


async def test_a_provider_checks_the_whole_bid_before_submitting_it(as_user):
    """Issue 10 bullet 9: "Continue" saves a draft and shows every answer with a link to change it; only then is
    the bid submitted. A bid missing an answer is refused at the submit step and stays a draft."""
    deal = await b.tender()
    http = await as_user(await b.provider("Alpha Care CIC"))
    await b.move_clock(b.BEFORE)
    form = f"/specifications/{deal.id}/bid"

    partly = await _send(http, form, form, _bid_form("70000", action="check", answers=1))
    check = _redirected(partly, f"{form}/check")
    page = (await http.get(check)).text
    assert (await Bid.select(Bid.status).first())["status"] == "draft", "nothing is submitted before the check"
    assert "£70,000.00" in text_of(page) and "Not answered" in text_of(page)
    assert f'href="{form}#answer-1"' in page, "each answer links back to change it"
    bid_id = (await Bid.select(Bid.public_id).first())["public_id"]  # the id the routes take
    refused = await _send(http, check, f"/bids/{bid_id}/submit", {})
    assert refused.status_code == 400 and error_summary_links(refused.text) == ["#submit-bid"]
    assert (await Bid.select(Bid.status).first())["status"] == "draft"

    whole = await _send(http, form, form, _bid_form("69500.50", action="check"))
    _redirected(whole, f"{form}/check")
    submitted = await _send(http, check, f"/bids/{bid_id}/submit", {})
    page = (await http.get(_redirected(submitted, form))).text
    assert "Your bid is submitted" in (success_banner(page) or "")
    assert (await Bid.select(Bid.status).first())["status"] == "submitted"
    # Another vehicle's bid cannot be submitted through its id: it answers as an absent one.
    other = await as_user(await b.provider("Beta CIC", "Cardiff West"))
    stranger = await _send(other, f"/specifications/{deal.id}", f"/bids/{bid_id}/submit", {})
    absent = await _send(other, f"/specifications/{deal.id}", "/bids/999999/submit", {})
    assert stranger.status_code == absent.status_code == 404


async def test_the_make_the_contract_button_appears_only_once_the_contract_can_be_made(as_user):
    """Issue 10 bullet 9: until standstill ends and every representation is answered the page says why and from
    when, and offers no button."""
    from commissioning.services import award as award_service

    done = await b.evaluated()
    intention = await b.intend(done)
    await award_service.lodge_representation(
        actor=done.beta, award_id=intention.id, text="We object", now=b.LAST_DAY_OF_STANDSTILL
    )
    http = await as_user(done.deal.commissioner)
    notice = f"/awards/{intention.id}?lang=en"

    await b.move_clock(b.AWARDED)
    page = (await http.get(notice)).text
    assert "The contract can be made from 5 January 2027" in text_of(page) and 'id="confirm"' not in page
    await b.move_clock(b.CONFIRMABLE)
    page = (await http.get(notice)).text
    assert "1 representation is waiting for your answer" in text_of(page) and 'id="confirm"' not in page
    (row,) = await Representation.select(Representation.id)
    await award_service.answer_representation(
        actor=done.deal.commissioner, representation_id=row["id"], answer="Considered; it stands.", now=b.CONFIRMABLE
    )
    page = (await http.get(notice)).text
    assert 'id="confirm"' in page and "This cannot be undone" in text_of(page)


async def test_text_holding_nul_is_refused_on_its_field_and_nothing_is_saved(as_user):
    """Issue 11, item 7: on PostgreSQL a NUL reached the database (a 404 page); on SQLite it was stored."""
    deal = await b.tender()
    http = await as_user(await b.provider("Alpha Care CIC"))
    await b.move_clock(b.BEFORE)
    form = f"/specifications/{deal.id}/bid"

    typed = {**_bid_form("70000", action="draft"), "staff": "2 WTE\x00", "answer-1": "Our\x00approach"}
    refused = await _send(http, form, form, typed)
    assert refused.status_code == 400
    assert sorted(error_summary_links(refused.text)) == ["#answer-1", "#staff"]
    assert "Text cannot contain the NUL character" in text_of(refused.text)
    assert await Bid.count() == 0
