"""The spend report's page (/finance/spend) and its CSV and Excel downloads: a plain GET form, the same rows as the
API, in English and Welsh; the workbook has typed pounds in a currency format, a frozen header, a filter, a sheet per
grouping and a sheet saying what the figures mean and when they were produced."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl

from finance.exports import POUNDS_FORMAT
from tests import spend_support as support

PAGE = "/finance/spend"


def _cells(html: str) -> list[list[str]]:
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S)
    assert body, "no table"
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S):
        cells = [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows.append([" ".join(cell.split()) for cell in cells])
    return rows


async def test_the_page_groups_as_asked_and_shows_the_held_row_per_head_and_the_downloads(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    response = await finance.get(PAGE, params=[("group_by", "cluster"), ("group_by", ""), ("to_year", "2027")])
    assert response.status_code == 200
    rows = {row[0]: row for row in _cells(response.text)}
    assert "CityHealth" not in rows  # Swansea Bay's: another health board
    assert rows["Cardiff North"][1:6] == ["£13,333.34", "£0.00", "£2,499.97", "£10,833.37", "£0.00"]
    assert rows["Cardiff North"][6].startswith("£0.10 107,230 people")
    assert rows["Cardiff East"][6] == "Population not known"
    assert rows["Held for the PCPG, not yet given to a contract"][2] == "£39,500.00"
    assert "Cardiff East, Central Vale" in response.text  # named apart, never guessed
    assert 'href="/finance/spend.csv?group_by=cluster&amp;to_year=2027"' in response.text
    assert 'href="/finance/spend.xlsx?group_by=cluster&amp;to_year=2027"' in response.text
    assert '<option value="cluster" selected' in response.text


async def test_a_choice_that_cannot_be_read_is_shown_as_an_error_and_the_rest_still_applies(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    response = await finance.get(PAGE, params={"group_by": "contract", "from_year": "2028", "to_year": "2027"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#group_by"' in response.text and 'href="#to_year"' in response.text
    assert [row[0] for row in _cells(response.text)] == ["Cardiff"]  # by PCPG, from 2028: the Vale has no line then
    refused = await finance.get("/finance/spend.csv", params={"group_by": "contract"})
    assert refused.status_code == 422


async def test_the_page_reads_in_welsh(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    response = await finance.get(PAGE, params={"group_by": "cluster", "lang": "cy"})
    assert response.status_code == 200
    assert "Adroddiad gwariant" in response.text
    assert "Held for the PCPG" not in response.text


async def test_the_workbook_has_a_sheet_per_grouping_typed_pounds_a_frozen_header_a_filter_and_an_about_sheet(
    client_as,
):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    api = (await finance.get("/api/v1/finance/spend", params={"group_by": "pcpg,cluster"})).json()
    response = await finance.get("/finance/spend.xlsx", params=[("group_by", "pcpg"), ("group_by", "cluster")])
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="spend-')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["PCPG and Cluster", "PCPG", "Cluster", "About"]
    pair = book["PCPG and Cluster"]
    assert [cell.value for cell in pair[1]][:4] == ["PCPG", "Cluster", "Budget (£)", "Earmarked (£)"]
    assert pair.freeze_panes == "A2"
    assert pair.auto_filter.ref == f"A1:M{len(api['rows']) + 1}"
    assert pair.max_row == len(api["rows"]) + 1
    budgets = [pair.cell(row=r, column=3) for r in range(2, pair.max_row + 1)]
    assert all(isinstance(cell.value, int | float) for cell in budgets)
    assert all(cell.number_format == POUNDS_FORMAT for cell in budgets)
    total = sum(Decimal(str(cell.value)) for cell in budgets)
    assert total * 100 == api["totals"]["budget_pence"]
    north = next(r for r in range(2, pair.max_row + 1) if pair.cell(row=r, column=2).value == "Cardiff North")
    assert pair.cell(row=north, column=12).value == 0.1  # actual per head, in pounds
    assert pair.cell(row=north, column=9).value == 107_230
    assert book["PCPG"].max_row == 3  # Cardiff and the Vale
    about = [[cell.value for cell in row] for row in book["About"].iter_rows()]
    assert about[0][0] == "Produced" and about[0][1]
    assert ["Grouped by", "PCPG, Cluster"] in about
    assert any(row[0] == "Held for the PCPG, not yet given to a contract" for row in about)
    welsh = await finance.get("/finance/spend.xlsx", params={"group_by": "pcpg", "lang": "cy"})
    assert openpyxl.load_workbook(io.BytesIO(welsh.content)).sheetnames[-1] == "Ynglŷn â’r ffeil"


async def test_each_csv_download_says_its_type_and_character_set_once(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    for path in (
        "/finance/spend.csv?group_by=cluster",
        "/finance/ledger.csv",
        "/api/v1/finance/spend.csv?group_by=pcpg",
    ):
        response = await finance.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/csv; charset=utf-8", path  # not "...; charset=utf-8" twice
