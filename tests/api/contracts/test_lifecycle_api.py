"""The lifecycle API: each move answers the contract's new status; a refused move is an RFC 9457 problem naming why
and changes nothing; only the commissioners of the contract's PCPG move it (issue 12, item 4)."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.tables import ContractAllocation, ContractKpi
from tests import contracts_support_lifecycle as cs
from tests import factories


@pytest.fixture(autouse=True)
async def in_the_first_quarter() -> None:
    await cs.clock_on(date(2027, 6, 1))


async def test_a_commissioner_mobilises_suspends_resumes_and_terminates_a_contract(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)
    base = f"/api/v1/contracts/{contract_id}"

    live = await http.post(f"{base}/mobilise")
    assert live.status_code == 200, live.text
    assert (live.json()["status"], live.json()["live_from_on"]) == ("live", "2027-06-01")
    suspended = await http.post(f"{base}/suspend", json={"reason": "Premises flooded"})
    assert (suspended.json()["status"], suspended.json()["status_reason"]) == ("suspended", "Premises flooded")
    assert (await http.post(f"{base}/resume")).json()["status"] == "live"

    preview = await http.get(f"{base}/termination-preview", params={"terminated_on": "2027-06-30"})
    assert preview.status_code == 200, preview.text
    assert [line["released_pence"] for line in preview.json()["lines"]] == [90_000_00, 120_000_00, 120_000_00]
    assert preview.json()["last_payment"]["quarter"] == 1
    ended = await http.post(f"{base}/terminate", json={"terminated_on": "2027-06-30", "reason": "Provider closed"})
    assert ended.status_code == 200, ended.text
    assert (ended.json()["status"], ended.json()["terminated_on"]) == ("terminated", "2027-06-30")
    assert await cs.committed_by_year(contract_id) == {2027: 30_000_00}


async def test_a_move_not_in_the_table_is_a_409_problem_and_changes_nothing(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)

    refused = await http.post(f"/api/v1/contracts/{contract_id}/resume")

    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "Only a suspended contract can be resumed" in refused.json()["detail"]
    assert await cs.status_of(contract_id) == "mobilising"


async def test_going_live_before_the_start_date_is_refused(client_as):
    await cs.clock_on(date(2027, 3, 31))
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)

    refused = await http.post(f"/api/v1/contracts/{contract_id}/mobilise")

    assert refused.status_code == 422
    assert "1 April 2027" in refused.json()["detail"]
    assert await cs.status_of(contract_id) == "mobilising"


async def test_a_termination_needs_a_real_date_in_the_term_and_a_reason(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(commissioner=commissioner)
    base = f"/api/v1/contracts/{contract_id}"

    no_reason = await http.post(f"{base}/terminate", json={"terminated_on": "2027-06-30", "reason": ""})
    past = await http.post(f"{base}/terminate", json={"terminated_on": "2027-05-31", "reason": "Closed"})
    not_a_date = await http.get(f"{base}/termination-preview", params={"terminated_on": "30/06/2027"})
    past_preview = await http.get(f"{base}/termination-preview", params={"terminated_on": "2027-05-31"})
    assert past_preview.status_code == 200  # a read refuses nothing: it says whether the termination would be
    assert past_preview.json()["can_terminate"] is False
    assert past_preview.json()["refusal"] == "The termination date cannot be in the past"
    assert past_preview.json()["refusal_field"] == "terminated_on"
    good_preview = await http.get(f"{base}/termination-preview", params={"terminated_on": "2027-06-01"})
    assert (good_preview.json()["can_terminate"], good_preview.json()["refusal"]) == (True, "")

    assert no_reason.status_code == 422
    assert "reason" in no_reason.text
    assert past.status_code == 422
    assert past.json().get("field") == "terminated_on" or "terminated_on" in past.text
    assert not_a_date.status_code == 422
    assert await cs.status_of(contract_id) == "mobilising"
    assert await cs.committed_by_year(contract_id) == {2027: 120_000_00, 2028: 120_000_00, 2029: 120_000_00}


async def test_the_split_and_the_kpis_are_set_while_mobilising(client_as):
    http, commissioner = await client_as("commissioner")
    contract_id = await cs.contract(years=(2027,), clusters=cs.WITHOUT_POPULATION, commissioner=commissioner)
    east, west = await factories.cluster_ids(*cs.WITHOUT_POPULATION)
    base = f"/api/v1/contracts/{contract_id}"

    off = await http.put(
        f"{base}/allocations",
        json={
            "amounts": [
                {"financial_year": 2027, "cluster_id": east, "amount_pence": 60_000_00},
                {"financial_year": 2027, "cluster_id": west, "amount_pence": 59_999_99},
            ]
        },
    )
    assert off.status_code == 422
    assert "£119,999.99" in off.json()["detail"]
    assert await ContractAllocation.count().where(ContractAllocation.contract == contract_id) == 0
    short = await http.put(
        f"{base}/allocations",
        json={"percentages": [{"cluster_id": east, "percent": "50"}, {"cluster_id": west, "percent": "49.99"}]},
    )
    assert short.status_code == 422
    saved = await http.put(
        f"{base}/allocations",
        json={"percentages": [{"cluster_id": east, "percent": "66.67"}, {"cluster_id": west, "percent": "33.33"}]},
    )
    assert saved.status_code == 200, saved.text
    rows = await ContractAllocation.select().where(ContractAllocation.contract == contract_id)
    assert sorted(int(r["amount_pence"]) for r in rows) == [39_996_00, 80_004_00]

    [kpi] = await ContractKpi.select(ContractKpi.id).where(ContractKpi.contract == contract_id)
    kpis = await http.put(
        f"{base}/kpis",
        json={
            "thresholds": [{"kpi_id": kpi["id"], "green_from": "90", "red_from": "75"}],
            "activity": [{"financial_year": 2027, "quarter": 1, "units": 40}],
        },
    )
    assert kpis.status_code == 200, kpis.text
    backwards = await http.put(
        f"{base}/kpis", json={"thresholds": [{"kpi_id": kpi["id"], "green_from": "70", "red_from": "75"}]}
    )
    assert backwards.status_code == 422
    assert "green" in backwards.json()["detail"]


@pytest.mark.parametrize("role", ["provider", "finance_director", "evaluator"])
async def test_a_provider_or_finance_director_cannot_move_a_contract(client_as, role):
    http, _ = await client_as(role)
    contract_id = await cs.contract()
    for path, body in (
        ("mobilise", None),
        ("suspend", {"reason": "x"}),
        ("resume", None),
        ("terminate", {"terminated_on": "2027-06-30", "reason": "x"}),
    ):
        answer = await http.post(f"/api/v1/contracts/{contract_id}/{path}", json=body)
        assert answer.status_code == 403, answer.text
    assert await cs.status_of(contract_id) == "mobilising"


async def test_a_commissioner_of_another_pcpg_gets_404(client_as):
    http, _ = await client_as("commissioner", pcpg_names=("Vale of Glamorgan",))
    contract_id = await cs.contract()
    for answer in (
        await http.post(f"/api/v1/contracts/{contract_id}/mobilise"),
        await http.post(
            f"/api/v1/contracts/{contract_id}/terminate", json={"terminated_on": "2027-06-30", "reason": "x"}
        ),
        await http.get(f"/api/v1/contracts/{contract_id}/termination-preview", params={"terminated_on": "2027-06-30"}),
        await http.get(
            f"/api/v1/contracts/{contract_id + 1000}/termination-preview", params={"terminated_on": "2027-06-30"}
        ),
    ):
        assert answer.status_code == 404, answer.text
    assert await cs.status_of(contract_id) == "mobilising"
