"""The menu pages (anyone browses; national admins add, edit and retire through forms) and the budget pages (finance
directors set and change their health board's lines; commissioners read theirs)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import httpx

from finance.tables import BudgetLine
from menu.tables import MenuService, MenuServiceVersion
from tests import commissioning_support as support
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, fields_in_error, html_lang, input_value, table_rows, text_of


async def _post_form(http: httpx.AsyncClient, path: str, data: dict[str, Any], form_path: str | None = None) -> Any:
    page = await http.get(form_path or path)
    assert page.status_code == 200, page.text[:500]
    return await http.post(path, data={**data, "_csrf_token": csrf_from(page.text)})


class _Form(HTMLParser):
    """What a browser would send for the form as shown: inputs, checked radios, textareas, selected options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name", "")
        if tag == "input" and name and (found.get("type") != "radio" or "checked" in found):
            self.values[name] = found.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self.values[self._select] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def form_values(page: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(page)
    return parser.values


def _redirected_to(response: httpx.Response, path: str) -> None:
    assert response.status_code in (302, 303), response.text[:1000]
    assert response.headers["location"] == path


NEW_SERVICE = {
    "code": "falls-prevention",
    "name": "Falls prevention",
    "name_cy": "Atal cwympiadau",
    "description": "Strength and balance classes for older people.",
    "description_cy": "Dosbarthiadau cryfder a chydbwysedd i bobl hŷn.",
    "translation_status": "draft",
    "category": "frailty_long_term_conditions",
    "unit_of_activity": "participants",
    "unit_of_activity_cy": "cyfranogwyr",
    "price_min": "40,000",
    "price_max": "90000.00",
    "price_note": "1 WTE B6 physiotherapist",
    "change_note": "",
    "kpis-0-code": "",
    "kpis-0-name": "Falls per 1,000 people over 65",
    "kpis-0-name_cy": "Cwympiadau fesul 1,000 o bobl dros 65",
    "kpis-0-unit": "rate",
    "kpis-0-direction": "lower_is_better",
    "kpis-0-typical_target": "",
}


# The menu


async def test_anyone_browses_the_menu_in_english_and_welsh(client, menu):
    english = await client.get("/menu?lang=en")
    assert english.status_code == 200 and html_lang(english.text) == "en"
    links = set(re.findall(r'href="/menu/(\d+)"', english.text))
    assert len(links) == 23
    assert "Obesity" in english.text and "Indicative price: £55,000.00 to £211,000.00 a year" in text_of(english.text)
    cymraeg = await client.get("/menu?lang=cy")
    assert html_lang(cymraeg.text) == "cy"
    assert "Gordewdra" in cymraeg.text
    assert 'href="/menu/new"' not in english.text, "only admins are offered the add button"


async def test_the_menu_can_be_browsed_by_category(client, menu):
    page = await client.get("/menu?category=inclusion_health&lang=en")
    assert page.status_code == 200
    assert "Homelessness" in page.text
    assert "Obesity" not in page.text


async def test_anyone_reads_a_service_with_its_kpis_and_how_its_price_was_worked_out(client, menu):
    obesity = await support.service_id("obesity")
    page = await client.get(f"/menu/{obesity}?lang=en")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "£55,000.00 to £211,000.00" in text
    assert "B5 weight management practitioner" in text
    assert "Referrals that lead to enrolment" in text
    assert (await client.get("/menu/999999")).status_code == 404


async def test_an_admin_adds_a_service_through_the_form(client, client_as, menu):
    admin, _ = await client_as("national_admin")
    response = await _post_form(admin, "/menu/new", NEW_SERVICE)
    added = await MenuService.select(MenuService.id).where(MenuService.code == "falls-prevention").first()
    assert added is not None
    _redirected_to(response, f"/menu/{added['id']}")
    version = await MenuServiceVersion.select().where(MenuServiceVersion.menu_service == added["id"]).first()
    assert (version["name"], version["price_min_pence"], version["price_max_pence"]) == (
        "Falls prevention",
        4_000_000,
        9_000_000,
    )
    page = text_of((await client.get(f"/menu/{added['id']}?lang=en")).text)
    assert "Falls per 1,000 people over 65" in page


async def test_a_service_missing_answers_re_renders_with_the_error_summary_and_writes_nothing(client_as, menu):
    admin, _ = await client_as("national_admin")
    response = await _post_form(
        admin, "/menu/new", {**NEW_SERVICE, "name": "", "price_min": "lots", "kpis-0-direction": ""}
    )
    assert response.status_code == 400
    assert {"#name", "#price_min", "#kpis-0-direction"} <= set(error_summary_links(response.text))
    assert {"name", "price_min"} <= fields_in_error(response.text)
    assert input_value(response.text, "name_cy") == "Atal cwympiadau", "what was typed is kept"
    assert await MenuService.count() == 23


async def test_an_admin_edit_makes_a_new_version_and_the_old_one_is_still_shown(client, client_as, menu):
    admin, _ = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    form = await admin.get(f"/menu/{obesity}/edit")
    values = form_values(form.text)
    assert (values["name"], values["kpis-0-name"]) == ("Obesity", "Referrals that lead to enrolment")
    values.update(name="Weight management", change_note="Pathway name")
    response = await admin.post(f"/menu/{obesity}/edit", data=values)
    _redirected_to(response, f"/menu/{obesity}")
    current = text_of((await client.get(f"/menu/{obesity}?lang=en")).text)
    assert "Weight management" in current and "Pathway name" in current
    old = text_of((await client.get(f"/menu/{obesity}?version=1&lang=en")).text)
    assert "Version 1 of 2" in old and "Obesity" in old
    assert [row[0] for row in table_rows((await client.get(f"/menu/{obesity}?lang=en")).text)][:1] == [
        "Referrals that lead to enrolment"
    ], "the KPIs came through the form unchanged"


async def test_an_edit_that_changes_nothing_is_shown_as_an_error(client_as, menu):
    admin, _ = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    form = await admin.get(f"/menu/{obesity}/edit")
    response = await admin.post(f"/menu/{obesity}/edit", data=form_values(form.text))
    assert response.status_code == 400, response.text[:500]
    assert "Nothing has changed, so no new version was made" in text_of(response.text)
    assert await MenuServiceVersion.count().where(MenuServiceVersion.menu_service == obesity) == 1


async def test_an_admin_retires_a_service_with_a_reason(client, client_as, menu):
    admin, _ = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    empty = await _post_form(admin, f"/menu/{obesity}/retire", {"reason": "  "})
    assert empty.status_code == 400
    assert error_summary_links(empty.text) == ["#reason"]
    done = await _post_form(admin, f"/menu/{obesity}/retire", {"reason": "Replaced by the national pathway"})
    _redirected_to(done, f"/menu/{obesity}")
    assert f'href="/menu/{obesity}"' not in (await client.get("/menu")).text
    detail = text_of((await client.get(f"/menu/{obesity}?lang=en")).text)
    assert "not offered for new specifications" in detail
    assert (await admin.get(f"/menu/{obesity}/retire")).status_code == 200
    again = await _post_form(admin, f"/menu/{obesity}/retire", {"reason": "Again"})
    assert again.status_code == 400


async def test_only_national_admins_reach_the_menu_forms(client, client_as, menu):
    obesity = await support.service_id("obesity")
    commissioner, _ = await client_as("commissioner")
    for path in ("/menu/new", f"/menu/{obesity}/edit", f"/menu/{obesity}/retire"):
        assert (await commissioner.get(path)).status_code == 403, path
        anonymous = await client.get(path)
        assert anonymous.status_code in (302, 303) and anonymous.headers["location"].startswith("/sign-in"), path


# Budgets


async def test_a_finance_director_sets_a_line_through_the_form_and_sees_its_ledger(client_as):
    finance, _ = await client_as("finance_director")
    form = (await finance.get("/budgets/new")).text
    assert "Vale of Glamorgan" in form and "Swansea Bay" not in form, "only their health board's PCPGs are offered"
    response = await _post_form(
        finance,
        "/budgets/new",
        {
            "pcpg_id": str(await support.pcpg_id("Cardiff")),
            "financial_year": "2027",
            "funding_stream": "cluster_funding",
            "amount": "£300,000",
            "note": "Recurrent",
        },
    )
    line = await BudgetLine.select().first()
    assert line is not None and line["amount_pence"] == 30_000_000
    _redirected_to(response, f"/budgets/{line['id']}")
    detail = await finance.get(f"/budgets/{line['id']}")
    assert table_rows(detail.text)[-1] == [
        "Budget line Cardiff, 2027-28, Cluster funding",
        "Budget £300,000.00",
        "Earmarked £0.00",
        "Committed £0.00",
        "Actual spend £0.00",
        "Headroom £300,000.00",
    ]
    listed = await finance.get("/budgets")
    assert f'href="/budgets/{line["id"]}"' in listed.text
    assert 'href="/budgets/new"' in listed.text


async def test_a_budget_form_with_errors_re_renders_with_the_error_summary_and_sets_nothing(client_as):
    finance, _ = await client_as("finance_director")
    response = await _post_form(
        finance, "/budgets/new", {"pcpg_id": "", "financial_year": "2027", "funding_stream": "gold", "amount": "1,50"}
    )
    assert response.status_code == 400
    assert set(error_summary_links(response.text)) == {"#pcpg_id", "#funding_stream", "#amount"}
    assert await BudgetLine.count() == 0


async def test_a_year_the_form_does_not_offer_is_shown_as_an_error_on_the_year(client_as):
    finance, _ = await client_as("finance_director")
    response = await _post_form(
        finance,
        "/budgets/new",
        {
            "pcpg_id": str(await support.pcpg_id("Cardiff")),
            "financial_year": "1999",
            "funding_stream": "hb_core",
            "amount": "1000",
        },
    )
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#financial_year"]
    assert await BudgetLine.count() == 0


async def test_an_amount_larger_than_a_line_can_hold_is_an_error_on_the_amount_never_a_server_error(client_as):
    finance, _ = await client_as("finance_director")
    line = await support.budget_line(amount_pence=30_000_000)
    response = await _post_form(finance, f"/budgets/{line.id}", {"amount": "99999999999999999999", "note": ""})
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#amount"]
    assert (await BudgetLine.select(BudgetLine.amount_pence).first())["amount_pence"] == 30_000_000


async def test_a_second_line_for_the_same_stream_is_shown_as_an_error_on_the_stream(client_as):
    finance, _ = await client_as("finance_director")
    await support.budget_line()
    response = await _post_form(
        finance,
        "/budgets/new",
        {
            "pcpg_id": str(await support.pcpg_id("Cardiff")),
            "financial_year": "2027",
            "funding_stream": "cluster_funding",
            "amount": "1000",
        },
    )
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#funding_stream"]
    assert await BudgetLine.count() == 1


async def test_a_finance_director_changes_the_amount_but_never_below_what_is_earmarked(client_as, menu):
    finance, _ = await client_as("finance_director")
    _, commissioner = await client_as("commissioner")
    line = await support.budget_line(amount_pence=30_000_000)
    await support.published(commissioner, [line], value_pence=25_000_000)
    path = f"/budgets/{line.id}"
    too_low = await _post_form(finance, path, {"amount": "249,999.99", "note": ""})
    assert too_low.status_code == 400
    assert error_summary_links(too_low.text) == ["#amount"]
    assert "£250,000.00" in text_of(too_low.text)
    assert input_value(too_low.text, "amount") == "249,999.99"
    assert (await BudgetLine.select(BudgetLine.amount_pence).first())["amount_pence"] == 30_000_000
    changed = await _post_form(finance, path, {"amount": "400000", "note": "Top-up"})
    _redirected_to(changed, path)
    assert "£150,000.00" in text_of((await finance.get(path)).text), "the headroom after the change"


async def test_a_commissioner_reads_their_lines_without_the_forms_and_not_other_pcpgs_lines(client_as):
    cardiff = await support.budget_line()
    vale = await support.budget_line(pcpg="Vale of Glamorgan")
    commissioner, _ = await client_as("commissioner")
    listed = await commissioner.get("/budgets")
    assert listed.status_code == 200
    assert f'href="/budgets/{cardiff.id}"' in listed.text
    assert f'href="/budgets/{vale.id}"' not in listed.text
    assert 'href="/budgets/new"' not in listed.text
    detail = await commissioner.get(f"/budgets/{cardiff.id}")
    assert detail.status_code == 200 and 'name="amount"' not in detail.text
    assert (await commissioner.get(f"/budgets/{vale.id}")).status_code == 404
    assert (await commissioner.get("/budgets/new")).status_code == 403


async def test_a_finance_director_of_another_health_board_cannot_open_the_line(client_as):
    line = await support.budget_line()
    swansea, _ = await client_as("finance_director", health_board_name="Swansea Bay University Health Board")
    assert (await swansea.get(f"/budgets/{line.id}")).status_code == 404
    page = await swansea.get("/budgets")
    assert f'href="/budgets/{line.id}"' not in page.text


async def test_a_budget_line_is_named_by_its_pcpg_year_and_stream_never_by_its_id(client_as):
    line = await support.budget_line(year=2027, stream="regional_integration_fund")
    finance, _ = await client_as("finance_director")
    english = text_of((await finance.get(f"/budgets/{line.id}?lang=en")).text)
    assert "Cardiff, 2027-28, Regional Integration Fund" in english
    assert f"Budget line {line.id}" not in english
    welsh = (await finance.get(f"/budgets/{line.id}?lang=cy")).text
    assert "Caerdydd, 2027-28," in text_of(welsh)
