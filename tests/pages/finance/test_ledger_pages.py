"""The finance director's ledger page (/finance/ledger), its CSV and Excel downloads and its API twin: the same lines
and totals everywhere, in English and Welsh, scoped to the reader's health board."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import openpyxl

from core.money import format_pounds
from tests import ledger_support as support
from tests.query_count import statements_do_not_grow, statements_for

PAGE = "/finance/ledger"


def _rows(html: str) -> dict[int, list[str]]:
    """The ledger table's cells as a reader sees them, by budget line."""
    found = {}
    for line_id, body in re.findall(r'<tr class="nhsuk-table__row" data-line="(\d+)">(.*?)</tr>', html, re.S):
        cells = [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
        found[int(line_id)] = [" ".join(cell.split()) for cell in cells]
    return found


async def test_a_finance_director_sees_each_line_of_their_board_with_its_figures_and_the_warning_in_words(client_as):
    world = await support.build_ledger_world()
    finance, _ = await client_as("finance_director")
    response = await finance.get(PAGE)
    assert response.status_code == 200
    rows = _rows(response.text)
    assert set(rows) == set(world.lines.values()) - {world.lines["swansea_27"]}
    assert "Swansea" not in response.text
    assert rows[world.lines["cardiff_27"]] == [
        "Cardiff",
        "2027-28",
        "Cluster funding",
        "£100,000.00",
        "£30,000.00",
        "£50,000.00",
        "£0.00",
        "£20,000.00",
        "80%",
    ]
    assert rows[world.lines["cardiff_27_core"]][-1] == "Warning: 95% used"
    assert 'class="nhsuk-tag nhsuk-tag--orange">Warning: 95% used' in response.text
    assert rows[world.lines["vale_27"]][7] == format_pounds(-500_00)
    # The totals per year, under the lines.
    totals = re.search(r'data-year="2027">(.*?)</tr>', response.text, re.S)
    assert totals and "£111,000.00" in totals.group(1) and "2 lines 90% used" in totals.group(1)


async def test_the_filters_work_as_a_plain_get_form_and_keep_the_downloads_on_the_same_lines(client_as):
    world = await support.build_ledger_world()
    finance, _ = await client_as("finance_director")
    page = await finance.get(PAGE, params={"financial_year": "2027", "funding_stream": "", "pcpg": ""})
    assert set(_rows(page.text)) == {world.lines[n] for n in ("cardiff_27", "cardiff_27_core", "vale_27")}
    assert 'href="/finance/ledger.csv?financial_year=2027"' in page.text
    assert 'href="/finance/ledger.xlsx?financial_year=2027"' in page.text
    none = await finance.get(PAGE, params={"financial_year": "2029"})
    assert "No budget lines match these filters." in none.text and not _rows(none.text)
    wrong = await finance.get(PAGE, params={"funding_stream": "lottery", "financial_year": "2028"})
    assert wrong.status_code == 200 and 'href="#funding_stream"' in wrong.text
    assert set(_rows(wrong.text)) == {world.lines["cardiff_28"]}, "the filters that can be read still apply"


async def test_with_no_lines_the_page_says_so(client_as):
    finance, _ = await client_as("finance_director")
    page = await finance.get(PAGE)
    assert page.status_code == 200 and "No budget lines have been set yet." in page.text


async def test_the_welsh_page_has_welsh_headings_and_names(client_as):
    world = await support.build_ledger_world()
    finance, _ = await client_as("finance_director")
    english = (await finance.get(PAGE)).text
    welsh = (await finance.get(PAGE + "?lang=cy")).text
    assert "<h1>Ledger</h1>" in english
    assert "<h1>Ledger</h1>" not in welsh and "<h1>Cyfriflyfr</h1>" in welsh
    assert "Caerdydd" in _rows(welsh)[world.lines["cardiff_27"]][0]
    assert ">Headroom<" not in welsh and ">Lle i symud<" in welsh
    assert ">Wedi&#39;i ymrwymo, heb ei wario eto<" in welsh or ">Wedi'i ymrwymo, heb ei wario eto<" in welsh


async def test_the_csv_holds_every_line_of_the_page_in_pounds(client_as):
    world = await support.build_ledger_world()
    finance, _ = await client_as("finance_director")
    response = await finance.get(PAGE + ".csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="ledger-')
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:5] == ["PCPG", "Health board", "Financial year", "Funding stream", "Budget (£)"]
    assert len(rows) == 1 + len(world.lines) - 1
    assert all("Swansea" not in cell for row in rows for cell in row)
    cardiff = next(
        row
        for row in rows
        if row[:4] == ["Cardiff", "Cardiff and Vale University Health Board", "2027-28", "Cluster funding"]
    )
    assert cardiff[4:10] == ["100000.00", "30000.00", "50000.00", "0.00", "20000.00", "80"]


async def test_the_excel_file_opens_and_its_numbers_are_the_pages(client_as):
    world = await support.build_ledger_world()
    finance, _ = await client_as("finance_director")
    html = (await finance.get(PAGE)).text
    shown = _rows(html)
    response = await finance.get(PAGE + ".xlsx")
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ledger", "About", "Totals by year"]
    sheet = book["Ledger"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K5"
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(lines) == len(shown) == 4
    for row, cells in zip(lines, shown.values(), strict=True):
        assert row[0] == cells[0]
        assert [format_pounds(int(Decimal(str(value)) * 100)) for value in row[4:9]] == cells[3:8]
    assert sheet["E2"].number_format == '"£"#,##0.00;-"£"#,##0.00'
    assert isinstance(sheet["E2"].value, (int, float))
    about = [row for row in book["About"].iter_rows(values_only=True) if row and row[0]]
    assert about[0][0] == "Produced" and about[0][1]
    assert ("Headroom (£)", "What is left: budget less earmarked, committed not yet spent and actual") in about
    totals = list(book["Totals by year"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in totals] == ["2027-28", "2028-29"]
    assert Decimal(str(totals[0][2])) == Decimal("111000.00")
    assert world.lines


async def test_the_api_gives_the_same_lines_and_totals_and_only_the_readers_board(client_as):
    world = await support.build_ledger_world()
    finance, _ = await client_as("finance_director")
    response = await finance.get("/api/v1/finance/ledger", params={"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 4 and len(body["items"]) == 2
    assert [year["financial_year"] for year in body["years"]] == [2027, 2028]
    assert {year["financial_year"]: year["lines"] for year in body["years"]} == {2027: 3, 2028: 1}
    everything = (await finance.get("/api/v1/finance/ledger")).json()
    assert world.lines["swansea_27"] not in {line["budget_line_id"] for line in everything["items"]}
    for line in everything["items"]:
        parts = (
            line["earmarked_pence"] + line["committed_unspent_pence"] + line["actual_pence"] + line["headroom_pence"]
        )
        assert parts == line["budget_pence"]
    refused = await finance.get("/api/v1/finance/ledger", params={"funding_stream": "lottery"})
    assert refused.status_code == 422 and "funding_stream" in refused.text


async def test_a_provider_is_refused_the_page_the_downloads_and_the_api(client_as):
    await support.build_ledger_world()
    provider, _ = await client_as("provider")
    for path in (PAGE, PAGE + ".csv", PAGE + ".xlsx", "/api/v1/finance/ledger"):
        response = await provider.get(path)
        assert response.status_code == 403, path
        assert "Cardiff" not in response.text


async def test_the_finance_directors_navigation_and_dashboard_lead_to_the_ledger(client_as):
    finance, _ = await client_as("finance_director")
    assert 'href="/finance/ledger"' in (await finance.get("/dashboard")).text
    provider, _ = await client_as("provider")
    assert 'href="/finance/ledger"' not in (await provider.get("/dashboard")).text


async def test_the_page_and_downloads_read_as_often_with_50_lines_as_with_1(client_as, monkeypatch):
    from core.cache import EVERY_CACHED_READ

    for cached in EVERY_CACHED_READ:  # a busy machine can take a second between two asks
        monkeypatch.setattr(cached, "ttl", 3600.0)
    world = support.LedgerWorld(lines={}, contract_id=0, specification_id=0)
    cardiff = await support._pcpg("Cardiff")
    contract = await support.factories.create_contract(pcpg_id=cardiff["id"])
    world.contract_id = int(contract.id)
    years = iter(range(2030, 2100))

    async def more_lines(n: int) -> None:
        for _ in range(n):
            year = next(years)
            world.lines[str(year)] = await support.line("Cardiff", year, "other", 1_000_00)
            await support.commit(world, str(year), 1_00)

    finance, _ = await client_as("finance_director")
    few, many = await statements_do_not_grow(finance, PAGE, more_lines)
    assert few == many
    for download in (".csv", ".xlsx"):
        before = await statements_for(finance, PAGE + download)
        await more_lines(3)
        assert await statements_for(finance, PAGE + download) == before, download


async def test_the_welsh_excel_file_names_its_sheets_and_columns_in_welsh(client_as):
    await support.build_ledger_world()
    finance, _ = await client_as("finance_director")
    response = await finance.get(PAGE + ".xlsx?lang=cy")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Cyfriflyfr", "Ynglŷn â’r ffeil", "Cyfansymiau fesul blwyddyn"]
    assert book["Cyfriflyfr"]["I1"].value == "Lle i symud (£)"


async def test_a_national_admin_filters_the_ledger_by_health_board(client_as):
    world = await support.build_ledger_world()
    admin, _ = await client_as("national_admin")
    everything = await admin.get(PAGE)
    assert set(_rows(everything.text)) == set(world.lines.values())
    assert 'name="health_board"' in everything.text
    board = re.search(r'<option value="(\d+)">Swansea Bay University Health Board</option>', everything.text)
    assert board, "the health board filter lists Swansea Bay"
    swansea = await admin.get(PAGE, params={"health_board": board.group(1)})
    assert set(_rows(swansea.text)) == {world.lines["swansea_27"]}
    finance, _ = await client_as("finance_director")
    assert 'name="health_board"' not in (await finance.get(PAGE)).text
    assert not _rows((await finance.get(PAGE, params={"health_board": board.group(1)})).text)
