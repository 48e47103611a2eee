"""GET /api/v1/viability and GET/PUT /api/v1/viability/thresholds (issue 12, item 7): each vehicle's services, value
and status per year with the forecast, scoped (a national administrator every vehicle, a provider its own, anyone
else 403); the financial year refused with a problem naming it; a fixed number of statements however many vehicles."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.rules import ContractStatus
from contracts.tables import ViabilitySetting
from tests import contracts_support_viability as v
from tests.query_count import caches_kept, count_queries

PROBLEM = "application/problem+json"


async def test_a_national_administrator_sees_every_vehicle_with_the_forecast(client_as):
    alpha = await v.vehicle("Alpha Care CIC")
    await v.contract(alpha, {2027: 70_000_00, 2028: 70_000_00})
    await v.contract(alpha, {2027: 70_000_00})
    await v.vehicle("Beta Wellbeing CIC")
    http, _ = await client_as("national_admin")
    response = await http.get("/api/v1/viability", params={"financial_year": "2027-28"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["years"] == ["2027-28", "2028-29", "2029-30", "2030-31"]
    assert body["total"] == 2 and body["thresholds"]["is_default"] is True
    first = body["items"][0]
    assert first["delivery_vehicle"] == "Alpha Care CIC"
    assert [(y["services"], y["value_pence"], y["status"]) for y in first["years"]] == [
        (2, 140_000_00, "at_risk"),
        (1, 70_000_00, "below"),
        (0, 0, "below"),
        (0, 0, "below"),
    ]
    assert body["items"][1]["years"][0]["status"] == "below"
    reverse = (await http.get("/api/v1/viability", params={"financial_year": "2027-28", "sort": "-name"})).json()
    assert [item["delivery_vehicle"] for item in reverse["items"]] == ["Beta Wellbeing CIC", "Alpha Care CIC"]


async def test_a_provider_sees_only_its_own_vehicle_and_a_commissioner_is_refused(client_as):
    alpha = await v.vehicle("Alpha Care CIC")
    beta = await v.vehicle("Beta Wellbeing CIC")
    await v.contract(beta, {2027: 500_000_00}, status=ContractStatus.MOBILISING)
    provider, _ = await client_as("provider", delivery_vehicle_id=alpha)
    own = (await provider.get("/api/v1/viability", params={"financial_year": "2027-28"})).json()
    assert [item["delivery_vehicle"] for item in own["items"]] == ["Alpha Care CIC"] and own["total"] == 1
    assert "500000" not in str(own) and "Beta" not in str(own)
    other, _ = await client_as("provider", delivery_vehicle_id=beta)  # negative control: Beta sees its own
    assert (await other.get("/api/v1/viability?financial_year=2027-28")).json()["items"][0]["years"][0][
        "value_pence"
    ] == 500_000_00
    commissioner, _ = await client_as("commissioner")
    refused = await commissioner.get("/api/v1/viability")
    assert refused.status_code == 403 and refused.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize("label", ["2027", "2027-29", "27-28", "next"])
async def test_a_financial_year_that_is_not_one_is_a_problem_naming_the_parameter(client_as, label):
    http, _ = await client_as("national_admin")
    response = await http.get("/api/v1/viability", params={"financial_year": label})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert [e["field"] for e in response.json()["errors"]] == ["financial_year"]


async def test_a_sort_that_is_not_offered_is_a_problem_naming_the_parameter(client_as):
    http, _ = await client_as("national_admin")
    response = await http.get("/api/v1/viability", params={"sort": "colour"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["sort"]


async def test_a_national_administrator_sets_the_thresholds_and_others_cannot(client_as):
    commissioner, _ = await client_as("commissioner")
    body = {"min_live_services": 3, "min_annual_value_pence": 150_000_00}
    refused = await commissioner.put("/api/v1/viability/thresholds", json=body)
    assert refused.status_code == 403 and await ViabilitySetting.count() == 0
    seen = (await commissioner.get("/api/v1/viability/thresholds")).json()
    assert seen["min_live_services"] == 2 and seen["is_default"] is True
    admin, actor = await client_as("national_admin")
    response = await admin.put("/api/v1/viability/thresholds", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["min_annual_value_pence"] == 150_000_00 and response.json()["set_by"] == actor.username
    assert (await commissioner.get("/api/v1/viability/thresholds")).json()["min_live_services"] == 3


async def test_thresholds_out_of_range_are_a_problem_naming_the_field(client_as):
    admin, _ = await client_as("national_admin")
    response = await admin.put(
        "/api/v1/viability/thresholds", json={"min_live_services": 0, "min_annual_value_pence": 100}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["min_live_services"]
    assert await ViabilitySetting.count() == 0


async def _statements(http, vehicles: int) -> int:
    for n in range(vehicles):
        vehicle_id = await v.vehicle(f"Counted {n} CIC {vehicles}")
        await v.contract(vehicle_id, {2027: 10_000_00 + n, 2028: 20_000_00})
        await v.contract(vehicle_id, {2027: 5_000_00}, status=ContractStatus.TERMINATED, terminated_on=date(2027, 9, 1))
    with caches_kept():
        await http.get("/api/v1/viability?financial_year=2027-28")
        with count_queries() as counted:
            response = await http.get("/api/v1/viability?financial_year=2027-28")
    assert response.status_code == 200
    return counted.total


async def test_the_report_sends_the_same_statements_however_many_vehicles(client_as):
    http, _ = await client_as("national_admin")
    few = await _statements(http, 1)
    many = await _statements(http, 12)
    assert (await http.get("/api/v1/viability?financial_year=2027-28")).json()["total"] == 13
    assert few == many, (few, many)
