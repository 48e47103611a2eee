"""The variation pages: propose (form, check your answers with the ledger effect, propose), decide (someone other
than the proposer), and the history; in English and Welsh, with the NHS.UK error summary."""

from __future__ import annotations

from html import unescape
from typing import Any

import httpx

from contracts.tables import ContractVariation
from tests import contracts_support_variations as cs
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, html_lang
from tests.pages.markup import text_of as words_of


def text_of(page: str) -> str:
    """The page's words as a reader sees them ("->" is written `-&gt;` in the HTML)."""
    return unescape(words_of(page))


async def _answers(http: httpx.AsyncClient, contract_id: int, **changes: Any) -> dict[str, Any]:
    form = await http.get(f"/contracts/{contract_id}/variations/new")
    assert form.status_code == 200, form.text
    return {
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
