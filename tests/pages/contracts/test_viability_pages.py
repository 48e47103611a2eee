"""Viability pages (issue 12, item 7): the national administrator's table (year chooser, sortable columns, status as
a tag in words, the forecast, CSV of the same table), the thresholds form with its error summary and check your
answers, a provider's own view on its dashboard, and the decision preview on the award's check page; English and
Welsh."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from audit.tables import AuditEvent
from contracts.tables import ViabilitySetting
from tests import bidding_support as b
from tests import contracts_support_viability as v
from tests.bidding_support import as_user  # noqa: F401 - a fixture
from tests.conftest import csrf_from
from tests.pages.markup import (
    error_summary_links,
    fields_in_error,
    html_lang,
    links,
    success_banner,
    summary_rows,
    table_rows,
    text_of,
    welsh,
)


def _cells(page: str) -> list[list[str]]:
    """The table's rows as seen, without the small-screen headings each cell repeats (hidden from screen readers)."""
    headings = re.compile(
        r"^(Delivery vehicle|Services|Annual value|Status|Forecast \d{4}-\d{2}|Financial year|Now|Once confirmed) "
    )
    return [[headings.sub("", cell, count=1) for cell in row] for row in table_rows(page)]


async def _alpha_and_beta() -> tuple[int, int]:
    alpha = await v.vehicle("Alpha Care CIC")
    await v.contract(alpha, {2027: 70_000_00, 2028: 70_000_00})
    await v.contract(alpha, {2027: 70_000_00})
    beta = await v.vehicle("Beta Wellbeing CIC")
    for _ in range(3):
        await v.contract(beta, {2027: 50_000_00, 2028: 50_000_00, 2029: 50_000_00})
    return alpha, beta


async def test_the_table_shows_each_vehicle_its_status_in_words_and_the_forecast(client_as):
    await _alpha_and_beta()
    http, _ = await client_as("national_admin")
    page = await http.get("/viability?financial_year=2027-28")
    assert page.status_code == 200, page.text[:500]
    rows = _cells(page.text)
    assert rows[0][:4] == ["Alpha Care CIC", "2", "£140,000.00", "At risk"]
    assert rows[0][4].startswith("Below threshold") and "1 service, £70,000.00" in rows[0][4]
    assert rows[1][:4] == ["Beta Wellbeing CIC", "3", "£150,000.00", "Viable"]
    assert rows[1][5].startswith("Viable") and rows[1][6].startswith("Below threshold")
    text = text_of(page.text)
    assert "Forecast 2028-29" in text and "Forecast 2030-31" in text
    assert "nhsuk-tag--yellow" in page.text and "at_risk" not in text, "a tag in words, never the stored code"
    hrefs = dict((text, href) for href, text in links(page.text))
    assert hrefs["Status 2027-28"].endswith("sort=status"), hrefs
    assert 'aria-sort="ascending"' in page.text  # sorted by name
    by_status = await http.get(hrefs["Status 2027-28"])
    assert [row[0] for row in _cells(by_status.text)][:2] == ["Alpha Care CIC", "Beta Wellbeing CIC"]
    worst_last = await http.get("/viability?financial_year=2027-28&sort=-status")
    assert [row[0] for row in _cells(worst_last.text)][:2] == ["Beta Wellbeing CIC", "Alpha Care CIC"]

    later = await http.get("/viability?financial_year=2028-29")
    assert _cells(later.text)[0][:4] == ["Alpha Care CIC", "1", "£70,000.00", "Below threshold"]


async def test_the_table_reads_in_welsh(client_as):
    await _alpha_and_beta()
    http, _ = await client_as("national_admin")
    page = await http.get("/viability?financial_year=2027-28&lang=cy")
    assert html_lang(page.text) == "cy"
    text = text_of(page.text)
    assert welsh("Viability of delivery vehicles") in text
    assert welsh("At risk") in text and welsh("Viable") in text
    assert welsh("Viability of delivery vehicles") != "Viability of delivery vehicles", "translated"


async def test_a_year_that_is_not_one_shows_the_error_summary_and_the_current_year(client_as):
    http, _ = await client_as("national_admin")
    page = await http.get("/viability?financial_year=2027-29")
    assert page.status_code == 400
    assert error_summary_links(page.text) == ["#financial_year"]
    assert "financial_year" in fields_in_error(page.text)


async def test_the_csv_is_the_same_table(client_as):
    await _alpha_and_beta()
    http, _ = await client_as("national_admin")
    page = await http.get("/viability?financial_year=2027-28&sort=-name")
    csv_href = next(href for href, text in links(page.text) if "CSV" in text)
    download = await http.get(csv_href)
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    lines = download.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Delivery vehicle,Services in 2027-28,Value in 2027-28,Status in 2027-28")
    assert lines[1].startswith('Beta Wellbeing CIC,3,"£150,000.00",Viable')  # the page's sort kept
    assert lines[2].startswith('Alpha Care CIC,2,"£140,000.00",At risk,1,"£70,000.00",Below threshold')
    assert len(lines) == 3


async def _post(http: httpx.AsyncClient, data: dict[str, Any]) -> httpx.Response:
    form = await http.get("/viability/thresholds")
    assert form.status_code == 200
    return await http.post("/viability/thresholds", data={**data, "_csrf_token": csrf_from(form.text)})


async def test_the_thresholds_form_checks_the_answers_before_setting_them(client_as):
    http, actor = await client_as("national_admin")
    form = await http.get("/viability/thresholds")
    assert 'value="2"' in form.text and 'value="100000.00"' in form.text, "the defaults in force"

    wrong = await _post(http, {"min_live_services": "none", "min_annual_value": "lots"})
    assert wrong.status_code == 400
    assert error_summary_links(wrong.text) == ["#min_live_services", "#min_annual_value"]

    check = await _post(http, {"min_live_services": "3", "min_annual_value": "150,000"})
    assert check.status_code == 200
    rows = dict(summary_rows(check.text))
    assert rows["Minimum number of services"].startswith("3")
    assert rows["Minimum total annual contract value"].startswith("£150,000.00")
    assert rows["Viable from"] == "4 services, £180,000.00"
    assert await ViabilitySetting.count() == 0, "the check writes nothing"
    change = next(href for href, text in links(check.text) if text.startswith("Change"))
    assert "min_live_services=3" in change
    assert 'value="3"' in (await http.get(change.split("#")[0])).text, "Change brings the answer back"

    done = await _post(http, {"min_live_services": "3", "min_annual_value": "150,000", "confirm": "yes"})
    assert done.status_code in (302, 303) and done.headers["location"] == "/viability"
    shown = await http.get("/viability")
    assert success_banner(shown.text) == "The viability thresholds are set" or "thresholds are set" in shown.text
    assert dict(summary_rows(shown.text))["Minimum total annual contract value"] == "£150,000.00"
    event = await AuditEvent.select().where(AuditEvent.action == "viability.thresholds_set").first()
    assert event is not None and event["actor_username"] == actor.username


async def test_only_a_national_administrator_sees_the_pages(client_as):
    commissioner, _ = await client_as("commissioner")
    assert (await commissioner.get("/viability")).status_code == 403
    assert (await commissioner.get("/viability/thresholds")).status_code == 403


async def test_a_provider_sees_its_own_viability_on_its_dashboard_in_english_and_welsh(client_as):
    alpha, beta = await _alpha_and_beta()
    provider, _ = await client_as("provider", delivery_vehicle_id=beta)
    page = await provider.get("/dashboard")
    text = text_of(page.text)
    assert "Your viability" in text
    assert "Alpha" not in text, "never another vehicle's"
    welsh_page = await provider.get("/dashboard?lang=cy")
    assert welsh("Your viability") in text_of(welsh_page.text)
    other, _ = await client_as("provider", delivery_vehicle_id=alpha)
    assert "Your viability" in text_of((await other.get("/dashboard")).text)


@pytest.mark.usefixtures("menu")
async def test_the_award_check_page_shows_how_the_award_changes_the_winners_viability(as_user):  # noqa: F811
    done = await b.evaluated()
    await b.move_clock(b.AWARDED)
    alpha = done.alpha.delivery_vehicle_id
    assert alpha is not None
    await v.contract(alpha, {2027: 60_000_00})  # one service of £60,000: below; the award makes it two, £130,000
    http = await as_user(done.deal.commissioner)
    overview = f"/specifications/{done.deal.id}/evaluation"
    form = await http.get(overview)
    data = {"bid_id": str(done.alpha_bid), "rationale": "Highest total score"}
    check = await http.post(f"/specifications/{done.deal.id}/award", data={**data, "_csrf_token": csrf_from(form.text)})
    assert check.status_code == 200, check.text[:500]
    text = text_of(check.text)
    assert "How this changes the viability of Alpha Care CIC" in text
    assert ["2027-28", "Below threshold 1 service, £60,000.00", "At risk 2 services, £130,000.00"] == [
        cell.replace(" (changes)", "") for cell in _cells(check.text)[0]
    ][:3]

    # Negative control: the other bidder has nothing yet, so its preview starts from no service at all.
    other = await http.post(
        f"/specifications/{done.deal.id}/award",
        data={"bid_id": str(done.beta_bid), "rationale": "Cheaper", "_csrf_token": csrf_from(form.text)},
    )
    assert "How this changes the viability of Beta Wellbeing CIC" in text_of(other.text)
    assert "0 services, £0.00" in text_of(other.text)

    welsh_form = await http.get(f"{overview}?lang=cy")
    welsh_check = await http.post(
        f"/specifications/{done.deal.id}/award", data={**data, "_csrf_token": csrf_from(welsh_form.text)}
    )
    welsh_text = text_of(welsh_check.text)
    assert welsh("How this changes the viability of %(vehicle)s", vehicle="Alpha Care CIC") in welsh_text
    assert welsh("Below threshold") in welsh_text and welsh("At risk") in welsh_text
