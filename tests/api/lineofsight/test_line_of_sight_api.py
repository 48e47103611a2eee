"""GET /api/v1/line-of-sight: the tree for one place and year as JSON and as CSV; a problem naming the field for no
place, two places or one out of sight; refused to those who do not read budgets."""

from __future__ import annotations

import csv
import io

from tests import sight_support as support

API = "/api/v1/line-of-sight"


async def test_the_tree_and_its_csv_say_the_same(client_as):
    world = await support.build_sight_world()
    http, _ = await client_as("commissioner")
    response = await http.get(API, params={"pcpg_id": world.cardiff, "financial_year": 2027})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["place"]["name"] == "Cardiff" and body["year_label"] == "2027-28"
    assert [g["item_id"] for g in body["gaps"]["contracts_with_red_kpis"]] == [world.spend.contracts["weight"]]
    shown = await http.get(f"{API}.csv", params={"pcpg_id": world.cardiff, "financial_year": 2027})
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(shown.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Need", "Plan priority", "Specification", "Contract"]
    weight = [row for row in rows if row[1] == "Fewer adults obese" and row[3].startswith("CON-")]
    assert [(row[0], row[5], row[6], row[7]) for row in weight] == [
        ("Adult obesity above the Wales average", "1 Red", "30000.01", "22500.03")
    ]
    assert any(row[0] == "Loneliness in older people" and row[1] == "None yet" for row in rows)
    assert any(row[1] == "Fewer falls at home" and row[2] == "None yet" for row in rows)


async def test_no_place_two_places_or_one_out_of_sight_is_a_problem_naming_the_field(client_as):
    world = await support.build_sight_world()
    http, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    for params, field in (
        ({}, "pcpg_id"),
        ({"pcpg_id": world.cardiff, "cluster_id": 1}, "cluster_id"),
        ({"pcpg_id": world.cardiff}, "pcpg_id"),
        ({"pcpg_id": 999_999}, "pcpg_id"),
        ({"health_board_id": 999_999}, "health_board_id"),
    ):
        response = await http.get(API, params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.text, params
    hidden = await http.get(API, params={"pcpg_id": world.cardiff})
    absent = await http.get(API, params={"pcpg_id": 999_999})
    answers = [{**answer.json(), "request_id": "each request's own"} for answer in (hidden, absent)]
    assert answers[0] == answers[1], "a PCPG out of sight answers as one that does not exist"


async def test_those_who_do_not_read_budgets_are_refused(client_as):
    world = await support.build_sight_world()
    for role in ("provider", "evaluator"):
        http, _ = await client_as(role)
        assert (await http.get(API, params={"pcpg_id": world.cardiff})).status_code == 403
