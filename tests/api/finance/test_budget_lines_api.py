"""The budget lines API: set and changed by finance directors (their health board) and national admins, read by
commissioners (their PCPGs), with the ledger computed on every read; other roles refused."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from audit.tables import AuditEvent
from finance import queries as finance_queries
from finance.tables import BudgetLine
from tests import commissioning_support as support
from tests.conftest import make_actor

PROBLEM = "application/problem+json"
LEDGER_FIELDS = {
    "budget_line_id",
    "budget_pence",
    "earmarked_pence",
    "committed_pence",
    "actual_pence",
    "headroom_pence",
    "used_percent",
    "warning",
}


async def _line_json(pcpg: str = "Cardiff", **changes: Any) -> dict[str, Any]:
    body = {
        "pcpg_id": await support.pcpg_id(pcpg),
        "financial_year": 2027,
        "funding_stream": "cluster_funding",
        "amount_pence": 30_000_000,
    }
    return {**body, **changes}


async def _set(http: httpx.AsyncClient, pcpg: str = "Cardiff", **changes: Any) -> dict[str, Any]:
    response = await http.post("/api/v1/budget-lines", json=await _line_json(pcpg, **changes))
    assert response.status_code == 201, response.text
    return response.json()


async def _row(line_id: int) -> Any:
    """The line as the services see it, to draw a specification on."""
    return await finance_queries.get_budget_line(actor=await make_actor("national_admin"), budget_line_id=line_id)


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    return response.json()


async def test_a_finance_director_sets_a_line_and_reads_its_ledger(client_as):
    http, actor = await client_as("finance_director")
    line = await _set(http, note="Recurrent allocation")
    assert (line["pcpg"], line["financial_year_label"], line["funding_stream"], line["amount_pence"]) == (
        "Cardiff",
        "2027-28",
        "cluster_funding",
        30_000_000,
    )
    assert (line["health_board"], line["updated_by"], line["note"]) == (
        "Cardiff and Vale University Health Board",
        actor.username,
        "Recurrent allocation",
    )
    response = await http.get(f"/api/v1/budget-lines/{line['id']}/ledger")
    assert response.status_code == 200
    ledger = response.json()
    assert set(ledger) == LEDGER_FIELDS
    assert ledger == {
        "budget_line_id": line["id"],
        "budget_pence": 30_000_000,
        "earmarked_pence": 0,
        "committed_pence": 0,
        "actual_pence": 0,
        "headroom_pence": 30_000_000,
        "used_percent": 0,
        "warning": False,
    }
    assert (await http.get(f"/api/v1/budget-lines/{line['id']}")).json() == line


async def test_the_ledger_follows_what_publishing_earmarks_and_warns_at_90_percent(client_as, menu):
    finance, _ = await client_as("finance_director")
    line = await _set(finance, amount_pence=10_000_000)
    commissioner, actor = await client_as("commissioner")
    await support.published(actor, [await _row(line["id"])], value_pence=9_000_000)
    ledger = (await finance.get(f"/api/v1/budget-lines/{line['id']}/ledger")).json()
    assert (ledger["earmarked_pence"], ledger["headroom_pence"], ledger["used_percent"], ledger["warning"]) == (
        9_000_000,
        1_000_000,
        90,
        True,
    )
    assert (await commissioner.get(f"/api/v1/budget-lines/{line['id']}/ledger")).json() == ledger


async def test_a_second_line_for_the_same_pcpg_year_and_stream_is_a_409_naming_the_stream(client_as):
    http, _ = await client_as("finance_director")
    await _set(http)
    problem = _problem(await http.post("/api/v1/budget-lines", json=await _line_json()), 409)
    assert [e["field"] for e in problem["errors"]] == ["funding_stream"]
    assert "2027-28" in problem["detail"]
    assert await BudgetLine.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_pence": -1}, "amount_pence"),
        ({"funding_stream": "lottery"}, "funding_stream"),
        ({"financial_year": 1999}, "financial_year"),
        ({"region": "south"}, "region"),
    ],
)
async def test_a_body_that_does_not_fit_is_a_422_naming_the_field_and_nothing_is_set(client_as, changes, field):
    http, _ = await client_as("national_admin")
    problem = _problem(await http.post("/api/v1/budget-lines", json=await _line_json(**changes)), 422)
    assert field in [e["field"] for e in problem["errors"]]
    assert await BudgetLine.count() == 0


async def test_an_unknown_pcpg_is_a_422_naming_it(client_as):
    http, _ = await client_as("national_admin")
    problem = _problem(await http.post("/api/v1/budget-lines", json={**await _line_json(), "pcpg_id": 999_999}), 422)
    assert [e["field"] for e in problem["errors"]] == ["pcpg_id"]


async def test_changing_the_amount_below_what_is_earmarked_is_a_409_naming_that_amount(client_as, menu):
    finance, _ = await client_as("finance_director")
    line = await _set(finance, amount_pence=30_000_000)
    _, commissioner = await client_as("commissioner")
    await support.published(commissioner, [await _row(line["id"])], value_pence=25_000_000)
    path = f"/api/v1/budget-lines/{line['id']}"
    problem = _problem(await finance.put(path, json={"amount_pence": 24_999_999}), 409)
    assert "£250,000.00" in problem["detail"]
    assert [e["field"] for e in problem["errors"]] == ["amount_pence"]
    changed = await finance.put(path, json={"amount_pence": 40_000_000, "note": "Top-up"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["amount_pence"], changed.json()["ledger"]["headroom_pence"]) == (40_000_000, 15_000_000)
    assert await AuditEvent.count().where(AuditEvent.action == "budget_line.changed") == 1


async def test_the_list_has_items_total_limit_and_offset_and_filters_by_pcpg_and_year(client_as):
    admin, _ = await client_as("national_admin")
    for pcpg, year in (("Cardiff", 2027), ("Cardiff", 2028), ("Vale of Glamorgan", 2027), ("Swansea Bay", 2027)):
        await _set(admin, pcpg, financial_year=year)
    page = (await admin.get("/api/v1/budget-lines?limit=2&offset=1")).json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (4, 2, 1, 2)
    assert all(set(item["ledger"]) == LEDGER_FIELDS for item in page["items"])
    cardiff = await support.pcpg_id("Cardiff")
    assert (await admin.get(f"/api/v1/budget-lines?pcpg={cardiff}")).json()["total"] == 2
    assert (await admin.get("/api/v1/budget-lines?financial_year=2027")).json()["total"] == 3
    assert (await admin.get("/api/v1/budget-lines?limit=0")).status_code == 422


async def test_each_role_lists_only_the_lines_in_its_scope(client_as):
    admin, _ = await client_as("national_admin")
    for pcpg in ("Cardiff", "Vale of Glamorgan", "Swansea Bay"):
        await _set(admin, pcpg)

    async def pcpgs(role: str, **scope: Any) -> list[str]:
        http, _ = await client_as(role, **scope)
        return sorted(item["pcpg"] for item in (await http.get("/api/v1/budget-lines")).json()["items"])

    assert await pcpgs("finance_director") == ["Cardiff", "Vale of Glamorgan"]
    assert await pcpgs("commissioner") == ["Cardiff"]
    assert await pcpgs("commissioner", pcpg_names=("Swansea Bay",)) == ["Swansea Bay"]


async def test_a_finance_director_of_another_health_board_cannot_see_set_or_change_the_line(client_as):
    cardiff_finance, _ = await client_as("finance_director")
    line = await _set(cardiff_finance)
    swansea, _ = await client_as("finance_director", health_board_name="Swansea Bay University Health Board")
    for path in (f"/api/v1/budget-lines/{line['id']}", f"/api/v1/budget-lines/{line['id']}/ledger"):
        assert _problem(await swansea.get(path), 404)
    assert _problem(await swansea.put(f"/api/v1/budget-lines/{line['id']}", json={"amount_pence": 1}), 404)
    assert _problem(await swansea.post("/api/v1/budget-lines", json=await _line_json("Vale of Glamorgan")), 403)
    assert (await cardiff_finance.get(f"/api/v1/budget-lines/{line['id']}")).json()["amount_pence"] == 30_000_000


async def test_a_commissioner_reads_their_pcpgs_lines_but_cannot_set_or_change_them(client_as):
    admin, _ = await client_as("national_admin")
    cardiff_line = await _set(admin)
    vale_line = await _set(admin, "Vale of Glamorgan")
    commissioner, _ = await client_as("commissioner")
    assert (await commissioner.get(f"/api/v1/budget-lines/{cardiff_line['id']}")).status_code == 200
    assert _problem(await commissioner.get(f"/api/v1/budget-lines/{vale_line['id']}"), 404)
    assert _problem(await commissioner.get(f"/api/v1/budget-lines/{vale_line['id']}/ledger"), 404)
    assert _problem(await commissioner.post("/api/v1/budget-lines", json=await _line_json(financial_year=2029)), 403)
    put = await commissioner.put(f"/api/v1/budget-lines/{cardiff_line['id']}", json={"amount_pence": 1})
    assert _problem(put, 403)


@pytest.mark.parametrize("role", ["provider", "evaluator"])
async def test_providers_and_evaluators_are_refused_every_budget_route(client_as, role):
    admin, _ = await client_as("national_admin")
    line = await _set(admin)
    http, _ = await client_as(role)
    for method, path, body in (
        ("GET", "/api/v1/budget-lines", None),
        ("GET", f"/api/v1/budget-lines/{line['id']}", None),
        ("GET", f"/api/v1/budget-lines/{line['id']}/ledger", None),
        ("POST", "/api/v1/budget-lines", await _line_json(financial_year=2029)),
        ("PUT", f"/api/v1/budget-lines/{line['id']}", {"amount_pence": 1}),
    ):
        assert _problem(await http.request(method, path, json=body), 403), (method, path)
    assert await BudgetLine.count() == 1


async def test_an_anonymous_caller_is_asked_to_sign_in(client):
    assert _problem(await client.get("/api/v1/budget-lines"), 401)
    assert _problem(await client.post("/api/v1/budget-lines", json={}), 401)
