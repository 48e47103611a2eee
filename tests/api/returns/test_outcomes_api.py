"""Outcomes through the API (issue 13, item 5): a contract's KPIs for its parties only, the PCPG view and the equity
view, and problems naming a bad parameter."""

from __future__ import annotations

from datetime import date

from contracts.tables import Contract, ContractAllocation
from tests import contracts_support_lifecycle as cs
from tests import factories
from tests import returns_support_outcomes as rs


async def _vehicle(contract_id: int) -> int:
    row = await Contract.select(Contract.delivery_vehicle).where(Contract.id == contract_id).first()
    return int(row["delivery_vehicle"])


async def test_a_provider_reads_its_own_contracts_outcomes_and_not_anothers(client_as):
    own = await cs.contract(years=(2027,))
    other = await cs.contract(years=(2027,), budget_lines={})
    await rs.set_thresholds(own, green_from="80", red_from="60")
    await rs.report(own, {(2027, 1): "80", (2027, 2): "59.5"})
    await cs.clock_on(date(2028, 5, 1))
    http, _ = await client_as("provider", delivery_vehicle_id=await _vehicle(own))
    found = (await http.get(f"/api/v1/contracts/{own}/outcomes")).json()
    (kpi,) = found["kpis"]
    assert [(q["period"], q["value"], q["rag"]) for q in kpi["quarters"]] == [
        ("2027-28 Q1", "80", "green"),
        ("2027-28 Q2", "59.5", "red"),
        ("2027-28 Q3", None, "not_rated"),
        ("2027-28 Q4", None, "not_rated"),
    ]
    assert kpi["chart_svg"].startswith("<svg") and len(kpi["table"]) == 4
    assert (await http.get(f"/api/v1/contracts/{other}/outcomes")).status_code == 404


async def test_the_pcpg_view_for_a_commissioner_and_another_pcpgs_is_not_found(client_as):
    contract_id = await cs.contract(years=(2027,))
    await rs.set_thresholds(contract_id, green_from="80", red_from="60")
    await rs.report(contract_id, {(2027, 1): "81"})
    cardiff, _ = await client_as("commissioner")
    view = (await cardiff.get("/api/v1/outcomes", params={"financial_year": 2027})).json()
    assert [(row["contract_id"], row["green"], row["red"]) for row in view["items"]] == [(contract_id, 1, 0)]
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    response = await swansea.get("/api/v1/outcomes", params={"pcpg": view["pcpg_id"], "financial_year": 2027})
    assert response.status_code == 422 and [e["field"] for e in response.json()["errors"]] == ["pcpg"]


async def test_bad_parameters_are_problems_naming_them(client_as):
    admin, _ = await client_as("national_admin")
    for path, params, field in (
        ("/api/v1/outcomes", {}, "pcpg"),
        ("/api/v1/outcomes", {"pcpg": 1, "sort": "red"}, "sort"),
        ("/api/v1/outcomes", {"pcpg": 1, "financial_year": 1999}, "financial_year"),
        ("/api/v1/equity", {"kpi": "x"}, "service"),
        ("/api/v1/equity", {"service": 999_999, "kpi": "x"}, "service"),
    ):
        response = await admin.get(path, params=params)
        assert response.status_code == 422, (path, params, response.text)
        assert field in response.text, (path, params, response.text)


async def test_the_equity_view_gives_the_figure_per_1000_and_lists_unknown_populations_apart(client_as):
    north, east = await factories.cluster_ids("Cardiff North", "Cardiff East")
    contract_id = await cs.contract(years=(2027,), clusters=("Cardiff North", "Cardiff East"))
    service = await rs.same_service(contract_id)
    # Cardiff East has no known population, so the contract's value waits for an explicit split; Cardiff North's
    # is entered with the population it used.
    await ContractAllocation.insert(
        ContractAllocation(
            contract=contract_id,
            financial_year=2027,
            cluster=north,
            amount_pence=100,
            method="explicit",
            population=8_000,
            population_source="Test source",
            population_as_of="2026",
        )
    )
    await rs.report(contract_id, {(2027, 1): "70"}, activity={(2027, 1): {north: 123, east: 50}})
    admin, _ = await client_as("national_admin")
    params = {"service": service, "kpi": "seen_in_two_days", "financial_year": 2027}
    found = (await admin.get("/api/v1/equity", params=params)).json()
    assert [(c["cluster"], c["units"], c["population"], c["per_thousand"]) for c in found["clusters"]] == [
        ("Cardiff North", 123, 8000, "15.4")  # 123 x 1000 / 8000 = 15.375, to one place
    ]
    assert found["clusters"][0]["population_note"] == "Used for the 2027-28 allocation: Test source (2026)"
    assert [(c["cluster"], c["per_thousand"]) for c in found["clusters_without_population"]] == [("Cardiff East", None)]
    unknown = await admin.get("/api/v1/equity", params={**params, "kpi": "no such kpi"})
    assert unknown.status_code == 422 and "kpi" in unknown.text


async def test_the_reads_take_as_many_statements_with_many_contracts_and_quarters_as_with_one(client_as):
    from tests.query_count import statements_for

    admin, _ = await client_as("national_admin")
    first = await cs.contract(years=(2027,))
    await rs.report(first, {(2027, 1): "70"})
    await cs.clock_on(date(2028, 5, 1))
    service = await rs.same_service(first)
    pcpg = (await Contract.select(Contract.pcpg).where(Contract.id == first).first())["pcpg"]
    paths = (
        f"/api/v1/contracts/{first}/outcomes",
        f"/api/v1/outcomes?pcpg={pcpg}&financial_year=2027",
        f"/api/v1/equity?service={service}&kpi=seen_in_two_days&financial_year=2027",
    )
    few = [await statements_for(admin, path) for path in paths]
    await rs.report(first, {(2027, 2): "71", (2027, 3): "72", (2027, 4): "73"})
    for _ in range(3):
        more = await cs.contract(years=(2027,), budget_lines={})
        await rs.report(more, {(2027, 1): "60", (2027, 2): "65"})
        await Contract.update({Contract.menu_service_version: (await _version(first))}).where(Contract.id == more)
    many = [await statements_for(admin, path) for path in paths]
    assert few == many
    assert len((await admin.get(paths[1])).json()["items"]) == 4  # the rows did grow


async def _version(contract_id: int) -> int:
    row = await Contract.select(Contract.menu_service_version).where(Contract.id == contract_id).first()
    return int(row["menu_service_version"])
