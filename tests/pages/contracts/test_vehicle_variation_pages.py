"""A delivery vehicle's variation pages (issue 15, item 5): its user changes the annual values only, is told what
its earned autonomy lets it agree, checks the change (no ledger: the budget lines are the health board's) and, within
its tier's limit, sees it agreed and applied at once."""

from __future__ import annotations

from contracts.tables import Contract
from tests import returns_support_autonomy as rs
from tests.conftest import csrf_from
from tests.pages.markup import form_field_names, success_banner, text_of


async def test_a_vehicle_agrees_a_change_of_its_values_within_its_earned_autonomy(client_as):
    v = await rs.vehicle()
    await rs.tier_row(v.id, "earned", (2026, 1))  # earned autonomy from long ago: up to £5,000 by default
    http, _ = await client_as("provider", delivery_vehicle_id=v.id)
    contract = await http.get(f"/contracts/{v.contract_id}")
    assert f'href="/contracts/{v.contract_id}/variations/new"' in contract.text
    form = await http.get(f"/contracts/{v.contract_id}/variations/new")
    assert form.status_code == 200
    assert "a change of up to £5,000.00 in the contract's total value is agreed" in text_of(form.text)
    shown = form_field_names(form.text)
    assert "year-2027-value" in shown and "Clusters covered" not in text_of(form.text)
    row = await Contract.select(Contract.total_value_pence).where(Contract.id == v.contract_id).first()
    assert row is not None
    answers = {
        "_csrf_token": csrf_from(form.text),
        "kind": "price_change",
        "reason": "More sessions in the summer",
        "effective-day": "10",
        "effective-month": "5",
        "effective-year": "2027",
        "year-2027-value": f"{(row['total_value_pence'] + 3_000_00) / 100:.2f}",
        "year-2028-value": "",
    }
    hidden: dict[str, list[str]] = {}
    for name, value in _hidden(form.text):
        hidden.setdefault(name, []).append(value)
    check = await http.post(f"/contracts/{v.contract_id}/variations/new", data={**hidden, **answers})
    assert check.status_code == 200, check.text
    words = text_of(check.text)
    assert "agreed and applied to the contract as soon as you propose it" in words
    assert "Effect on the ledger" not in words
    done = await http.post(f"/contracts/{v.contract_id}/variations/new", data={**hidden, **answers, "confirm": "yes"})
    assert done.status_code in (302, 303), text_of(done.text)[:1500]
    page = await http.get(done.headers["location"])
    assert "agreed under your earned autonomy" in (success_banner(page.text) or "")
    assert "Agreed by the delivery vehicle without a commissioner's approval" in text_of(page.text)
    after = await Contract.select(Contract.total_value_pence).where(Contract.id == v.contract_id).first()
    assert after is not None and after["total_value_pence"] == row["total_value_pence"] + 3_000_00


def _hidden(page: str) -> list[tuple[str, str]]:
    import re

    return [
        (name, value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
        if name != "_csrf_token"
    ]
