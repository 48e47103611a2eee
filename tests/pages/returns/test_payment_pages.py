"""The finance director's payment pages (issue 13, items 4 and 8): payments to approve (due first) and withheld
payments, each decision after a check page; withholding needs a reason; English and Welsh."""

from __future__ import annotations

from datetime import date
from html import unescape
from typing import Any

from contracts.tables import Contract, ContractCluster
from tests import contracts_support_lifecycle as cs
from tests import returns_support_payments as ps
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, html_lang, success_banner


async def _world(client_as):  # type: ignore[no-untyped-def]
    contract_id = await cs.contract(years=(2027,))
    await ps.accept(contract_id, 2027, 1, spend_pence=29_000_00)
    await cs.clock_on(date(2027, 8, 1))
    http, _ = await client_as("finance_director", health_board_name=ps.CARDIFF_AND_VALE)
    return http, contract_id


async def test_the_payments_to_approve_come_first_and_approving_after_the_check_makes_it_spent(client_as):
    http, contract_id = await _world(client_as)
    listing = await http.get("/payments")
    assert listing.status_code == 200
    rows = listing.text.split('<tbody class="nhsuk-table__body">')[1].split("</tr>")
    assert "To approve" in rows[0] and "Scheduled" in rows[1]
    assert "£29,000.00" in rows[0] and "£30,000.00" in rows[0]  # reported spend beside the payment
    base = f"/payments/{contract_id}/2027/1"
    check = await http.get(f"{base}/approve")
    assert check.status_code == 200 and "Check before you approve the payment" in check.text
    done = await http.post(f"{base}/approve", data={"_csrf_token": csrf_from(check.text)})
    assert done.status_code in (302, 303) and done.headers["location"] == "/payments"
    after = await http.get("/payments", params={"status": "approved"})
    assert success_banner(after.text) and "Approved" in after.text and "£30,000.00" in after.text
    twice = await http.post(f"{base}/approve", data={"_csrf_token": csrf_from(check.text)})
    assert twice.status_code == 409 and error_summary_links(twice.text) == ["#confirm-button"]


async def test_withholding_asks_for_a_reason_checks_it_then_lists_the_payment_as_withheld(client_as):
    http, contract_id = await _world(client_as)
    base = f"/payments/{contract_id}/2027/1"
    form = await http.get(f"{base}/withhold")
    token = csrf_from(form.text)
    empty = await http.post(f"{base}/withhold", data={"_csrf_token": token, "reason": ""})
    assert empty.status_code == 400 and error_summary_links(empty.text) == ["#reason"]
    assert "Give the reason for withholding the payment" in empty.text
    to_check = await http.post(f"{base}/withhold", data={"_csrf_token": token, "reason": "KPI 1 red"})
    assert to_check.status_code in (302, 303) and "/withhold/check" in to_check.headers["location"]
    check = await http.get(to_check.headers["location"])
    assert "Check before you withhold the payment" in check.text and "KPI 1 red" in check.text
    assert (await http.get("/payments/withheld")).text.count("KPI 1 red") == 0  # nothing written yet
    done = await http.post(f"{base}/withhold", data={"_csrf_token": token, "reason": "KPI 1 red", "confirm": "yes"})
    assert done.headers["location"] == "/payments/withheld"
    withheld = await http.get("/payments/withheld")
    assert "KPI 1 red" in withheld.text and f"{base}/release" in withheld.text
    released = await http.post(f"{base}/release", data={"_csrf_token": token, "reason": "Agreed", "confirm": "yes"})
    assert released.headers["location"] == "/payments"
    assert "KPI 1 red" not in (await http.get("/payments/withheld")).text


async def test_the_pages_read_in_welsh(client_as):
    http, contract_id = await _world(client_as)
    welsh = await http.get("/payments?lang=cy")
    assert html_lang(welsh.text) == "cy" and "Taliadau i'w cymeradwyo" in unescape(welsh.text)
    assert "I'w gymeradwyo" in unescape(welsh.text) and "To approve" not in welsh.text
    check = unescape((await http.get(f"/payments/{contract_id}/2027/1/approve?lang=cy")).text)
    assert "Gwiriwch cyn i chi gymeradwyo'r taliad" in check and "Cymeradwyo'r taliad" in check


async def test_another_boards_finance_director_finds_no_such_payment_page(client_as):
    contract_id = await cs.contract(years=(2027,))
    await ps.accept(contract_id, 2027, 1)
    other, _ = await client_as("finance_director", health_board_name="Swansea Bay University Health Board")
    assert (await other.get(f"/payments/{contract_id}/2027/1/approve")).status_code == 404
    assert (await other.get(f"/payments/{contract_id}/2027/1/withhold")).status_code == 404


async def test_finance_directors_find_payments_in_their_navigation_and_commissioners_do_not(client_as):
    finance, _ = await client_as("finance_director")
    commissioner, _ = await client_as("commissioner")
    assert 'href="/payments"' in (await finance.get("/dashboard")).text
    assert 'href="/payments"' not in (await commissioner.get("/dashboard")).text
    assert (await commissioner.get("/payments")).status_code == 403


async def test_the_cost_per_unit_beside_a_payment_reads_as_plain_words_with_the_unit_in_brackets(client_as):
    contract_id = await cs.contract(years=(2027,))
    cluster = (await ContractCluster.select(ContractCluster.cluster).where(ContractCluster.contract == contract_id))[0]
    await ps.accept(contract_id, 2027, 1, spend_pence=29_000_00, units={cluster["cluster"]: 500})
    await cs.clock_on(date(2027, 8, 1))
    http, _ = await client_as("finance_director", health_board_name=ps.CARDIFF_AND_VALE)
    listing = unescape((await http.get("/payments")).text)
    c: Any = Contract
    unit = (
        await Contract.select(c.menu_service_version.unit_of_activity.as_alias("unit"))
        .where(Contract.id == contract_id)
        .first()
    )
    assert f"£58.00 per unit of activity ({unit['unit']})" in listing  # not "£58.00 per contacts"
