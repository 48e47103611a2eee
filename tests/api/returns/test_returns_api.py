"""Reading delivery returns through the API (issue 13, item 7): each party sees its contract's returns, others none;
"overdue" is the clock's reading of a return not submitted by its due day."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.actor import Role
from contracts.tables import Contract
from returns.rules import ReturnStatus
from returns.tables import DeliveryReturn
from tests import contracts_support_lifecycle as cs


async def _provider_with_contract(client_as):
    """A provider's client and the id of a one-year contract its vehicle holds."""
    contract_id = await cs.contract(years=(2027,))
    vehicle = await Contract.select(Contract.delivery_vehicle).where(Contract.id == contract_id).first()
    http, _ = await client_as("provider", delivery_vehicle_id=vehicle["delivery_vehicle"])
    return http, contract_id


async def test_a_provider_reads_its_own_vehicles_returns_and_not_anothers(client_as):
    http, own = await _provider_with_contract(client_as)
    other = await cs.contract(years=(2027,), budget_lines={})
    found = (await http.get("/api/v1/returns", params={"limit": 200})).json()
    assert {item["contract_id"] for item in found["items"]} == {own}
    assert found["total"] == 4
    someone_elses = await DeliveryReturn.select(DeliveryReturn.id).where(DeliveryReturn.contract == other).first()
    assert (await http.get(f"/api/v1/returns/{someone_elses['id']}")).status_code == 404


async def test_overdue_is_a_return_not_submitted_after_its_due_day(client_as):
    http, contract_id = await _provider_with_contract(client_as)
    await cs.clock_on(date(2027, 11, 1))  # Q1 (due 30 July) and Q2 (due 1 November: not yet past) are over
    await DeliveryReturn.update({DeliveryReturn.status: ReturnStatus.SUBMITTED}).where(
        (DeliveryReturn.contract == contract_id) & (DeliveryReturn.quarter == 3)
    )
    overdue = (await http.get("/api/v1/returns", params={"status": "overdue"})).json()
    assert [(item["quarter"], item["status_label"]) for item in overdue["items"]] == [(1, "Overdue")]
    detail = (await http.get(f"/api/v1/returns/{overdue['items'][0]['id']}")).json()
    assert detail["summary"]["overdue"] is True
    assert [a["action"] for a in detail["actions"]] == ["edit", "submit"]
    assert len(detail["kpis"]) == 1 and detail["kpis"][0]["rag"] == "not_rated"


@pytest.mark.parametrize("role", [Role.EVALUATOR])
async def test_roles_that_read_no_contract_are_refused(client_as, role):
    http, _ = await client_as(role.value)
    assert (await http.get("/api/v1/returns")).status_code == 403


async def test_a_bad_status_is_a_problem_naming_it(client_as):
    http, _ = await client_as("commissioner")
    response = await http.get("/api/v1/returns", params={"status": "late"})
    assert response.status_code == 422 and "status" in response.text
