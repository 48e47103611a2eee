"""The variation pages: propose (form, check your answers with the ledger effect, propose), decide (someone other
than the proposer), and the history; in English and Welsh, with the NHS.UK error summary."""

from __future__ import annotations

from html import unescape
from typing import Any

import httpx

from contracts.tables import Contract, ContractVariation
from tests import contracts_support_variations as cs
from tests import contracts_support_viability as viability_support
from tests.conftest import csrf_from
from tests.pages.markup import decision_preview_rows, error_summary_links, html_lang, not_offered, welsh
from tests.pages.markup import text_of as words_of


def text_of(page: str) -> str:
    """The page's words as a reader sees them ("->" is written `-&gt;` in the HTML)."""
    return unescape(words_of(page))


async def _answers(http: httpx.AsyncClient, contract_id: int, **changes: Any) -> dict[str, Any]:
    form = await http.get(f"/contracts/{contract_id}/variations/new")
    assert form.status_code == 200, form.text
    answers = {
        "_csrf_token": csrf_from(form.text),
        "kind": "price_change",
        "reason": "More sessions in the second year",
        "effective-day": "1",
        "effective-month": "4",
        "effective-year": "2028",
        "year-2027-value": "100,000.00",
        "year-2028-value": "135000",
        "year-2029-value": "",
        "cluster_ids": [str(await cs.cluster_id(cs.NORTH))],
        "kpi-0-target": "80",
        "kpi-0-green_from": "",
        "kpi-0-red_from": "",
        "payment_timing": "in_arrears",
        **changes,
    }
    offered = not_offered(form.text, {name: value for name, value in answers.items() if name not in changes})
    assert not offered, f"the test posts fields the form does not offer: {offered}"
    return answers


async def test_a_commissioner_checks_the_ledger_effect_then_proposes_and_another_approves(client_as):
    made = await cs.contract()
    proposer, _ = await client_as("commissioner")
    answers = await _answers(proposer, made.contract_id)

    check = await proposer.post(f"/contracts/{made.contract_id}/variations/new", data=answers)
    assert check.status_code == 200, check.text
    text = text_of(check.text)
    assert "Annual value 2028-29: £120,000.00 -> £135,000.00" in text
    assert "Cardiff, 2028-29, Cluster funding £120,000.00 £135,000.00 £380,000.00 £365,000.00" in text
    assert not await ContractVariation.exists()  # nothing is proposed until confirmed

    confirmed = await proposer.post(f"/contracts/{made.contract_id}/variations/new", data={**answers, "confirm": "yes"})
    assert confirmed.status_code in (302, 303)
    assert confirmed.headers["location"] == f"/contracts/{made.contract_id}/variations/1"
    own = text_of((await proposer.get(confirmed.headers["location"])).text)
    assert "Waiting for a decision" in own and "Approve the variation" not in own

    colleague, _ = await client_as("commissioner")
    page = await colleague.get(f"/contracts/{made.contract_id}/variations/1")
    assert "Approve the variation" in text_of(page.text)
    token = csrf_from(page.text)
    refused = await colleague.post(f"/contracts/{made.contract_id}/variations/1/reject", data={"_csrf_token": token})
    assert refused.status_code == 400
    assert error_summary_links(refused.text) == ["#note"]
    approved = await colleague.post(
        f"/contracts/{made.contract_id}/variations/1/approve", data={"_csrf_token": token, "note": ""}
    )
    assert approved.status_code in (302, 303)
    history = text_of((await colleague.get(f"/contracts/{made.contract_id}/history")).text)
    assert "Version 2" in history
    assert "Annual value 2028-29: £120,000.00 -> £135,000.00" in history


async def test_wrong_answers_are_shown_with_the_error_summary_and_a_refusal_lands_on_its_input(client_as):
    made = await cs.contract()
    proposer, _ = await client_as("commissioner")
    answers = await _answers(proposer, made.contract_id, reason="", kind="")
    wrong = await proposer.post(f"/contracts/{made.contract_id}/variations/new", data=answers)
    assert wrong.status_code == 400
    assert error_summary_links(wrong.text) == ["#kind", "#reason"]

    answers = await _answers(proposer, made.contract_id, **{"year-2029-value": "10"})  # no 2029-30 line
    refused = await proposer.post(f"/contracts/{made.contract_id}/variations/new", data=answers)
    assert refused.status_code == 400
    assert error_summary_links(refused.text) == ["#year-2027-value"]
    assert "There is no budget line for 2029-30" in text_of(refused.text)
    assert not await ContractVariation.exists()


async def test_the_pages_read_in_welsh(client_as):
    made = await cs.contract()
    proposer, _ = await client_as("commissioner")
    form = await proposer.get(f"/contracts/{made.contract_id}/variations/new?lang=cy")
    assert form.status_code == 200
    assert html_lang(form.text) == "cy"
    assert "Propose a variation" not in text_of(form.text)
    history = await proposer.get(f"/contracts/{made.contract_id}/history?lang=cy")
    assert html_lang(history.text) == "cy"
    assert "History of the contract" not in text_of(history.text)


async def test_a_cluster_without_a_known_population_joins_with_percentages_split_exactly(client_as):
    made = await cs.contract()
    proposer, _ = await client_as("commissioner")
    north, east = await cs.cluster_id(cs.NORTH), await cs.cluster_id(cs.EAST)
    answers = await _answers(proposer, made.contract_id, cluster_ids=[str(north), str(east)])
    refused = await proposer.post(f"/contracts/{made.contract_id}/variations/new", data=answers)
    assert refused.status_code == 400
    assert error_summary_links(refused.text) == [f"#split-{east}"]  # the first of the PCPG's clusters by name
    assert "Some clusters have no known population: enter the split by cluster" in text_of(refused.text)

    wrong = await proposer.post(
        f"/contracts/{made.contract_id}/variations/new",
        data={**answers, f"split-{north}": "60", f"split-{east}": "30"},
    )
    assert wrong.status_code == 400
    assert "The percentages must add up to exactly 100" in text_of(wrong.text)

    answers = {**answers, f"split-{north}": "66.67", f"split-{east}": "33.33", "confirm": "yes"}
    proposed = await proposer.post(f"/contracts/{made.contract_id}/variations/new", data=answers)
    assert proposed.status_code in (302, 303), text_of(proposed.text)
    page = text_of((await proposer.get(proposed.headers["location"])).text)
    assert "Clusters: added Cardiff East" in page
    assert "Split 2027-28, Cardiff East: added, £33,330.00" in page
    assert "Split 2028-29, Cardiff North: £120,000.00 -> £90,004.50" in page  # 66.67 % of £135,000


async def _vehicle_of(contract_id: int) -> tuple[int, str]:
    row = (
        await Contract.select(Contract.delivery_vehicle, Contract.delivery_vehicle.name.as_alias("name"))
        .where(Contract.id == contract_id)
        .first()
    )
    assert row is not None
    return int(row["delivery_vehicle"]), str(row["name"])


async def test_the_check_and_decision_pages_show_how_the_variation_changes_the_vehicles_viability(client_as):
    made = await cs.contract()  # 2027-28 £100,000, 2028-29 £120,000
    vehicle_id, vehicle = await _vehicle_of(made.contract_id)
    for _ in range(2):
        await viability_support.contract(vehicle_id, {2027: 10_000_00, 2028: 10_000_00})
    # Three services each year: £120,000 in 2027-28 and £140,000 in 2028-29, both viable (the defaults: at least
    # 2 services and £100,000, viable from 3 and £120,000). Cutting 2028-29 to £90,000 leaves £110,000: at risk.
    proposer, _ = await client_as("commissioner")
    answers = await _answers(proposer, made.contract_id, **{"year-2028-value": "90000"})

    check = await proposer.post(f"/contracts/{made.contract_id}/variations/new", data=answers)
    assert check.status_code == 200, check.text[:500]
    assert f"How this changes the viability of {vehicle}" in text_of(check.text)
    assert decision_preview_rows(check.text) == [
        ["2028-29", "Viable 3 services, £140,000.00", "At risk (changes) 3 services, £110,000.00"]
    ]  # 2027-28 keeps its value, so it is not shown

    welsh_check = await proposer.post(
        f"/contracts/{made.contract_id}/variations/new?lang=cy", data={**answers, "_csrf_token": answers["_csrf_token"]}
    )
    welsh_text = text_of(welsh_check.text)
    assert welsh("How this changes the viability of %(vehicle)s", vehicle=vehicle) in welsh_text
    assert welsh("At risk") in welsh_text and welsh("Viable") in welsh_text

    proposed = await proposer.post(f"/contracts/{made.contract_id}/variations/new", data={**answers, "confirm": "yes"})
    assert proposed.status_code in (302, 303)
    colleague, _ = await client_as("commissioner")
    deciding = await colleague.get(f"/contracts/{made.contract_id}/variations/1")
    assert decision_preview_rows(deciding.text) == decision_preview_rows(check.text)
    own = await proposer.get(f"/contracts/{made.contract_id}/variations/1")
    assert decision_preview_rows(own.text) == [], "only someone who may decide sees it"

    approved = await colleague.post(
        f"/contracts/{made.contract_id}/variations/1/approve",
        data={"_csrf_token": csrf_from(deciding.text), "note": ""},
    )
    assert approved.status_code in (302, 303)
    decided = await colleague.get(f"/contracts/{made.contract_id}/variations/1")
    assert decision_preview_rows(decided.text) == [], "once decided there is nothing left to preview"


async def test_a_variation_that_moves_no_money_shows_no_viability_change(client_as):
    made = await cs.contract()
    vehicle_id, vehicle = await _vehicle_of(made.contract_id)
    await viability_support.contract(vehicle_id, {2028: 10_000_00})
    proposer, _ = await client_as("commissioner")
    answers = await _answers(proposer, made.contract_id, **{"year-2028-value": "120000", "kpi-0-target": "85"})
    check = await proposer.post(f"/contracts/{made.contract_id}/variations/new", data=answers)
    assert check.status_code == 200, check.text[:500]
    assert "KPI People seen 1, target: 80 -> 85" in text_of(check.text)
    assert f"How this changes the viability of {vehicle}" not in text_of(check.text)
    assert decision_preview_rows(check.text) == []
