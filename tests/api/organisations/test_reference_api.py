"""The public reference data API: health boards, local authorities, PCPGs and clusters, as paged lists."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from organisations.tables import Cluster, HealthBoard, Pcpg
from tests import factories

PROBLEM = "application/problem+json"
DATA = Path(__file__).resolve().parents[3] / "organisations" / "data"


def _clusters_csv() -> list[dict[str, str]]:
    with (DATA / "wales-clusters.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("path", "total"),
    [("/api/v1/health-boards", 7), ("/api/v1/local-authorities", 22), ("/api/v1/pcpgs", 21), ("/api/v1/clusters", 60)],
)
async def test_each_list_answers_items_total_limit_and_offset(client, path, total):
    response = await client.get(path)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "total", "limit", "offset"}
    assert (body["total"], body["limit"], body["offset"]) == (total, 50, 0)
    assert len(body["items"]) == min(total, 50)
    assert len({item["id"] for item in body["items"]}) == len(body["items"])


async def test_the_health_boards_are_the_seven_of_nhs_wales_with_welsh_names(client):
    boards = (await client.get("/api/v1/health-boards")).json()["items"]
    names = {board["name"] for board in boards}
    assert "Cardiff and Vale University Health Board" in names
    assert "Powys Teaching Health Board" in names
    assert all(board["name_cy"] and board["regional_partnership_board"] for board in boards)


async def test_paging_through_the_clusters_gives_all_sixty_once(client):
    seen: list[int] = []
    for offset in (0, 25, 50):
        body = (await client.get(f"/api/v1/clusters?limit=25&offset={offset}")).json()
        assert (body["limit"], body["offset"], body["total"]) == (25, offset, 60)
        seen += [item["id"] for item in body["items"]]
    assert len(seen) == len(set(seen)) == 60


async def test_the_last_page_holds_what_is_left_and_beyond_it_is_empty(client):
    last = (await client.get("/api/v1/clusters?limit=25&offset=50")).json()
    assert len(last["items"]) == 10
    beyond = (await client.get("/api/v1/clusters?limit=25&offset=60")).json()
    assert (beyond["items"], beyond["total"]) == ([], 60)


async def test_clusters_filtered_by_health_board_are_only_that_boards(client):
    board = "Cardiff and Vale University Health Board"
    board_id = await factories.reference_id(HealthBoard, board)
    body = (await client.get(f"/api/v1/clusters?health_board={board_id}&limit=200")).json()
    expected = sorted(row["cluster"] for row in _clusters_csv() if row["health_board"] == board)
    assert body["total"] == len(expected) > 0
    assert sorted(item["name"] for item in body["items"]) == expected
    assert {item["health_board_id"] for item in body["items"]} == {board_id}


async def test_clusters_filtered_by_pcpg_are_only_that_pcpgs(client):
    pcpg_id = await factories.reference_id(Pcpg, "Swansea Bay")
    body = (await client.get(f"/api/v1/clusters?pcpg={pcpg_id}&limit=200")).json()
    expected = sorted(
        row["cluster"] for row in _clusters_csv() if row["local_authority"] in ("Swansea", "Neath Port Talbot")
    )
    assert sorted(item["name"] for item in body["items"]) == expected
    assert {(item["pcpg_id"], item["pcpg"]) for item in body["items"]} == {(pcpg_id, "Swansea Bay")}


async def test_a_filter_that_matches_nothing_gives_an_empty_list_not_an_error(client):
    body = (await client.get("/api/v1/clusters?health_board=999999")).json()
    assert (body["items"], body["total"]) == ([], 0)


async def test_clusters_sorted_by_population_largest_first_put_unpublished_ones_last(client):
    items = (await client.get("/api/v1/clusters?sort=-population&limit=200")).json()["items"]
    populations = [item["population"] for item in items]
    known = [p for p in populations if p is not None]
    assert known == sorted(known, reverse=True)
    assert populations == known + [None] * (len(populations) - len(known)), "unpublished populations come last"
    assert populations[0] == max(int(row["population"]) for row in _clusters_csv() if row["population"])


async def test_clusters_sorted_by_population_smallest_first_also_put_unpublished_ones_last(client):
    populations = [
        item["population"] for item in (await client.get("/api/v1/clusters?sort=population&limit=200")).json()["items"]
    ]
    known = [p for p in populations if p is not None]
    assert populations == sorted(known) + [None] * (len(populations) - len(known))


async def test_clusters_sorted_by_name_are_alphabetical_by_default(client):
    names = [item["name"] for item in (await client.get("/api/v1/clusters?limit=200")).json()["items"]]
    assert names == sorted(names)
    reversed_names = [
        item["name"] for item in (await client.get("/api/v1/clusters?sort=-name&limit=200")).json()["items"]
    ]
    assert reversed_names == names[::-1]


@pytest.mark.parametrize("limit", ["0", "500", "-1", "many"])
async def test_a_limit_outside_1_to_200_is_a_problem_naming_limit(client, limit):
    response = await client.get(f"/api/v1/clusters?limit={limit}")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "limit"


async def test_a_negative_offset_is_a_problem_naming_offset(client):
    response = await client.get("/api/v1/health-boards?offset=-1")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "offset"


async def test_an_unknown_sort_is_a_problem_naming_sort(client):
    response = await client.get("/api/v1/clusters?sort=postcode")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sort"


@pytest.mark.parametrize(
    "path", ["/api/v1/health-boards/999999", "/api/v1/pcpgs/999999", "/api/v1/clusters/999999", "/api/v1/clusters/0"]
)
async def test_an_unknown_id_is_a_404_problem(client, path):
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 404


async def test_one_cluster_by_id_has_its_pcpg_in_both_languages_and_its_population_source(client):
    cluster_id = await factories.reference_id(Cluster, "BayHealth")
    response = await client.get(f"/api/v1/clusters/{cluster_id}")
    assert response.status_code == 200
    cluster = response.json()
    assert (cluster["name"], cluster["pcpg"], cluster["pcpg_cy"]) == ("BayHealth", "Swansea Bay", "Bae Abertawe")
    assert (cluster["population"], cluster["population_is_estimate"]) == (75000, True)
    assert cluster["population_source"]


async def test_one_health_board_and_one_pcpg_by_id(client):
    board_id = await factories.reference_id(HealthBoard, "Swansea Bay University Health Board")
    board = (await client.get(f"/api/v1/health-boards/{board_id}")).json()
    assert board["regional_partnership_board"] == "West Glamorgan"
    pcpg_id = await factories.reference_id(Pcpg, "Swansea Bay")
    pcpg = (await client.get(f"/api/v1/pcpgs/{pcpg_id}")).json()
    assert (pcpg["health_board_id"], pcpg["health_board"]) == (board_id, "Swansea Bay University Health Board")
    assert pcpg["local_authorities"] == ["Neath Port Talbot", "Swansea"]
    assert pcpg["cluster_count"] == 8


async def test_pcpgs_and_local_authorities_filter_by_health_board(client):
    board_id = await factories.reference_id(HealthBoard, "Cardiff and Vale University Health Board")
    pcpgs = (await client.get(f"/api/v1/pcpgs?health_board={board_id}")).json()
    assert sorted(item["name"] for item in pcpgs["items"]) == ["Cardiff", "Vale of Glamorgan"]
    authorities = (await client.get(f"/api/v1/local-authorities?health_board={board_id}")).json()
    assert sorted(item["name"] for item in authorities["items"]) == ["Cardiff", "Vale of Glamorgan"]
