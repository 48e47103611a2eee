"""Payments through the API (issue 13, item 4): the finance director approves a quarter's payment and the ledger's
actual spend moves out of committed to the penny; withhold and release; scope; separation of duties."""

from __future__ import annotations

from datetime import date

from accounts.actor import Role
from accounts.tables import User
from tests import contracts_support_lifecycle as cs
from tests import returns_support_payments as ps

BOARD = ps.CARDIFF_AND_VALE


async def _ledger_line(http, line_id: int) -> dict:
    report = (await http.get("/api/v1/finance/ledger", params={"financial_year": 2027, "limit": 200})).json()
    return next(item for item in report["items"] if item["budget_line_id"] == line_id)


def _reconciles(line: dict) -> bool:
    return line["budget_pence"] == (
        line["earmarked_pence"] + line["committed_unspent_pence"] + line["actual_pence"] + line["headroom_pence"]
    )


async def test_approving_a_payment_moves_it_from_committed_to_actual_on_the_ledger(client_as):
    contract_id = await cs.contract(years=(2027,))
    line_id = await ps.line_of(contract_id, 2027)
    await ps.accept(contract_id, 2027, 1, spend_pence=28_500_00, units={})
    await cs.clock_on(date(2027, 8, 1))
    http, _ = await client_as("finance_director", health_board_name=BOARD)
    before = await _ledger_line(http, line_id)
    due = (await http.get("/api/v1/payments", params={"status": "payable"})).json()
    assert [(p["contract_id"], p["quarter"], p["amount_pence"]) for p in due["items"]] == [(contract_id, 1, 30_000_00)]
    assert due["items"][0]["reported_spend_pence"] == 28_500_00  # beside the payment, not in it
    response = await http.post(f"/api/v1/contracts/{contract_id}/payments/2027/1/approve")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "approved"
    assert sum(c["amount_pence"] for c in response.json()["clusters"]) == 30_000_00
    after = await _ledger_line(http, line_id)
    assert after["actual_pence"] - before["actual_pence"] == 30_000_00
    assert before["committed_unspent_pence"] - after["committed_unspent_pence"] == 30_000_00
    assert after["headroom_pence"] == before["headroom_pence"]
    assert _reconciles(before) and _reconciles(after)
    years = (await http.get(f"/api/v1/contracts/{contract_id}/allocations")).json()
    paid = {a["cluster_id"]: a["paid_pence"] for y in years for a in y["allocations"]}
    assert paid == {c["cluster_id"]: c["amount_pence"] for c in response.json()["clusters"]}
    assert [y["paid_pence"] for y in years] == [30_000_00]
    report = (await http.get("/api/v1/finance/ledger", params={"financial_year": 2027})).json()
    year = report["years"][0]
    assert year["budget_pence"] == (
        year["earmarked_pence"] + year["committed_unspent_pence"] + year["actual_pence"] + year["headroom_pence"]
    )
    again = await http.post(f"/api/v1/contracts/{contract_id}/payments/2027/1/approve")
    assert again.status_code == 409
    assert (await _ledger_line(http, line_id))["actual_pence"] == after["actual_pence"]


async def test_a_scheduled_payment_cannot_be_approved(client_as):
    contract_id = await cs.contract(years=(2027,))
    await cs.clock_on(date(2027, 8, 1))
    http, _ = await client_as("finance_director", health_board_name=BOARD)
    response = await http.post(f"/api/v1/contracts/{contract_id}/payments/2027/1/approve")
    assert response.status_code == 409 and "Scheduled" in response.text


async def test_withholding_needs_a_reason_and_release_makes_it_due_again(client_as):
    contract_id = await cs.contract(years=(2027,))
    await ps.accept(contract_id, 2027, 1)
    await cs.clock_on(date(2027, 8, 1))
    http, _ = await client_as("finance_director", health_board_name=BOARD)
    base = f"/api/v1/contracts/{contract_id}/payments/2027/1"
    missing = await http.post(f"{base}/withhold", json={"reason": ""})
    assert missing.status_code == 422 and "reason" in missing.text
    held = await http.post(f"{base}/withhold", json={"reason": "Performance notice: KPI 1 red"})
    assert held.status_code == 200 and held.json()["status"] == "withheld"
    listed = (await http.get("/api/v1/payments", params={"status": "withheld"})).json()
    assert [p["reason"] for p in listed["items"]] == ["Performance notice: KPI 1 red"]
    assert (await http.post(f"{base}/approve")).status_code == 409
    released = await http.post(f"{base}/release", json={"reason": "Recovery plan agreed"})
    assert released.status_code == 200 and released.json()["status"] == "payable"
    assert (await http.post(f"{base}/approve")).status_code == 200


async def test_each_party_reads_its_own_payments_and_another_boards_finance_director_finds_none(client_as):
    contract_id = await cs.contract(years=(2027,))
    await ps.accept(contract_id, 2027, 1)
    await cs.clock_on(date(2027, 8, 1))
    other, _ = await client_as("finance_director", health_board_name="Swansea Bay University Health Board")
    assert (await other.get("/api/v1/payments")).json()["total"] == 0
    assert (await other.get(f"/api/v1/contracts/{contract_id}/payments/2027/1")).status_code == 404
    assert (await other.post(f"/api/v1/contracts/{contract_id}/payments/2027/1/approve")).status_code == 404
    commissioner, _ = await client_as("commissioner")
    assert (await commissioner.get("/api/v1/payments")).json()["total"] == 4
    assert (await commissioner.post(f"/api/v1/contracts/{contract_id}/payments/2027/1/approve")).status_code == 403
    admin, _ = await client_as("national_admin")
    assert (await admin.get("/api/v1/payments", params={"contract": contract_id})).json()["total"] == 4
    assert (await admin.get(f"/api/v1/contracts/{contract_id}/payments/2027/9")).status_code == 404


async def test_whoever_accepted_the_return_is_refused_its_payment(client_as):
    """Accounts hold one role, so this is the commissioner who accepted, their account later made a finance
    director's (as only a direct change of the row can): refused, nothing written."""
    contract_id = await cs.contract(years=(2027,))
    await cs.clock_on(date(2027, 8, 1))
    http, actor = await client_as("commissioner")
    await ps.accept(contract_id, 2027, 1, by=actor.username)
    board = await ps.finance_director()
    await User.update({User.role: Role.FINANCE_DIRECTOR.value, User.health_board: board.health_board_id}).where(
        User.id == actor.user_id
    )
    refused = await http.post(f"/api/v1/contracts/{contract_id}/payments/2027/1/approve")
    assert refused.status_code == 403 and "someone else must approve" in refused.text
    other, _ = await client_as("finance_director", health_board_name=BOARD)
    assert (await other.post(f"/api/v1/contracts/{contract_id}/payments/2027/1/approve")).status_code == 200


async def test_the_payments_list_reads_in_the_same_statements_however_many_payments_are_decided(client_as):
    from tests.query_count import statements_for

    contracts = [await cs.contract(years=(2027,), budget_lines=lines) for lines in [await cs.lines((2027,))] * 3]
    await cs.clock_on(date(2028, 3, 1))
    http, _ = await client_as("finance_director", health_board_name=BOARD)
    await ps.accept(contracts[0], 2027, 1)
    assert (await http.post(f"/api/v1/contracts/{contracts[0]}/payments/2027/1/approve")).status_code == 200
    pages = ("/api/v1/payments", "/payments", "/payments?status=approved")
    few = [await statements_for(http, page) for page in pages]
    for contract_id in contracts[1:]:
        for quarter in (1, 2, 3):
            await ps.accept(contract_id, 2027, quarter)
            approved = await http.post(f"/api/v1/contracts/{contract_id}/payments/2027/{quarter}/approve")
            assert approved.status_code == 200
    assert (await http.get("/api/v1/payments", params={"status": "approved"})).json()["total"] == 7
    assert [await statements_for(http, page) for page in pages] == few
