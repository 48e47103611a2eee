"""GET /api/v1/contracts, /{id} and /{id}/allocations: scope, filters, sort, paging, and the contract whole
(allocations and payments exact to each year's value, reporting schedule, names not usernames)."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.tables import Contract
from menu.tables import MenuServiceVersion
from tests import contracts_support_read as support
from tests import factories
from tests.conftest import make_actor


async def _refs(http, query: str = "") -> list[str]:
    response = await http.get(f"/api/v1/contracts{query}")
    assert response.status_code == 200, response.text
    return [item["reference"] for item in response.json()["items"]]


async def _reference(contract_id: int) -> str:
    row = await Contract.select(Contract.reference).where(Contract.id == contract_id).first()
    assert row is not None
    return str(row["reference"])


async def test_a_provider_reads_only_its_own_vehicles_contracts(client_as):
    mine = await factories.create_vehicle()
    theirs = await factories.create_vehicle()
    own = await support.contract(vehicle_id=mine.id)
    other = await support.contract(vehicle_id=theirs.id)
    http, _ = await client_as("provider", delivery_vehicle_id=mine.id)

    assert await _refs(http) == [await _reference(own)]
    assert (await http.get(f"/api/v1/contracts/{own}")).status_code == 200
    for path in (f"/api/v1/contracts/{other}", f"/api/v1/contracts/{other}/allocations"):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"] == "No such contract"


async def test_a_finance_director_reads_only_its_health_boards_contracts(client_as):
    cardiff = await support.contract(pcpg="Cardiff")
    swansea = await support.contract(pcpg="Swansea Bay")
    http, _ = await client_as("finance_director")
    assert await _refs(http) == [await _reference(cardiff)]
    assert (await http.get(f"/api/v1/contracts/{swansea}")).status_code == 404
    assert (await http.get(f"/api/v1/contracts/{swansea}/allocations")).status_code == 404
    assert (await http.get(f"/api/v1/contracts/{cardiff}/allocations")).status_code == 200


async def test_a_commissioner_reads_only_its_pcpgs_contracts_and_a_national_admin_all(client_as):
    cardiff = await support.contract(pcpg="Cardiff")
    vale = await support.contract(pcpg="Vale of Glamorgan", clusters=["Central Vale"])
    commissioner, _ = await client_as("commissioner")
    assert await _refs(commissioner) == [await _reference(cardiff)]
    assert (await commissioner.get(f"/api/v1/contracts/{vale}")).status_code == 404
    admin, _ = await client_as("national_admin")
    assert sorted(await _refs(admin)) == sorted([await _reference(cardiff), await _reference(vale)])


async def test_an_evaluator_is_refused_contracts(client_as):
    contract_id = await support.contract()
    http, _ = await client_as("evaluator")
    assert (await http.get("/api/v1/contracts")).status_code == 403
    assert (await http.get(f"/api/v1/contracts/{contract_id}")).status_code == 403


async def test_each_filter_keeps_only_the_contracts_it_names(client_as):
    vehicle_a = await factories.create_vehicle()
    vehicle_b = await factories.create_vehicle()
    version = await factories.save(factories.MenuServiceVersionFactory())
    early = await support.contract(vehicle_id=vehicle_a.id, years={2027: 10_000_00}, menu_version_id=version.id)
    late = await support.contract(
        pcpg="Vale of Glamorgan", clusters=["Central Vale"], vehicle_id=vehicle_b.id, years={2029: 10_000_00}
    )
    await Contract.update({Contract.status: "live"}).where(Contract.id == late)
    http, _ = await client_as("national_admin")
    early_ref, late_ref = await _reference(early), await _reference(late)
    vale = await support.pcpg_id("Vale of Glamorgan")
    found = await MenuServiceVersion.select(MenuServiceVersion.menu_service).where(MenuServiceVersion.id == version.id)
    service = found[0]["menu_service"]

    assert await _refs(http, "?status=live") == [late_ref]
    assert await _refs(http, "?status=mobilising") == [early_ref]
    assert await _refs(http, f"?pcpg={vale}") == [late_ref]
    assert await _refs(http, f"?delivery_vehicle={vehicle_a.id}") == [early_ref]
    assert await _refs(http, f"?service={service}") == [early_ref]
    assert await _refs(http, "?financial_year=2027") == [early_ref]
    assert await _refs(http, "?financial_year=2029") == [late_ref]
    assert await _refs(http, "?financial_year=2028") == []
    assert sorted(await _refs(http)) == sorted([early_ref, late_ref])


@pytest.mark.parametrize(
    ("query", "name"),
    [("status=open", "status"), ("pcpg=x", "pcpg"), ("financial_year=1999", "financial_year"), ("sort=price", "sort")],
)
async def test_a_bad_filter_is_a_problem_naming_the_parameter(client_as, query, name):
    http, _ = await client_as("national_admin")
    response = await http.get(f"/api/v1/contracts?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert name in response.text


async def test_contracts_sort_by_value_title_and_start_both_ways(client_as):
    small = await support.contract(years={2028: 5_000_00}, title="Bravo")
    big = await support.contract(years={2027: 90_000_00}, title="Alpha")
    http, _ = await client_as("national_admin")
    small_ref, big_ref = await _reference(small), await _reference(big)
    assert await _refs(http, "?sort=value") == [small_ref, big_ref]
    assert await _refs(http, "?sort=-value") == [big_ref, small_ref]
    assert await _refs(http, "?sort=title") == [big_ref, small_ref]
    assert await _refs(http, "?sort=-title") == [small_ref, big_ref]
    assert await _refs(http, "?sort=start_on") == [big_ref, small_ref]
    assert await _refs(http, "?sort=-start_on") == [small_ref, big_ref]


async def test_contracts_are_paged_and_counted(client_as):
    by = await make_actor("commissioner")
    made = [await support.contract(by=by) for _ in range(3)]
    http, _ = await client_as("national_admin")
    first = (await http.get("/api/v1/contracts?limit=2")).json()
    second = (await http.get("/api/v1/contracts?limit=2&offset=2")).json()
    assert (first["total"], len(first["items"]), second["total"], len(second["items"])) == (3, 2, 3, 1)
    seen = [i["reference"] for i in first["items"] + second["items"]]
    assert seen == sorted(seen) == sorted([await _reference(c) for c in made])


async def test_the_contract_shows_its_parties_by_name_and_its_line_of_sight(client_as):
    by = await make_actor("commissioner", full_name="Gareth Price")
    vehicle = await factories.create_vehicle(name="Bay Health CIC")
    contract_id = await support.contract(vehicle_id=vehicle.id, priority_title="Healthy weight", by=by)
    http, _ = await client_as("commissioner")
    body = (await http.get(f"/api/v1/contracts/{contract_id}")).json()
    assert body["delivery_vehicle"] == "Bay Health CIC"
    assert body["pcpg"] == "Cardiff"
    assert body["health_board"] == "Cardiff and Vale University Health Board"
    assert body["plan_priority_title"] == "Healthy weight"
    assert body["specification_title"] == "Test specification"
    assert body["unit_of_activity"] == "contacts"
    assert body["status_label"] == "Mobilising"
    assert [v["made_by"] for v in body["versions"]] == ["Gareth Price"]
    assert by.username not in str(body["versions"])
    assert body["kpis"][0]["direction_label"] == "Higher is better"
    assert [a["action"] for a in body["actions"]] == ["mobilise", "kpis", "allocations", "variations/new", "terminate"]
    assert body["actions"][0]["href"] == f"/contracts/{contract_id}/mobilise"


async def test_a_reader_who_does_not_manage_the_contract_is_offered_no_move_but_its_vehicle_may_vary_its_values(
    client_as,
):
    vehicle = await factories.create_vehicle()
    contract_id = await support.contract(vehicle_id=vehicle.id)
    provider, _ = await client_as("provider", delivery_vehicle_id=vehicle.id)
    finance, _ = await client_as("finance_director")
    offered = (await provider.get(f"/api/v1/contracts/{contract_id}")).json()["actions"]
    assert [a["label"] for a in offered] == ["Propose a variation"]  # its values, within its earned autonomy
    assert (await finance.get(f"/api/v1/contracts/{contract_id}")).json()["actions"] == []


async def test_allocations_and_payments_add_up_to_each_years_value_exactly(client_as):
    contract_id = await support.contract(
        years={2027: 100_000_01, 2028: 33_333_33}, clusters=await support.known_population_clusters("Cardiff", 2)
    )
    http, _ = await client_as("commissioner")
    body = (await http.get(f"/api/v1/contracts/{contract_id}")).json()
    values = {y["financial_year"]: y["value_pence"] for y in body["years"]}
    assert values == {2027: 100_000_01, 2028: 33_333_33}
    for year in body["allocations"]:
        assert len(year["allocations"]) == 2
        assert (
            sum(a["amount_pence"] for a in year["allocations"]) == values[year["financial_year"]] == year["total_pence"]
        )
        assert all(a["population"] and a["population_source"] and a["method_label"] for a in year["allocations"])
    for year in body["payments"]:
        assert [p["quarter"] for p in year["payments"]] == [1, 2, 3, 4]
        assert sum(p["amount_pence"] for p in year["payments"]) == values[year["financial_year"]]
    assert body["needs_split"] is False
    by_year = (await http.get(f"/api/v1/contracts/{contract_id}/allocations?financial_year=2028")).json()
    assert [y["financial_year"] for y in by_year] == [2028]
    assert sum(a["amount_pence"] for a in by_year[0]["allocations"]) == 33_333_33


async def test_a_cluster_without_population_leaves_the_split_to_the_commissioner(client_as):
    unknown = await support.unknown_population_cluster("Cardiff")
    contract_id = await support.contract(clusters=[unknown, *(await support.known_population_clusters("Cardiff", 1))])
    http, _ = await client_as("commissioner")
    body = (await http.get(f"/api/v1/contracts/{contract_id}")).json()
    assert body["needs_split"] is True
    assert all(year["allocations"] == [] for year in body["allocations"])


async def test_the_reporting_schedule_has_a_return_per_quarter_due_30_days_after_it_ends(client_as):
    contract_id = await support.contract(years={2027: 10_000_00, 2028: 10_000_00})
    http, _ = await client_as("commissioner")
    reporting = (await http.get(f"/api/v1/contracts/{contract_id}")).json()["reporting"]
    assert len(reporting) == 8
    assert (reporting[0]["quarter_ends_on"], reporting[0]["due_on"]) == ("2027-06-30", "2027-07-30")
    assert (reporting[-1]["quarter_ends_on"], reporting[-1]["due_on"]) == ("2029-03-31", "2029-04-30")


async def test_a_terminated_contract_reports_up_to_the_quarter_it_ended_in(client_as):
    contract_id = await support.contract(years={2027: 10_000_00, 2028: 10_000_00})
    await Contract.update({Contract.status: "terminated", Contract.terminated_on: date(2027, 8, 15)}).where(
        Contract.id == contract_id
    )
    http, _ = await client_as("commissioner")
    reporting = (await http.get(f"/api/v1/contracts/{contract_id}")).json()["reporting"]
    assert [(r["financial_year"], r["quarter"]) for r in reporting] == [(2027, 1), (2027, 2)]


async def test_sorting_by_status_follows_the_lifecycle_not_the_spelling(client_as):
    by = await make_actor("commissioner")
    expired = await support.contract(by=by)
    live = await support.contract(by=by)
    mobilising = await support.contract(by=by)
    await Contract.update({Contract.status: "expired"}).where(Contract.id == expired)
    await Contract.update({Contract.status: "live"}).where(Contract.id == live)
    http, _ = await client_as("national_admin")
    order = [await _reference(c) for c in (mobilising, live, expired)]
    assert await _refs(http, "?sort=status") == order
    assert await _refs(http, "?sort=-status") == order[::-1]
