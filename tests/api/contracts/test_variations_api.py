"""The variations API: who may propose and decide (the proposer never), what a refusal says, and the history."""

from __future__ import annotations

from typing import Any

import httpx

from contracts.tables import Contract, ContractVersion
from tests import contracts_support_variations as cs

PROBLEM = "application/problem+json"


def raise_2028(pence: int) -> dict[str, Any]:
    return {
        "kind": "price_change",
        "reason": "More sessions in the second year",
        "effective_on": "2028-04-01",
        "annual_values": [
            {"financial_year": 2027, "value_pence": 100_000_00},
            {"financial_year": 2028, "value_pence": pence},
        ],
    }


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    return response.json()


async def test_the_proposer_cannot_approve_and_the_others_get_what_their_role_and_scope_allow(client_as):
    made = await cs.contract()
    base = f"/api/v1/contracts/{made.contract_id}/variations"
    proposer, _ = await client_as("commissioner")
    proposed = await proposer.post(base, json=raise_2028(135_000_00))
    assert proposed.status_code == 201, proposed.text
    body = proposed.json()
    assert (body["number"], body["status_label"], body["kind_label"], body["can_decide"]) == (
        1,
        "Waiting for a decision",
        "Price change",
        False,
    )
    assert body["changes"][0] == "Annual value 2028-29: £120,000.00 -> £135,000.00"

    problem = _problem(await proposer.post(f"{base}/1/approve", json={}), 422)
    assert "someone other than the person who proposed it" in problem["detail"]
    elsewhere, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    _problem(await elsewhere.post(f"{base}/1/approve", json={}), 404)
    assert (await elsewhere.get(f"{base}/1")).status_code == 404
    provider, _ = await client_as("provider")
    assert (await provider.post(f"{base}/1/approve", json={})).status_code == 403
    director, _ = await client_as("finance_director")
    assert (await director.post(f"{base}/1/approve", json={})).status_code == 403
    assert (await director.get(f"{base}/1")).json()["can_decide"] is False
    contract = await Contract.select(Contract.version).where(Contract.id == made.contract_id).first()
    assert contract["version"] == 1

    colleague, _ = await client_as("commissioner")
    assert (await colleague.get(f"{base}/1")).json()["can_decide"] is True
    approved = await colleague.post(f"{base}/1/approve", json={"note": "Agreed at the PCPG"})
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status_label"], approved.json()["version_made"]) == ("Approved", 2)

    assert (await colleague.post(base, json=raise_2028(140_000_00))).status_code == 201
    admin, _ = await client_as("national_admin")
    assert (await admin.post(f"{base}/2/approve", json={})).status_code == 200
    assert (await provider.get(f"/api/v1/contracts/{made.contract_id}/history")).status_code == 404  # not its vehicle
    history = (await director.get(f"/api/v1/contracts/{made.contract_id}/history")).json()
    assert [v["version"] for v in history] == [1, 2, 3]
    assert history[2]["changes"][0] == "Annual value 2028-29: £135,000.00 -> £140,000.00"


async def test_an_approval_past_the_headroom_is_a_409_naming_the_line_the_year_and_the_shortfall(client_as):
    made = await cs.contract()
    base = f"/api/v1/contracts/{made.contract_id}/variations"
    proposer, _ = await client_as("commissioner")
    assert (await proposer.post(base, json=raise_2028(600_000_01))).status_code == 201
    colleague, _ = await client_as("commissioner")

    problem = _problem(await colleague.post(f"{base}/1/approve", json={}), 409)

    assert problem["detail"] == (
        "The budget line Cardiff, 2028-29, Cluster funding has not enough headroom for 2028-29: £100,000.01 short"
    )
    assert await ContractVersion.count().where(ContractVersion.contract == made.contract_id) == 1
    assert (await colleague.get(f"{base}/1")).json()["status_label"] == "Waiting for a decision"


async def test_a_bad_proposal_is_a_problem_naming_its_field(client_as):
    made = await cs.contract()
    base = f"/api/v1/contracts/{made.contract_id}/variations"
    proposer, _ = await client_as("commissioner")
    missing = _problem(await proposer.post(base, json={**raise_2028(1), "reason": ""}), 422)
    assert "reason" in str(missing)
    outside = _problem(await proposer.post(base, json={**raise_2028(1), "effective_on": "2031-01-01"}), 422)
    assert [e["field"] for e in outside.get("errors", [])] == ["effective_on"] or "effective_on" in str(outside)
    rejected = _problem(await proposer.post(f"{base}/9/reject", json={"note": "x"}), 404)
    assert rejected["status"] == 404
