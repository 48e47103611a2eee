"""The maturity pages as a person meets them: forms with the NHS.UK error summary, check pages before the final
steps, the vehicle's chart with its table, in English and Welsh."""

from __future__ import annotations

import re

from maturity.services import assessments
from tests.conftest import csrf_from
from tests.maturity_support import NOW, all_answers, confirming, reviewed, world
from tests.pages.markup import (
    error_summary_links,
    fields_in_error,
    html_lang,
    success_banner,
    table_rows,
    text_of,
    welsh,
)


async def _form(http, path: str, **values):
    page = await http.get(path)
    assert page.status_code == 200, page.text
    return {**values, "_csrf_token": csrf_from(page.text)}


async def test_the_self_assessment_form_saves_a_draft_then_the_check_page_refuses_submission_field_by_field(as_user):
    w = await world()
    http = await as_user(w.provider)
    data = await _form(http, "/maturity")
    started = await http.post("/maturity/assessments", data=data)
    assert started.status_code in (302, 303)
    base = started.headers["location"].removesuffix("/self-assessment")
    form_page = await http.get(f"{base}/self-assessment")
    assert "Governance" in form_page.text and "Patient engagement" in form_page.text
    first, second = w.domain_ids[:2]
    data = await _form(
        http,
        f"{base}/self-assessment",
        **{f"level-{first}": "3", f"evidence-{first}": "Board minutes", "then": "check"},
    )
    saved = await http.post(f"{base}/self-assessment", data=data)
    assert saved.status_code in (302, 303) and saved.headers["location"] == f"{base}/submit"
    check = await http.get(f"{base}/submit")
    assert "Check your answers before you submit" in check.text
    refused = await http.post(f"{base}/submit", data={"_csrf_token": csrf_from(check.text)})
    assert refused.status_code == 400
    links = error_summary_links(refused.text)
    assert f"{base}/self-assessment#level-{second}" in re.findall(r'href="([^"]+#level-\d+)"', refused.text)
    assert f"{base}/self-assessment#evidence-{first}" not in refused.text
    assert links == [] or all(link.startswith("#") for link in links)  # links lead to the form page, not this one
    assert "Give the evidence for Finance" in text_of(refused.text)


async def test_the_self_assessment_form_shows_a_level_out_of_range_on_its_field(as_user):
    w = await world()
    assessment_id = await assessments.start_assessment(actor=w.provider, now=NOW)
    http = await as_user(w.provider)
    base = f"/maturity/assessments/{assessment_id}"
    first = w.domain_ids[0]
    data = await _form(http, f"{base}/self-assessment", **{f"level-{first}": "7", f"evidence-{first}": "x"})
    refused = await http.post(f"{base}/self-assessment", data=data)
    assert refused.status_code == 400
    assert f"#level-{first}" in error_summary_links(refused.text)
    assert f"level-{first}" in fields_in_error(refused.text)


async def test_submitting_from_the_check_page_moves_it_on_with_a_success_message(as_user):
    w = await world()
    assessment_id = await assessments.start_assessment(actor=w.provider, now=NOW)
    await assessments.save_self_assessment(actor=w.provider, assessment_id=assessment_id, data=all_answers(w), now=NOW)
    http = await as_user(w.provider)
    base = f"/maturity/assessments/{assessment_id}"
    data = await _form(http, f"{base}/submit")
    done = await http.post(f"{base}/submit", data=data, follow_redirects=True)
    assert "Your self-assessment is submitted" in (success_banner(done.text) or "")
    assert "Submitted" in text_of(done.text) and "submitted" not in re.findall(r">\s*(\w+)\s*<", done.text)


async def test_naming_someone_who_is_not_a_peer_shows_the_error_on_the_reviewer_field(as_user):
    w = await world()
    from tests.maturity_support import submitted

    assessment_id = await submitted(w)
    http = await as_user(w.commissioner)
    base = f"/maturity/assessments/{assessment_id}"
    form_page = await http.get(f"{base}/reviewer")
    options = text_of(re.search(r"<select.*?</select>", form_page.text, re.S).group(0))
    assert "Peredur Peer, Bay Wellbeing CIC" in options and "Siân Swansea, Commissioner" in options
    assert "Alys Provider" not in options and "Carys Commissioner" not in options
    data = {"reviewer_id": str(w.provider.user_id), "_csrf_token": csrf_from(form_page.text)}
    refused = await http.post(f"{base}/reviewer", data=data)
    assert refused.status_code == 400
    assert error_summary_links(refused.text) == ["#reviewer_id"]
    data["reviewer_id"] = str(w.peer.user_id)
    named = await http.post(f"{base}/reviewer", data=data, follow_redirects=True)
    assert "The peer reviewer is named" in (success_banner(named.text) or "")


async def test_the_reviewer_declares_before_seeing_the_answers_and_a_missing_answer_is_named(as_user):
    w = await world()
    from maturity.schemas import ReviewerIn
    from tests.maturity_support import submitted

    assessment_id = await submitted(w)
    await assessments.name_reviewer(
        actor=w.commissioner, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
    )
    http = await as_user(w.peer)
    base = f"/maturity/assessments/{assessment_id}"
    before = await http.get(base)
    assert "Declare your interests" in before.text and "Evidence 0" not in before.text
    refused = await http.post(f"{base}/declaration", data={"_csrf_token": csrf_from(before.text)})
    assert refused.status_code == 400 and error_summary_links(refused.text) == ["#conflict"]
    declared = await http.post(
        f"{base}/declaration", data={"conflict": "no", "_csrf_token": csrf_from(before.text)}, follow_redirects=True
    )
    assert "You can now review" in (success_banner(declared.text) or "")
    assert "Evidence 0" in declared.text


async def test_the_confirm_check_page_shows_the_chosen_levels_and_confirming_makes_them_final(as_user):
    w = await world()
    assessment_id = await reviewed(w, level=2)
    http = await as_user(w.commissioner)
    base = f"/maturity/assessments/{assessment_id}"
    form_page = await http.get(f"{base}/confirm")
    first = w.domain_ids[0]
    answers = {f"level-{d}": "2" for d in w.domain_ids} | {f"level-{first}": "4"}
    refused = await http.post(f"{base}/confirm", data={**answers, "_csrf_token": csrf_from(form_page.text)})
    assert refused.status_code == 400 and error_summary_links(refused.text) == [f"#reason-{first}"]
    answers[f"reason-{first}"] = "Audited governance"
    check = await http.post(f"{base}/confirm", data={**answers, "_csrf_token": csrf_from(form_page.text)})
    assert check.status_code == 200 and "Check the levels before you confirm them" in check.text
    assert "Audited governance" in check.text
    hidden = dict(re.findall(r'<input type="hidden" name="((?:level|reason)-\d+)" value="([^"]*)"', check.text))
    assert hidden == answers
    assert 'name="confirm" value="yes"' in check.text
    done = await http.post(
        f"{base}/confirm",
        data={**hidden, "confirm": "yes", "_csrf_token": csrf_from(check.text)},
        follow_redirects=True,
    )
    assert "They are final" in (success_banner(done.text) or "")
    again = await http.get(f"{base}/confirm")
    assert again.status_code == 403


async def test_the_vehicle_page_shows_the_chart_with_its_table_beside_it_in_english_and_welsh(as_user):
    w = await world()
    assessment_id = await reviewed(w, level=3)
    await assessments.confirm_assessment(
        actor=w.commissioner, assessment_id=assessment_id, data=confirming(w, 3), now=NOW
    )
    http = await as_user(w.provider)
    vehicle_page = await http.get(f"/delivery-vehicles/{w.vehicle_id}")
    assert f'href="/delivery-vehicles/{w.vehicle_id}/maturity"' in vehicle_page.text
    page = await http.get(f"/delivery-vehicles/{w.vehicle_id}/maturity?lang=en")
    assert page.status_code == 200
    svg = re.search(r"<svg[^>]*class=\"app-radar\".*?</svg>", page.text, re.S)
    assert svg and 'role="img"' in svg.group(0) and "<title" in svg.group(0)
    assert "Governance" in svg.group(0)
    assert "<script" not in svg.group(0)
    rows = table_rows(page.text)
    assert ["Governance", "3"] in rows and len(rows) == 7
    welsh_page = await http.get(f"/delivery-vehicles/{w.vehicle_id}/maturity?lang=cy")
    assert html_lang(welsh_page.text) == "cy"
    assert "Llywodraethu" in welsh_page.text and welsh("Levels shown in the chart") in welsh_page.text
    assert ["Llywodraethu", "3"] in table_rows(welsh_page.text)


async def test_the_vehicle_page_is_not_found_for_those_outside_its_scope(as_user):
    w = await world()
    for outsider in (w.peer, w.other_commissioner):
        http = await as_user(outsider)
        assert (await http.get(f"/delivery-vehicles/{w.vehicle_id}/maturity")).status_code == 404
    http = await as_user(w.commissioner)
    page = await http.get(f"/delivery-vehicles/{w.vehicle_id}/maturity")
    assert (
        page.status_code == 200
        and "No maturity assessment of this delivery vehicle has been confirmed yet" in page.text
    )


async def test_the_matrix_form_refuses_an_emptied_descriptor_and_saves_a_change(as_user):
    w = await world()
    http = await as_user(w.admin)
    first = w.domain_ids[0]
    form_page = await http.get(f"/maturity/matrix/{first}")
    assert form_page.status_code == 200
    values = dict(re.findall(r'<input[^>]*name="(name(?:_cy)?)"[^>]*value="([^"]*)"', form_page.text))
    texts = dict(re.findall(r'<textarea[^>]*name="(level_\d(?:_cy)?)"[^>]*>([^<]*)</textarea>', form_page.text, re.S))
    assert values["name"] == "Governance" and len(texts) == 8
    data = {
        **values,
        **{k: v.strip().replace("&#39;", "'") for k, v in texts.items()},
        "_csrf_token": csrf_from(form_page.text),
    }
    refused = await http.post(f"/maturity/matrix/{first}", data={**data, "level_2_cy": " "})
    assert refused.status_code == 400 and error_summary_links(refused.text) == ["#level_2_cy"]
    saved = await http.post(
        f"/maturity/matrix/{first}", data={**data, "name": "Governance and leadership"}, follow_redirects=True
    )
    assert "The domain's words are changed" in (success_banner(saved.text) or "")
    assert "Governance and leadership" in saved.text
    assert (await (await as_user(w.commissioner)).get("/maturity/matrix")).status_code == 403


async def test_the_self_assessment_form_and_its_errors_read_in_welsh(as_user):
    w = await world()
    assessment_id = await assessments.start_assessment(actor=w.provider, now=NOW)
    http = await as_user(w.provider)
    base = f"/maturity/assessments/{assessment_id}"
    form_page = await http.get(f"{base}/self-assessment?lang=cy")
    assert html_lang(form_page.text) == "cy"
    assert "Llywodraethu" in form_page.text and welsh("Your self-assessment") in form_page.text
    assert "Governance" not in text_of(form_page.text)
    check = await http.get(f"{base}/submit?lang=cy")
    refused = await http.post(f"{base}/submit?lang=cy", data={"_csrf_token": csrf_from(check.text)})
    assert refused.status_code == 400
    assert welsh("Give the evidence for %(domain)s", domain="Cyllid") in text_of(refused.text)
    assert welsh("There is a problem") in refused.text


async def test_the_change_link_of_the_confirm_check_page_brings_the_answers_back(as_user):
    w = await world()
    assessment_id = await reviewed(w, level=2)
    http = await as_user(w.commissioner)
    first = w.domain_ids[0]
    back = await http.get(f"/maturity/assessments/{assessment_id}/confirm?level-{first}=4&reason-{first}=Audited")
    assert back.status_code == 200
    assert re.search(rf'<input[^>]*name="level-{first}"[^>]*value="4"[^>]*checked', back.text)
    assert "Audited</textarea>" in back.text
