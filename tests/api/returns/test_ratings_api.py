"""The annual performance rating through the API (issue 13, item 6): the contract's commissioner rates a year that
has ended, once (a second rating of the year is a 409 unless it says `replace`); other readers read it; everyone
else is refused or finds no such contract."""

from __future__ import annotations

from datetime import date

from tests import contracts_support_lifecycle as cs
from tests import returns_support_reminders as rs


async def _rated_contract(client_as):
    await cs.clock_on(date(2028, 4, 3))
    http, _ = await client_as("commissioner")
    held = await rs.held(years=(2027, 2028))
    await rs.set_thresholds(held.contract_id)
    await rs.accepted(held.contract_id, {1: "85", 2: "90", 3: "70", 4: "95"})  # green, green, amber, green
    return http, held, await rs.kpis(held.contract_id)


def _body(kpis, rating="approaching_target", **extra):
    return {"financial_year": 2027, "ratings": [{"contract_kpi_id": k, "rating": rating} for k in kpis], **extra}


async def test_the_commissioner_reads_the_suggestion_rates_the_year_and_a_second_rating_needs_replace(client_as):
    http, held, kpis = await _rated_contract(client_as)
    path = f"/api/v1/contracts/{held.contract_id}/ratings"
    before = (await http.get(path)).json()
    assert [(y["year_label"], y["rateable"], y["rated"]) for y in before["years"]] == [("2027-28", True, False)]
    assert before["years"][0]["kpis"][0]["suggested"] == "approaching_target"

    made = await http.post(path, json=_body(kpis))
    assert made.status_code == 201, made.text
    year = made.json()["years"][0]
    assert year["rated"] and year["kpis"][0]["rating_label"] == "Approaching target"

    again = await http.post(path, json=_body(kpis, "good"))
    assert again.status_code == 409 and "financial_year" in again.text
    replaced = await http.post(path, json=_body(kpis, "good", replace=True))
    assert replaced.status_code == 201 and replaced.json()["years"][0]["kpis"][0]["rating"] == "good"


async def test_bad_ratings_are_problems_naming_the_field(client_as):
    http, held, kpis = await _rated_contract(client_as)
    path = f"/api/v1/contracts/{held.contract_id}/ratings"
    unknown = await http.post(path, json=_body(kpis, "excellent"))
    assert unknown.status_code in (400, 422) and "rating" in unknown.text
    too_soon = await http.post(path, json={**_body(kpis), "financial_year": 2028})
    assert too_soon.status_code == 422 and "financial_year" in too_soon.text
    missing = await http.post(path, json={"financial_year": 2027, "ratings": []})
    assert missing.status_code in (400, 422) and "ratings" in missing.text
    assert not (await http.get(path)).json()["years"][0]["rated"]


async def test_the_vehicle_reads_the_ratings_but_may_not_rate_and_others_find_no_contract(client_as):
    _, held, kpis = await _rated_contract(client_as)
    path = f"/api/v1/contracts/{held.contract_id}/ratings"
    provider, _ = await client_as("provider", delivery_vehicle_id=held.vehicle_id)
    read = await provider.get(path)
    assert read.status_code == 200 and read.json()["can_rate"] is False
    assert (await provider.post(path, json=_body(kpis))).status_code == 403
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    assert (await swansea.get(path)).status_code == 404
    assert (await swansea.post(path, json=_body(kpis))).status_code == 404
    stranger, _ = await client_as("provider", with_vehicle=True)
    assert (await stranger.get(path)).status_code == 404
