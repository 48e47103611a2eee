"""Issue 10, bullet 17: on Welsh pages clusters, PCPGs, health boards and local authorities go by their Welsh names
where they have one (a cluster without one keeps its English name), sorted by the name the reader reads; KPIs by the
menu's Welsh name, with their unit in Welsh. The same pages in English are the negative control: English names, in
English order."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from accounts.actor import Role
from organisations.tables import Cluster, HealthBoard, LocalAuthority, Pcpg, RegionalPartnershipBoard
from tests import commissioning_support as support
from tests import factories
from tests.pages.markup import table_rows, text_of, welsh

# English A to Z is North, South, Upper; Welsh A to Z is De, Gogledd, Upper (no Welsh name: its English one).
CLUSTERS = [("North Town", "Gogledd y Dref"), ("South Town", "De'r Dref"), ("Upper Valley", None)]
ENGLISH_ORDER = ["North Town", "South Town", "Upper Valley"]
WELSH_ORDER = ["De'r Dref", "Gogledd y Dref", "Upper Valley"]


async def _place(pcpg: Any | None = None) -> dict[str, Any]:
    """A health board, a county and a PCPG of their own (the tests' additions go after each test), with the three
    clusters; or the clusters in a PCPG given."""
    if pcpg is None:
        board = await factories.save(factories.HealthBoardFactory(name="Coast Health Board", name_cy="Bwrdd Arfordir"))
        rpb = await factories.save(
            RegionalPartnershipBoard(name="Coast RPB", name_cy="BPR yr Arfordir", health_board=board.id)
        )
        pcpg = await factories.save(factories.PcpgFactory(name="Coast", name_cy="Arfordir", health_board=board.id))
        county = await factories.save(
            LocalAuthority(
                name="Coastshire",
                name_cy="Sir yr Arfordir",
                health_board=board.id,
                regional_partnership_board=rpb.id,
                pcpg=pcpg.id,
            )
        )
        board_id, county_id = board.id, county.id
    else:
        board_id = pcpg.health_board
        county_id = (await LocalAuthority.select(LocalAuthority.id).where(LocalAuthority.pcpg == pcpg.id).first())["id"]
    for name, name_cy in CLUSTERS:
        await factories.save(
            factories.ClusterFactory(
                name=name, name_cy=name_cy, pcpg=pcpg.id, health_board=board_id, local_authority=county_id
            )
        )
    return {"health_board": board_id, "pcpg": pcpg.id}


def _options(page: str, select_id: str) -> list[str]:
    """The texts of a dropdown's choices, after its first ("All ...")."""
    select = page.split(f'id="{select_id}"')[1].split("</select>")[0]
    return [html.unescape(text).strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)][1:]


def _column(page: str, column: int) -> list[str]:
    return [row[column] for row in table_rows(page)]


@pytest.mark.parametrize(
    ("language", "names", "pcpg"), [("cy", WELSH_ORDER, "Arfordir"), ("en", ENGLISH_ORDER, "Coast")]
)
async def test_the_clusters_page_names_and_sorts_clusters_in_the_readers_language(client, language, names, pcpg):
    place = await _place()
    path = f"/reference/clusters?health_board={place['health_board']}&lang={language}"
    page = (await client.get(path)).text
    assert _column(page, 0) == names
    assert set(_column(page, 1)) == {pcpg}
    assert _column((await client.get(path + "&sort=-name")).text, 0) == list(reversed(names))


async def test_the_health_board_filter_of_the_clusters_page_offers_welsh_names_in_welsh_order(client):
    await _place()
    page = (await client.get("/reference/clusters?lang=cy")).text
    options = _options(page, "health_board")
    assert options == sorted(row["name_cy"] for row in await HealthBoard.select(HealthBoard.name_cy))
    assert "Bwrdd Arfordir" in options and "Coast Health Board" not in page


@pytest.mark.parametrize(
    ("language", "names", "county", "board"),
    [
        ("cy", WELSH_ORDER, "Sir yr Arfordir", "Bwrdd Arfordir"),
        ("en", ENGLISH_ORDER, "Coastshire", "Coast Health Board"),
    ],
)
async def test_a_pcpg_page_names_its_clusters_county_and_board_in_the_readers_language(
    client, language, names, county, board
):
    place = await _place()
    page = (await client.get(f"/reference/pcpgs/{place['pcpg']}?lang={language}")).text
    assert _column(page, 0) == names
    assert set(_column(page, 1)) == {county}
    assert board in page
    other = "Coastshire" if language == "cy" else "Sir yr Arfordir"
    assert other not in page


@pytest.mark.usefixtures("menu")
@pytest.mark.parametrize("language", ["cy", "en"])
async def test_a_specification_names_clusters_pcpg_budget_lines_and_kpis_in_the_readers_language(client_as, language):
    """A draft, as its commissioner sees it (with the effect on each budget line). Addiction's KPIs are counted in %,
    working days and a count: the units read in the reader's language."""
    cardiff = await Pcpg.objects().where(Pcpg.name == "Cardiff").first()
    assert cardiff is not None
    await _place(cardiff)
    http, commissioner = await client_as(Role.COMMISSIONER)
    lines = await support.lines_for_term(years=1)
    spec = await support.draft(
        commissioner, lines, code="addiction", clusters=("North Town", "South Town", "Upper Valley")
    )
    page = (await http.get(f"/specifications/{spec.id}?lang={language}")).text
    rows = table_rows(page)
    cells = [cell for row in rows for cell in row]
    if language == "cy":
        assert [row[0] for row in rows if row[0] in WELSH_ORDER] == WELSH_ORDER
        assert welsh("%(name)s Pan Cluster Planning Group", name="Caerdydd") in text_of(page)
        assert f"Caerdydd, 2027-28, {welsh('Cluster funding')}" in text_of(page)
        assert "Amser o'r atgyfeiriad i ddechrau triniaeth" in cells
        assert welsh("working days") in cells and welsh("working days") != "working days"
        assert "Time from referral to start of treatment" not in page and "working days" not in cells
    else:
        assert [row[0] for row in rows if row[0] in ENGLISH_ORDER] == ENGLISH_ORDER
        assert "Cardiff Pan Cluster Planning Group" in text_of(page)
        assert "Cardiff, 2027-28, Cluster funding" in text_of(page)
        assert "Time from referral to start of treatment" in cells and "working days" in cells
        assert "Gogledd y Dref" not in page


@pytest.mark.usefixtures("menu")
@pytest.mark.parametrize("language", ["cy", "en"])
async def test_the_menu_page_gives_kpi_names_and_units_in_the_readers_language(client, language):
    page = (await client.get(f"/menu/{await support.service_id('addiction')}?lang={language}")).text
    cells = [cell for row in table_rows(page) for cell in row]
    if language == "cy":
        assert "Amser o'r atgyfeiriad i ddechrau triniaeth" in cells and welsh("working days") in cells
        assert "working days" not in cells
    else:
        assert "Time from referral to start of treatment" in cells and "working days" in cells


async def test_the_opportunities_filter_lists_pcpgs_by_their_welsh_names_in_welsh_order(client):
    page = (await client.get("/opportunities?lang=cy")).text
    options = _options(page, "pcpg")
    assert options == sorted(row["name_cy"] for row in await Pcpg.select(Pcpg.name_cy))
    assert "Caerdydd" in options and "Cardiff" not in options


async def test_a_cluster_without_a_welsh_name_keeps_its_english_one_on_welsh_pages(client):
    """The reference data has no published Welsh cluster names (organisations/data/README.md)."""
    assert await Cluster.count().where(Cluster.name_cy.is_null() | (Cluster.name_cy == "")) == 60
    page = (await client.get("/reference/clusters?lang=cy&sort=number")).text
    assert _column(page, 0)[0] == "Afan"
