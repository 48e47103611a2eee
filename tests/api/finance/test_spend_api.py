"""The spend report's API (GET /api/v1/finance/spend and .csv): group_by repeated or as a comma list, refused with a
problem naming it; the rows add back to the ledger's API totals; the CSV has the same rows; the statements sent do
not grow with the commitments and payments read."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from tests import spend_support as support
from tests.query_count import caches_kept, count_queries

API = "/api/v1/finance/spend"
PROBLEM = "application/problem+json"
MONEY = ("budget_pence", "earmarked_pence", "committed_unspent_pence", "actual_pence", "headroom_pence")


async def _ledger_totals(http) -> dict[str, int]:
    years = (await http.get("/api/v1/finance/ledger", params={"limit": 1})).json()["years"]
    return {field: sum(year[field] for year in years) for field in MONEY}


async def test_group_by_repeated_or_as_a_comma_list_gives_the_same_rows_adding_up_to_the_ledger(client_as):
    await support.build_spend_world()
    http, _ = await client_as("finance_director")
    repeated = await http.get(API, params=[("group_by", "pcpg"), ("group_by", "financial_year")])
    comma = await http.get(API, params={"group_by": "pcpg,financial_year"})
    assert repeated.status_code == comma.status_code == 200, repeated.text
    assert repeated.json() == comma.json()
    body = repeated.json()
    assert body["group_by"] == ["pcpg", "financial_year"]
    assert {tuple(key["label"] for key in row["keys"]) for row in body["rows"]} == {
        ("Cardiff", "2027-28"),
        ("Cardiff", "2028-29"),
        ("Vale of Glamorgan", "2027-28"),
    }
    ledger = await _ledger_totals(http)
    assert {field: sum(row[field] for row in body["rows"]) for field in MONEY} == ledger
    assert {field: body["totals"][field] for field in MONEY} == ledger


async def test_by_cluster_the_held_row_and_the_clusters_without_a_population_are_named(client_as):
    await support.build_spend_world()
    http, _ = await client_as("national_admin")
    body = (await http.get(API, params={"group_by": "cluster", "to_year": "2027"})).json()
    by_label = {row["keys"][0]["label"]: row for row in body["rows"]}
    held = by_label["Held for the PCPG, not yet given to a contract"]
    assert held["held_for_pcpg"] and held["keys"][0]["value"] is None and held["actual_per_head_pence"] is None
    assert by_label["Cardiff North"]["population"] == 107_230
    assert by_label["Cardiff North"]["actual_per_head_pence"] == 10
    assert by_label["Central Vale"]["actual_per_head_pence"] is None
    assert {"Cardiff East", "Central Vale"} <= set(body["clusters_without_population"])


async def test_a_grouping_not_offered_or_more_than_two_is_a_problem_naming_group_by(client_as):
    http, _ = await client_as("national_admin")
    for params in (
        {},
        {"group_by": "contract"},
        {"group_by": "pcpg,cluster,health_board"},
        {"group_by": "pcpg,pcpg"},
    ):
        response = await http.get(API, params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert [error["field"] for error in response.json()["errors"]] == ["group_by"], params
    backwards = await http.get(API, params={"group_by": "pcpg", "from_year": "2028", "to_year": "2027"})
    assert backwards.status_code == 422
    assert [error["field"] for error in backwards.json()["errors"]] == ["to_year"]
    assert (await http.get(API, params={"group_by": "pcpg", "funding_stream": "lottery"})).status_code == 422


async def test_a_provider_is_refused_and_a_commissioner_sees_their_pcpgs_only(client_as):
    await support.build_spend_world()
    provider, _ = await client_as("provider")
    assert (await provider.get(API, params={"group_by": "pcpg"})).status_code == 403
    commissioner, _ = await client_as("commissioner")
    body = (await commissioner.get(API, params={"group_by": "health_board,pcpg"})).json()
    assert [[key["label"] for key in row["keys"]] for row in body["rows"]] == [
        ["Cardiff and Vale University Health Board", "Cardiff"]
    ]


async def test_the_csv_has_the_same_rows_in_pounds_as_numbers(client_as):
    await support.build_spend_world()
    http, _ = await client_as("finance_director")
    params = {"group_by": "cluster", "from_year": "2027", "to_year": "2027"}
    body = (await http.get(API, params=params)).json()
    response = await http.get(f"{API}.csv", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="spend-')
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Cluster", "Budget (£)", "Earmarked (£)"]
    assert len(rows) == len(body["rows"]) + 1
    by_cluster = {row[0]: row for row in rows[1:]}
    north = by_cluster["Cardiff North"]
    assert north[5] == "10833.37" and north[7] == "107230" and north[10] == "0.10"
    assert by_cluster["Cardiff East"][10] == ""  # no population: no per-head figure
    assert sum(Decimal(row[5]) for row in rows[1:]) * 100 == sum(row["actual_pence"] for row in body["rows"])


async def _report_statements(http) -> list[str]:
    """The statements one read of the report sends, without the sign-in's record of its use (written at most once a
    minute, so on a slow machine it may fall in either read)."""
    path = f"{API}?group_by=menu_service&group_by=cluster"
    with caches_kept():
        assert (await http.get(path)).status_code == 200  # caches warm
        with count_queries() as counted:
            assert (await http.get(path)).status_code == 200
    return [sql for sql in counted.statements if "api_token" not in sql and "web_session" not in sql]


async def test_the_statements_do_not_grow_with_the_commitments_and_payments(client_as):
    world = await support.build_spend_world()
    http, _ = await client_as("national_admin")
    few = await _report_statements(http)
    for year in range(2040, 2080):
        await support.commit_split(world, "cardiff_27", "weight", {"Cardiff North": 1_00, "Cardiff East": 1_00})
        await support.pay(world, "cardiff_27", "weight", {"Cardiff East": 50}, quarter=1, year=year)
    many = await _report_statements(http)
    # The one aggregate, and the names of the menu services and clusters found.
    assert len(few) == len(many) == 3, many
