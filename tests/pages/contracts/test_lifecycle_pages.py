"""The commissioner's lifecycle pages: each move after a check-your-answers page (a termination's shows its effect
on each budget line and year before it is confirmed), the NHS.UK error summary on bad input, a redirect to the
contract with a notice after success; English and Welsh (issue 12, items 4 and 8)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import httpx
import pytest

from audit.tables import AuditEvent
from contracts.tables import Contract, ContractAllocation, ContractKpi
from tests import contracts_support_lifecycle as cs
from tests import contracts_support_viability as viability_support
from tests import factories
from tests.conftest import csrf_from
from tests.pages.markup import (
    decision_preview_rows,
    element_ids,
    error_summary_links,
    html_lang,
    links,
    not_offered,
    summary_rows,
    table_rows,
    text_of,
    welsh,
)
from web.cookies import FLASH_COOKIE


@pytest.fixture(autouse=True)
async def in_the_first_quarter() -> None:
    await cs.clock_on(date(2027, 6, 1))


async def _open_then_post(http: httpx.AsyncClient, path: str, data: dict[str, str]) -> httpx.Response:
    page = await http.get(path)
    assert page.status_code == 200, page.text[:500]
    assert not not_offered(page.text, data), "the test posts fields the form does not offer"
    return await http.post(path, data={**data, "_csrf_token": csrf_from(page.text)})


def _done(answer: httpx.Response, contract_id: int, notice: str) -> None:
    assert answer.status_code in (302, 303), answer.text[:500]
    assert answer.headers["location"] == f"/contracts/{contract_id}"
    assert answer.cookies.get(FLASH_COOKIE) == notice


async def test_terminating_shows_the_ledger_effect_before_it_is_confirmed_and_nothing_is_written_until_then(
    client_as,
):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)
    base = f"/contracts/{contract_id}"
    events = await AuditEvent.count()

    sent = await _open_then_post(
        http,
        f"{base}/terminate",
        {
            "terminated_on-day": "15",
            "terminated_on-month": "8",
            "terminated_on-year": "2027",
            "reason": "The provider is closing",
        },
    )
    assert sent.status_code in (302, 303), sent.text[:500]
    assert urlsplit(sent.headers["location"]).path == f"{base}/terminate/check"
    check = await http.get(sent.headers["location"])
    assert check.status_code == 200
    rows = dict(summary_rows(check.text))
    assert rows["Last day of service"] == "15 August 2027"
    assert rows["Title"] == "Weight management"
    assert (f"{base}", "Weight management") in links(check.text)
    assert rows["Reason for terminating"] == "The provider is closing"
    assert table_rows(check.text)[:3] == [
        ["Cardiff, 2027-28, Cluster funding", "2027-28", "£120,000.00", "£60,000.00", "£60,000.00"],
        ["Cardiff, 2028-29, Cluster funding", "2028-29", "£120,000.00", "£120,000.00", "£0.00"],
        ["Cardiff, 2029-30, Cluster funding", "2029-30", "£120,000.00", "£120,000.00", "£0.00"],
    ]
    assert "quarter 2 of 2027-28: £30,000.00, due on 1 October 2027" in text_of(check.text)
    assert await AuditEvent.count() == events
    assert await cs.status_of(contract_id) == "mobilising"

    done = await http.post(
        f"{base}/terminate",
        data={
            "terminated_on": "2027-08-15",
            "reason": "The provider is closing",
            "confirm": "yes",
            "_csrf_token": csrf_from(check.text),
        },
    )
    _done(done, contract_id, "contract_terminated")
    assert await cs.status_of(contract_id) == "terminated"
    assert await cs.committed_by_year(contract_id) == {2027: 60_000_00}


async def test_a_termination_date_in_the_past_or_no_reason_shows_the_error_summary(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)
    answer = await _open_then_post(
        http,
        f"/contracts/{contract_id}/terminate",
        {"terminated_on-day": "31", "terminated_on-month": "5", "terminated_on-year": "2027", "reason": ""},
    )
    assert answer.status_code == 400
    assert set(error_summary_links(answer.text)) == {"#reason"}
    past = await _open_then_post(
        http,
        f"/contracts/{contract_id}/terminate",
        {"terminated_on-day": "31", "terminated_on-month": "5", "terminated_on-year": "2027", "reason": "Closed"},
    )
    assert past.status_code == 400
    assert error_summary_links(past.text) == ["#terminated_on"]
    assert "The termination date cannot be in the past" in text_of(past.text)
    assert await cs.status_of(contract_id) == "mobilising"


async def test_the_termination_check_reads_in_welsh(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)
    page = await http.get(f"/contracts/{contract_id}/terminate/check?terminated_on=2027-08-15&reason=Closed&lang=cy")
    assert page.status_code == 200 and html_lang(page.text) == "cy"
    said = text_of(page.text)
    assert welsh("Check before you terminate the contract") in said
    assert welsh("Effect on the budget lines") in said
    assert "Effect on the budget lines" not in said
    assert welsh("Mobilising") in said and "Mobilising" not in said
    assert "15 Awst 2027" in said


async def test_suspending_goes_through_a_check_page_and_resuming_and_mobilising_are_one_button(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)
    base = f"/contracts/{contract_id}"

    mobilise = await http.get(f"{base}/mobilise")
    assert "confirm-button" in element_ids(mobilise.text)
    _done(
        await http.post(f"{base}/mobilise", data={"confirm": "yes", "_csrf_token": csrf_from(mobilise.text)}),
        contract_id,
        "contract_mobilised",
    )

    blank = await _open_then_post(http, f"{base}/suspend", {"reason": " "})
    assert blank.status_code == 400
    assert error_summary_links(blank.text) == ["#reason"]
    assert "Give the reason for suspending" in text_of(blank.text)
    sent = await _open_then_post(http, f"{base}/suspend", {"reason": "Premises flooded"})
    check = await http.get(sent.headers["location"])
    assert dict(summary_rows(check.text))["Reason for suspending"] == "Premises flooded"
    assert await cs.status_of(contract_id) == "live"
    _done(
        await http.post(
            f"{base}/suspend",
            data={"reason": "Premises flooded", "confirm": "yes", "_csrf_token": csrf_from(check.text)},
        ),
        contract_id,
        "contract_suspended",
    )
    assert await cs.status_of(contract_id) == "suspended"

    # Mobilising again is refused on the page, with the reason in the error summary.
    again = await http.post(f"{base}/mobilise", data={"confirm": "yes", "_csrf_token": csrf_from(check.text)})
    assert again.status_code == 409
    assert error_summary_links(again.text) == ["#confirm-button"]
    assert "Only a mobilising contract can go live" in text_of(again.text)

    resume = await http.get(f"{base}/resume")
    _done(
        await http.post(f"{base}/resume", data={"confirm": "yes", "_csrf_token": csrf_from(resume.text)}),
        contract_id,
        "contract_resumed",
    )
    assert await cs.status_of(contract_id) == "live"


async def test_the_split_by_cluster_form_refuses_a_penny_off_and_saves_an_exact_split(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(years=(2027,), clusters=cs.WITHOUT_POPULATION, commissioner=commissioner)
    east, west = await factories.cluster_ids(*cs.WITHOUT_POPULATION)
    path = f"/contracts/{contract_id}/allocations"

    off = await _open_then_post(
        http, path, {"method": "pounds", f"amount-2027-{east}": "60000", f"amount-2027-{west}": "59999.99"}
    )
    assert off.status_code == 400
    assert error_summary_links(off.text) == ["#split"]
    assert "add up to £119,999.99, not the year's value of £120,000.00" in text_of(off.text)
    bad = await _open_then_post(http, path, {"method": "pounds", f"amount-2027-{east}": "lots"})
    assert set(error_summary_links(bad.text)) == {f"#amount-2027-{east}", f"#amount-2027-{west}"}
    none = await _open_then_post(http, path, {})
    assert error_summary_links(none.text) == ["#method"]
    assert await ContractAllocation.count().where(ContractAllocation.contract == contract_id) == 0

    _done(
        await _open_then_post(http, path, {"method": "percentages", f"percent-{east}": "25", f"percent-{west}": "75"}),
        contract_id,
        "contract_allocated",
    )
    rows = await ContractAllocation.select().where(ContractAllocation.contract == contract_id)
    assert {r["cluster"]: r["amount_pence"] for r in rows} == {east: 30_000_00, west: 90_000_00}


async def test_the_kpi_form_shows_problems_on_their_inputs_and_saves_thresholds_and_plan(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(years=(2027,), commissioner=commissioner)
    [kpi] = await ContractKpi.select(ContractKpi.id).where(ContractKpi.contract == contract_id)
    path = f"/contracts/{contract_id}/kpis"
    green, red = f"kpi-{kpi['id']}-green_from", f"kpi-{kpi['id']}-red_from"

    backwards = await _open_then_post(http, path, {green: "60", red: "75", "activity-2027-1": "ten"})
    assert backwards.status_code == 400
    assert set(error_summary_links(backwards.text)) == {"#activity-2027-1"}
    backwards = await _open_then_post(http, path, {green: "60", red: "75", "activity-2027-1": "10"})
    assert error_summary_links(backwards.text) == [f"#{green}"]
    assert "Higher is better for this KPI" in text_of(backwards.text)

    _done(
        await _open_then_post(http, path, {green: "90", red: "75", "activity-2027-1": "10"}),
        contract_id,
        "contract_kpis_set",
    )
    row = await ContractKpi.select().where(ContractKpi.id == kpi["id"]).first()
    assert (row["green_from"], row["red_from"]) == ("90", "75")


async def test_another_pcpgs_commissioner_finds_no_such_page(client_as):
    http, _ = await client_as("commissioner", pcpg_names=("Vale of Glamorgan",))
    contract_id = await cs.contract()
    for page in ("mobilise", "suspend", "resume", "terminate", "kpis", "allocations"):
        assert (await http.get(f"/contracts/{contract_id}/{page}")).status_code == 404


async def test_the_termination_check_shows_how_it_changes_the_vehicles_viability_each_year(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)  # £120,000 a year, 2027-28 to 2029-30
    row = (
        await Contract.select(Contract.delivery_vehicle, Contract.delivery_vehicle.name.as_alias("name"))
        .where(Contract.id == contract_id)
        .first()
    )
    assert row is not None
    years = {2027: 50_000_00, 2028: 50_000_00, 2029: 50_000_00}
    for _ in range(2):
        await viability_support.contract(int(row["delivery_vehicle"]), years)
    base = f"/contracts/{contract_id}"
    check = await http.get(f"{base}/terminate/check?terminated_on=2027-08-15&reason=Closing")
    assert check.status_code == 200, check.text[:500]
    assert f"How this changes the viability of {row['name']}" in text_of(check.text)
    # Each year three services and £220,000: viable. Ending on 15 August 2027 keeps two quarters of 2027-28
    # (£60,000, still viable) and takes the contract out of the later years: two services, £100,000, at risk.
    assert decision_preview_rows(check.text) == [
        ["2027-28", "Viable 3 services, £220,000.00", "Viable 3 services, £160,000.00"],
        ["2028-29", "Viable 3 services, £220,000.00", "At risk (changes) 2 services, £100,000.00"],
        ["2029-30", "Viable 3 services, £220,000.00", "At risk (changes) 2 services, £100,000.00"],
    ]
    welsh_check = await http.get(f"{base}/terminate/check?terminated_on=2027-08-15&reason=Closing&lang=cy")
    assert welsh("How this changes the viability of %(vehicle)s", vehicle=row["name"]) in text_of(welsh_check.text)
    assert welsh("At risk") in text_of(welsh_check.text)


async def test_a_termination_on_the_last_day_of_the_term_changes_no_years_viability(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)
    check = await http.get(f"/contracts/{contract_id}/terminate/check?terminated_on=2030-03-31&reason=Closing")
    assert check.status_code == 200, check.text[:500]
    assert "Check before you terminate the contract" in text_of(check.text)
    assert decision_preview_rows(check.text) == []
