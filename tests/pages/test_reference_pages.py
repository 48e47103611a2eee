"""The reference pages anyone can read: health boards, a health board, a PCPG and the clusters, in English and Welsh."""

from __future__ import annotations

import re

import pytest

from organisations.tables import Cluster, HealthBoard, Pcpg
from tests import factories
from tests.pages.markup import counterpart_links, html_lang, table_rows, text_of, welsh, welsh_plural

PER_HEAD = (
    "%(num)s cluster has no published population, so per-head figures leave it out.",
    "%(num)s clusters have no published population, so per-head figures leave them out.",
)


async def _paths() -> dict[str, str]:
    board = await factories.reference_id(HealthBoard, "Swansea Bay University Health Board")
    pcpg = await factories.reference_id(Pcpg, "Swansea Bay")
    return {
        "health boards": "/reference/health-boards",
        "a health board": f"/reference/health-boards/{board}",
        "a PCPG": f"/reference/pcpgs/{pcpg}",
        "clusters": "/reference/clusters",
    }


@pytest.mark.parametrize("page", ["health boards", "a health board", "a PCPG", "clusters"])
@pytest.mark.parametrize("language", ["en", "cy"])
async def test_each_reference_page_opens_for_anyone_in_either_language(client, page, language):
    path = (await _paths())[page]
    response = await client.get(f"{path}?lang={language}")
    assert response.status_code == 200
    assert html_lang(response.text) == language
    other = "cy" if language == "en" else "en"
    assert (other, f"{path}?lang={other}") in counterpart_links(response.text)


async def test_the_health_boards_page_lists_all_seven_with_their_clusters_adding_up_to_sixty(client):
    rows = table_rows((await client.get("/reference/health-boards")).text)
    assert len(rows) == 7
    assert sum(int(row[3]) for row in rows) == 60
    assert sum(int(row[2]) for row in rows) == 21


async def test_the_welsh_health_boards_page_uses_the_welsh_names(client):
    welsh_names = [row["name_cy"] for row in await HealthBoard.select(HealthBoard.name_cy)]
    page = (await client.get("/reference/health-boards?lang=cy")).text
    assert all(name.replace("'", "&#39;") in page for name in welsh_names)


async def test_a_health_board_page_links_to_its_pcpgs_and_its_clusters(client):
    board = await factories.reference_id(HealthBoard, "Cardiff and Vale University Health Board")
    page = (await client.get(f"/reference/health-boards/{board}")).text
    for name in ("Cardiff", "Vale of Glamorgan"):
        assert f'href="/reference/pcpgs/{await factories.reference_id(Pcpg, name)}"' in page
    assert f'href="/reference/clusters?health_board={board}"' in page


async def test_an_unknown_health_board_or_pcpg_is_a_not_found_page(client):
    for path in ("/reference/health-boards/999999", "/reference/pcpgs/999999"):
        response = await client.get(path)
        assert response.status_code == 404
        assert "Page not found" in response.text


async def test_a_cluster_without_a_population_says_it_is_not_known_and_the_per_head_note(client):
    pcpg = await factories.reference_id(Pcpg, "Swansea Bay")
    unpublished = await Cluster.count().where((Cluster.pcpg == pcpg) & Cluster.population.is_null())
    assert unpublished > 0
    html = (await client.get(f"/reference/pcpgs/{pcpg}")).text
    afan = next(row for row in table_rows(html) if row[0] == "Afan")
    assert afan[2] == "Population not known"
    note = (PER_HEAD[0] if unpublished == 1 else PER_HEAD[1]) % {"num": unpublished}
    assert note in text_of(html)


async def test_in_welsh_the_same_cluster_shows_the_welsh_for_not_known_and_the_note(client):
    pcpg = await factories.reference_id(Pcpg, "Swansea Bay")
    unpublished = await Cluster.count().where((Cluster.pcpg == pcpg) & Cluster.population.is_null())
    response = await client.get(f"/reference/pcpgs/{pcpg}?lang=cy")
    afan = next(row for row in table_rows(response.text) if row[0] == "Afan")
    assert afan[2] == welsh("Population not known")
    assert welsh_plural(*PER_HEAD, unpublished) in text_of(response.text)


async def test_a_population_shows_its_source_and_the_date_the_source_gives_beside_it(client):
    pcpg = await factories.reference_id(Pcpg, "Swansea Bay")
    html = (await client.get(f"/reference/pcpgs/{pcpg}")).text
    rows = {row[0]: row for row in table_rows(html)}
    assert rows["Penderi"][2] == "38,122"
    assert "Penderi Three Year Cluster Action Plan 2018-2021" in rows["Penderi"][3]
    assert rows["Penderi"][4] == "July 2018"
    assert 'href="https://docslib.org/doc/5550601/three-year-cluster-action-plan-2018-2021-penderi-cluster"' in html
    assert rows["BayHealth"][4] == "Not given by the source", "an undated figure says so, it is not given a date"
    assert rows["Afan"][3:] == ["–", "–"]
    welsh_rows = {row[0]: row for row in table_rows((await client.get(f"/reference/pcpgs/{pcpg}?lang=cy")).text)}
    assert welsh_rows["Penderi"][4] == "Gorffennaf 2018"


async def test_the_clusters_page_shows_each_population_s_date_beside_it(client):
    board = await factories.reference_id(HealthBoard, "Aneurin Bevan University Health Board")
    page = (await client.get(f"/reference/clusters?health_board={board}")).text
    rows = {row[0]: row for row in table_rows(page)}
    assert rows["Monmouthshire North"][2] == "53,701"
    assert "capitation report" in rows["Monmouthshire North"][3]
    assert rows["Monmouthshire North"][4] == "1 January 2020"
    assert rows["Newport East"][4] == "Not given by the source"
    unknown = [row for row in rows.values() if row[2] == "Population not known"]
    assert unknown and all(row[3:] == ["–", "–"] for row in unknown)
    assert "0" not in [row[2] for row in rows.values()]


async def test_a_pcpg_whose_clusters_all_have_populations_has_no_per_head_note(client):
    pcpg = await factories.reference_id(Pcpg, "Powys")
    assert await Cluster.count().where((Cluster.pcpg == pcpg) & Cluster.population.is_null()) == 0
    page = text_of((await client.get(f"/reference/pcpgs/{pcpg}")).text)
    assert "per-head figures leave" not in page
    assert "Population not known" not in page


async def test_the_clusters_page_shows_twenty_five_at_a_time_with_a_link_to_the_next(client):
    page = (await client.get("/reference/clusters")).text
    assert len(table_rows(page)) == 25
    assert "Showing 1 to 25 of 60" in page
    assert 'href="/reference/clusters?offset=25"' in page
    assert "nhsuk-pagination__prev" not in page


async def test_the_last_clusters_page_links_back_and_not_forward(client):
    page = (await client.get("/reference/clusters?offset=50")).text
    assert len(table_rows(page)) == 10
    assert "Showing 51 to 60 of 60" in page
    assert 'href="/reference/clusters?offset=25"' in page
    assert "nhsuk-pagination__next" not in page


async def test_paging_keeps_the_sort_and_the_filter(client):
    page = (await client.get("/reference/clusters?sort=-population")).text
    links = [href.replace("&amp;", "&") for href in re.findall(r'href="(/reference/clusters\?[^"]*)"', page)]
    assert "/reference/clusters?sort=-population&offset=25" in links


async def test_sorting_by_population_puts_the_largest_first_and_unpublished_ones_last(client):
    populations = []
    for offset in (0, 25, 50):
        rows = table_rows((await client.get(f"/reference/clusters?sort=-population&offset={offset}")).text)
        populations += [row[2] for row in rows]
    known = [int(p.split(" ")[0].replace(",", "")) for p in populations if p != "Population not known"]
    assert known == sorted(known, reverse=True)
    assert populations[len(known) :] == ["Population not known"] * (60 - len(known))
    assert populations[0].startswith("107,230")


async def test_filtering_by_health_board_shows_only_its_clusters(client):
    board = await factories.reference_id(HealthBoard, "Swansea Bay University Health Board")
    page = (await client.get(f"/reference/clusters?health_board={board}")).text
    rows = table_rows(page)
    assert "Showing 1 to 8 of 8" in page
    assert {row[1] for row in rows} == {"Swansea Bay"}
    assert f'<option value="{board}" selected' in page


async def test_a_filter_matching_nothing_says_so(client):
    page = (await client.get("/reference/clusters?health_board=999999")).text
    assert "No clusters match." in page


async def test_an_unknown_sort_falls_back_to_names(client):
    page = (await client.get("/reference/clusters?sort=postcode")).text
    names = [row[0] for row in table_rows(page)]
    assert names == sorted(names)
