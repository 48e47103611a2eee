"""A commissioner writes a specification from the menu in the browser, sees the budget effect, publishes it, and it
appears on the public list in both languages with a PDF; form errors re-render with the error summary and write
nothing; publishing beyond headroom re-renders the publish page with the error and earmarks nothing. The check pages
before publishing and cancelling have their own tests (test_check_before_publish_and_cancel.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from commissioning.tables import Plan, Specification, SpecificationCluster
from core.clock import LONDON
from finance.tables import BudgetEarmark
from tests import commissioning_support as support
from tests import factories
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, fields_in_error, html_lang, table_rows, text_of, welsh

TITLE = "Weight management for Cardiff North and West"
TITLE_CY = "Rheoli pwysau i Ogledd a Gorllewin Caerdydd"


async def _post_form(
    http: httpx.AsyncClient, form_path: str, data: dict[str, Any], post_path: str | None = None
) -> Any:
    """Open the form (for its CSRF token) and send it, as a browser does."""
    page = await http.get(form_path)
    assert page.status_code == 200, page.text
    return await http.post(post_path or form_path, data={**data, "_csrf_token": csrf_from(page.text)})


def _redirected_to(response: httpx.Response, path: str) -> None:
    assert response.status_code in (302, 303), response.text[:500]
    assert response.headers["location"] == path


def _deadline_fields(days: int = 30) -> dict[str, str]:
    local = (support.now() + timedelta(days=days)).astimezone(LONDON)
    return {"day": str(local.day), "month": str(local.month), "year": str(local.year), "time": "17:00"}


def _particulars(**changes: str) -> dict[str, str]:
    return {
        "title": TITLE,
        "title_cy": TITLE_CY,
        "description": "Group and one-to-one weight management support for adults.",
        "description_cy": "Cymorth rheoli pwysau mewn grŵp ac un-i-un i oedolion.",
        "plan_priority_id": "",
        "procurement_route": "competitive",
        "clarification_contact": "Cardiff PCPG, pcpg@example.org",
        **_deadline_fields(),
        **changes,
    }


async def _new_draft(http: httpx.AsyncClient) -> int:
    response = await _post_form(
        http,
        "/specifications/new",
        {
            "menu_service_id": str(await support.service_id("obesity")),
            "start_financial_year": "2027",
            "term_years": "2",
            "procurement_route": "competitive",
        },
    )
    assert response.status_code in (302, 303), response.text[:1000]
    found = re.fullmatch(r"/specifications/(\d+)", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


async def _fill_every_section(
    http: httpx.AsyncClient, spec_id: int, lines: list[Any], value: str = "200000.00"
) -> None:
    edit = f"/specifications/{spec_id}/edit"
    _redirected_to(await _post_form(http, f"{edit}/particulars", _particulars()), f"/specifications/{spec_id}")
    clusters = [str(c) for c in await factories.cluster_ids("Cardiff North", "Cardiff West")]
    _redirected_to(await _post_form(http, f"{edit}/clusters", {"cluster_ids": clusters}), f"/specifications/{spec_id}")
    money = {"start_financial_year": "2027", "term_years": "2"}
    for line in lines:
        money[f"year-{line.financial_year}-max_value"] = value
        money[f"year-{line.financial_year}-budget_line_id"] = str(line.id)
    _redirected_to(await _post_form(http, f"{edit}/money", money), f"/specifications/{spec_id}")
    kpis = {
        "kpis-0-name": "Adults completing the programme",
        "kpis-0-name_cy": "Oedolion yn cwblhau'r rhaglen",
        "kpis-0-unit": "%",
        "kpis-0-direction": "higher_is_better",
        "kpis-0-baseline": "40",
        "kpis-0-target": "60",
    }
    _redirected_to(await _post_form(http, f"{edit}/kpis", kpis), f"/specifications/{spec_id}")
    criteria = {
        "criteria-0-title": "Service model",
        "criteria-0-title_cy": "Model gwasanaeth",
        "criteria-0-weight": "40",
        "criteria-1-title": "Workforce",
        "criteria-1-title_cy": "Gweithlu",
        "criteria-1-weight": "25",
        "price_weight": "35",
    }
    _redirected_to(await _post_form(http, f"{edit}/criteria", criteria), f"/specifications/{spec_id}")


async def test_a_commissioner_writes_publishes_and_the_public_finds_the_specification(client, client_as, menu):
    http, _ = await client_as("commissioner")
    lines = await support.lines_for_term(amount_pence=50_000_000)
    spec_id = await _new_draft(http)

    draft_page = await http.get(f"/specifications/{spec_id}")
    assert draft_page.status_code == 200
    assert "Complete the draft" in draft_page.text
    assert "Incomplete" in draft_page.text, "a new draft has sections still to do"

    await _fill_every_section(http, spec_id, lines)
    filled = await http.get(f"/specifications/{spec_id}")
    assert TITLE in filled.text
    assert "Incomplete" not in filled.text

    confirm = await http.get(f"/specifications/{spec_id}/publish")
    assert confirm.status_code == 200
    assert "Effect on the budget" in confirm.text
    assert table_rows(confirm.text) == [
        ["Cardiff, 2027-28, Cluster funding", "£500,000.00", "£500,000.00", "£200,000.00", "£300,000.00"],
        ["Cardiff, 2028-29, Cluster funding", "£500,000.00", "£500,000.00", "£200,000.00", "£300,000.00"],
    ]
    published = await http.post(f"/specifications/{spec_id}/publish", data={"_csrf_token": csrf_from(confirm.text)})
    _redirected_to(published, f"/specifications/{spec_id}")
    assert await BudgetEarmark.count().where(BudgetEarmark.specification == spec_id) == 2

    english = await client.get("/opportunities")
    assert english.status_code == 200 and html_lang(english.text) == "en"
    assert TITLE in english.text and f'href="/specifications/{spec_id}"' in english.text
    assert "£400,000.00" in english.text
    cymraeg = await client.get("/opportunities?lang=cy")
    assert cymraeg.status_code == 200 and html_lang(cymraeg.text) == "cy"
    assert TITLE_CY in cymraeg.text
    assert welsh("Open opportunities") in cymraeg.text

    public = await client.get(f"/specifications/{spec_id}?lang=en")
    assert public.status_code == 200 and html_lang(public.text) == "en"
    assert TITLE in public.text
    assert "Adults completing the programme" in public.text
    assert "Complete the draft" not in public.text
    rows_source = "Cardiff North Cluster Network Action Plan 2017-20, citing PHW Observatory (docslib.org/doc/7597185)"
    assert [row for row in table_rows(public.text) if row[0] in ("Cardiff North", "Cardiff West")] == [
        ["Cardiff North", "107,230", rows_source, "Not given by the source"],
        ["Cardiff West", "Population not known", "–", "–"],
    ]
    assert TITLE_CY in (await client.get(f"/specifications/{spec_id}?lang=cy")).text

    pdf = await client.get(f"/specifications/{spec_id}/specification.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf.content.rstrip().endswith(b"%%EOF")
    welsh_pdf = await client.get(f"/specifications/{spec_id}/specification.pdf?lang=cy")
    assert welsh_pdf.status_code == 200 and welsh_pdf.content.startswith(b"%PDF")


async def test_a_draft_is_not_public_and_only_its_pcpg_sees_it(client, client_as, menu):
    http, _ = await client_as("commissioner")
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    spec_id = await _new_draft(http)
    assert (await client.get(f"/specifications/{spec_id}")).status_code == 404
    assert (await client.get(f"/specifications/{spec_id}/specification.pdf")).status_code == 404
    assert (await swansea.get(f"/specifications/{spec_id}")).status_code == 404
    assert (await swansea.get(f"/specifications/{spec_id}/edit/particulars")).status_code == 404
    assert (await swansea.get(f"/specifications/{spec_id}/publish")).status_code == 404
    assert f'href="/specifications/{spec_id}"' not in (await client.get("/opportunities")).text
    mine = await http.get("/specifications")
    assert f'href="/specifications/{spec_id}"' in mine.text
    assert f'href="/specifications/{spec_id}"' not in (await swansea.get("/specifications")).text


async def test_a_new_draft_without_a_service_re_renders_with_the_error_summary_and_writes_nothing(client_as, menu):
    http, _ = await client_as("commissioner")
    response = await _post_form(
        http,
        "/specifications/new",
        {"menu_service_id": "", "start_financial_year": "2027", "term_years": "2", "procurement_route": "competitive"},
    )
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#menu_service_id"]
    assert "menu_service_id" in fields_in_error(response.text)
    assert await Specification.count() == 0


@pytest.mark.parametrize("year", ["1999", "99999999999"])
async def test_a_first_year_the_form_does_not_offer_is_refused_with_the_error_summary(client_as, menu, year):
    http, _ = await client_as("commissioner")
    response = await _post_form(
        http,
        "/specifications/new",
        {
            "menu_service_id": str(await support.service_id("obesity")),
            "start_financial_year": year,
            "term_years": "2",
            "procurement_route": "competitive",
        },
    )
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#start_financial_year"]
    assert await Specification.count() == 0


@pytest.mark.parametrize("year", ["1999", "99999999999"])
async def test_a_plan_year_the_form_does_not_offer_is_refused_with_the_error_summary(client_as, year):
    http, _ = await client_as("commissioner")
    response = await _post_form(
        http, "/plans/new", {"first_financial_year": year, "title": "Cardiff plan", "title_cy": "Cynllun Caerdydd"}
    )
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#first_financial_year"]
    assert await Plan.count() == 0


async def test_a_commissioner_adds_a_plan_and_a_priority_through_the_forms(client, client_as):
    http, _ = await client_as("commissioner")
    added = await _post_form(
        http, "/plans/new", {"first_financial_year": "2026", "title": "Cardiff plan", "title_cy": "Cynllun Caerdydd"}
    )
    _redirected_to(added, "/plans")
    plan = await Plan.select(Plan.id).first()
    clusters = [str(c) for c in await factories.cluster_ids("Cardiff North", "Cardiff East")]
    missing = await _post_form(http, f"/plans/{plan['id']}/priorities/new", {"title": "", "need": ""})
    assert missing.status_code == 400
    assert set(error_summary_links(missing.text)) == {"#title", "#need", "#cluster_ids"}
    priority = await _post_form(
        http,
        f"/plans/{plan['id']}/priorities/new",
        {"title": "Healthy weight", "title_cy": "Pwysau iach", "need": "Adult obesity", "cluster_ids": clusters},
    )
    _redirected_to(priority, "/plans")
    public = text_of((await client.get("/plans?lang=en")).text)
    assert "Cardiff plan" in public and "Healthy weight" in public
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    assert (await swansea.get(f"/plans/{plan['id']}/priorities/new")).status_code == 404


async def test_the_new_draft_form_offers_only_services_still_on_the_menu(client_as, menu):
    admin, _ = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    retired = await _post_form(admin, f"/menu/{obesity}/retire", {"reason": "Replaced"})
    _redirected_to(retired, f"/menu/{obesity}")
    http, _ = await client_as("commissioner")
    form = (await http.get("/specifications/new")).text
    found = re.search(r'<select[^>]*id="menu_service_id".*?</select>', form, re.S)
    assert found, "the form has a list of services"
    offered = set(re.findall(r'value="(\d+)"', found.group(0)))
    assert str(obesity) not in offered
    assert str(await support.service_id("addiction")) in offered
    assert len(offered) == 22


async def test_a_deadline_in_the_past_re_renders_the_particulars_with_the_error_and_changes_nothing(client_as, menu):
    http, _ = await client_as("commissioner")
    spec_id = await _new_draft(http)
    response = await _post_form(
        http, f"/specifications/{spec_id}/edit/particulars", _particulars(**_deadline_fields(days=-2))
    )
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#bid_deadline_at-day"]
    assert "The bid deadline must be in the future" in text_of(response.text)
    row = await Specification.select(Specification.title, Specification.bid_deadline_at).first()
    assert row == {"title": "Obesity", "bid_deadline_at": None}


async def test_a_date_that_does_not_exist_is_shown_beside_the_deadline(client_as, menu):
    http, _ = await client_as("commissioner")
    spec_id = await _new_draft(http)
    response = await _post_form(
        http, f"/specifications/{spec_id}/edit/particulars", _particulars(day="31", month="2", year="2027")
    )
    assert response.status_code == 400
    assert "#bid_deadline_at-day" in error_summary_links(response.text)
    assert (await Specification.select(Specification.title).first())["title"] == "Obesity"


async def test_weights_not_summing_to_100_re_render_the_criteria_with_the_error_and_change_nothing(client_as, menu):
    http, _ = await client_as("commissioner")
    spec_id = await _new_draft(http)
    response = await _post_form(
        http,
        f"/specifications/{spec_id}/edit/criteria",
        {"criteria-0-title": "Model", "criteria-0-title_cy": "Model", "criteria-0-weight": "50", "price_weight": "40"},
    )
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#price_weight"]
    assert "must add up to 100" in text_of(response.text)
    assert (await Specification.select(Specification.price_weight).first())["price_weight"] == 40


async def test_no_clusters_ticked_re_renders_with_the_error_and_keeps_the_clusters(client_as, menu):
    http, _ = await client_as("commissioner")
    spec_id = await _new_draft(http)
    clusters = [str(c) for c in await factories.cluster_ids("Cardiff North")]
    await _post_form(http, f"/specifications/{spec_id}/edit/clusters", {"cluster_ids": clusters})
    response = await _post_form(http, f"/specifications/{spec_id}/edit/clusters", {})
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#cluster_ids"]
    assert await SpecificationCluster.count() == 1


async def test_a_maximum_value_that_is_not_money_is_shown_beside_its_year(client_as, menu):
    http, _ = await client_as("commissioner")
    lines = await support.lines_for_term()
    spec_id = await _new_draft(http)
    money = {
        "start_financial_year": "2027",
        "term_years": "2",
        "year-2027-max_value": "lots",
        "year-2027-budget_line_id": str(lines[0].id),
        "year-2028-max_value": "1000",
        "year-2028-budget_line_id": "",
    }
    response = await _post_form(http, f"/specifications/{spec_id}/edit/money", money)
    assert response.status_code == 400
    assert set(error_summary_links(response.text)) == {"#year-2027-max_value", "#year-2028-budget_line_id"}
    assert (await http.get(f"/api/v1/specifications/{spec_id}")).json()["years"] == []


async def test_publishing_beyond_headroom_re_renders_the_publish_page_with_the_error_and_earmarks_nothing(
    client_as, menu
):
    http, _ = await client_as("commissioner")
    lines = [
        await support.budget_line(year=2027, amount_pence=50_000_000),
        await support.budget_line(year=2028, amount_pence=15_000_000),
    ]
    spec_id = await _new_draft(http)
    await _fill_every_section(http, spec_id, lines, value="200000.00")
    confirm = await http.get(f"/specifications/{spec_id}/publish")
    assert "Not enough headroom" in confirm.text
    assert table_rows(confirm.text)[1][-1] == "-£50,000.00"
    assert 'id="publish-button"' not in confirm.text
    # Posted all the same (a page opened before the headroom went): the service refuses on its own.
    response = await http.post(f"/specifications/{spec_id}/publish", data={"_csrf_token": csrf_from(confirm.text)})
    assert response.status_code == 409
    assert error_summary_links(response.text) == ["#publish-step"]
    assert 'id="publish-step"' in response.text
    message = text_of(response.text)
    assert "2028-29" in message and "£50,000.00 short" in message
    assert await BudgetEarmark.count() == 0
    assert (await Specification.select(Specification.status).first())["status"] == "draft"


async def test_publishing_an_incomplete_draft_lists_what_is_missing_instead_of_the_button(client_as, menu):
    http, _ = await client_as("commissioner")
    spec_id = await _new_draft(http)
    confirm = await http.get(f"/specifications/{spec_id}/publish")
    assert confirm.status_code == 200
    assert "Before you can publish" in confirm.text
    assert "Select the clusters the service covers" in confirm.text
    assert 'id="publish-button"' not in confirm.text


async def test_a_commissioner_cancels_a_published_specification_with_a_reason_and_the_money_is_released(
    client, client_as, menu
):
    http, actor = await client_as("commissioner")
    spec = await support.published(actor, await support.lines_for_term())
    empty = await _post_form(http, f"/specifications/{spec.id}/cancel", {"reason": ""})
    assert empty.status_code == 400
    assert error_summary_links(empty.text) == ["#reason"]
    reason = await _post_form(http, f"/specifications/{spec.id}/cancel", {"reason": "Need met by the health board"})
    _redirected_to(reason, f"/specifications/{spec.id}/cancel/check?reason=Need+met+by+the+health+board")
    assert await BudgetEarmark.count().where(BudgetEarmark.released_at.is_null()) == 2, "nothing before the check"
    done = await _post_form(
        http,
        reason.headers["location"],
        {"reason": "Need met by the health board", "confirm": "yes"},
        post_path=f"/specifications/{spec.id}/cancel",
    )
    _redirected_to(done, f"/specifications/{spec.id}")
    page = text_of((await client.get(f"/specifications/{spec.id}")).text)
    assert "Need met by the health board" in page
    assert await BudgetEarmark.count().where(BudgetEarmark.released_at.is_null()) == 0


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_opportunities_list_filters_by_health_board(client, client_as, menu, lang):
    _, actor = await client_as("commissioner")
    spec = await support.published(actor, await support.lines_for_term())
    board = spec.health_board_id
    shown = await client.get(f"/opportunities?health_board={board}&lang={lang}")
    assert f'href="/specifications/{spec.id}"' in shown.text
    other = await factories.reference_id(factories.HealthBoard, "Swansea Bay University Health Board")
    hidden = await client.get(f"/opportunities?health_board={other}&lang={lang}")
    assert f'href="/specifications/{spec.id}"' not in hidden.text


async def test_a_provider_asks_a_question_on_the_page_and_the_commissioner_answers_it(client, client_as, menu):
    commissioner, actor = await client_as("commissioner")
    spec = await support.published(actor, await support.lines_for_term())
    provider, _ = await client_as("provider", delivery_vehicle_id=(await factories.create_vehicle()).id)
    asked = await _post_form(
        provider,
        f"/specifications/{spec.id}",
        {"question": "Can sessions run in the evening?"},
        post_path=f"/specifications/{spec.id}/questions",
    )
    _redirected_to(asked, f"/specifications/{spec.id}#questions")
    assert "Can sessions run in the evening?" not in (await client.get(f"/specifications/{spec.id}")).text
    page = (await commissioner.get(f"/specifications/{spec.id}")).text
    found = re.search(r'action="/questions/(\d+)/answer"', page)
    assert found, "the commissioner sees the question with a form to answer it"
    answered = await commissioner.post(
        f"/questions/{found.group(1)}/answer",
        data={"answer": "Yes, until 8pm.", "specification_id": str(spec.id), "_csrf_token": csrf_from(page)},
    )
    _redirected_to(answered, f"/specifications/{spec.id}#questions")
    public = (await client.get(f"/specifications/{spec.id}")).text
    assert "Can sessions run in the evening?" in public and "Yes, until 8pm." in public


async def test_the_commissioners_list_marks_the_status_filter_in_use_and_links_the_others(client_as):
    http, _ = await client_as("commissioner")
    page = (await http.get("/specifications?status=draft&lang=cy")).text
    nav = page[page.index('<nav aria-label="Hidlo yn ôl statws">') :]
    nav = nav[: nav.index("</nav>")]
    assert "<strong>Drafft</strong>" in nav
    assert '<a href="/specifications">' in nav
    assert "/specifications?status=draft" not in nav
    everything = (await http.get("/specifications?lang=en")).text
    assert "<strong>All</strong>" in everything and "/specifications?status=draft" in everything
