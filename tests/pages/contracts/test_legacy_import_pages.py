"""The pages bringing in contracts made before this service: the template (CSV and Excel) with its headings, a file
with problems shown back with each row and column, the preview (new, changed, unchanged) before anything changes,
and confirming, after which the contract's page says what was settled outside this service; in English and Welsh."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from contracts.tables import Contract, ContractImport
from tests import contracts_support_legacy as files
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, html_lang, success_banner, table_rows, text_of, welsh

PAGE = "/contracts/import"

pytestmark = pytest.mark.usefixtures("menu")


async def _upload(http, content: bytes, lang: str = "en", name: str = "contracts.csv"):
    token = csrf_from((await http.get(f"{PAGE}?lang={lang}")).text)
    return await http.post(PAGE, data={"_csrf_token": token}, files={"file": (name, content)})


def _seen(page: str) -> str:
    return page.split('name="seen" value="', 1)[1].split('"', 1)[0]


async def test_a_file_is_previewed_then_confirmed_and_the_contract_says_it_was_made_before_this_service(client_as):
    http, _ = await client_as("commissioner")
    world = await files.world()
    listing = await http.get("/contracts")
    assert 'href="/contracts/import"' in listing.text
    page = await http.get(PAGE)
    assert page.status_code == 200 and 'href="/contracts/import/template.xlsx"' in page.text
    template = (await http.get(f"{PAGE}/template.csv")).content
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Contract reference", "Title", "Title in Welsh"]
    assert files.label(files.this_year()) in rows[0] and rows[2][:2] == ["Contract reference", "KPI"]
    book = load_workbook(io.BytesIO((await http.get(f"{PAGE}/template.xlsx")).content))
    assert book.sheetnames == ["Contracts", "KPIs", "About"]

    checked = await _upload(http, files.csv_file([files.row(world["service"])], [files.kpi()]))
    assert checked.status_code in (302, 303), checked.text
    preview_at = checked.headers["location"]
    assert await Contract.count() == 0, "checking makes no contract"
    preview = await http.get(preview_at)
    [shown] = table_rows(preview.text)
    assert (
        shown[0] == "2"
        and shown[2] == "New"
        and shown[5:] == ["£36,000.00", f"£{3_000 * files.quarters_left() + 12_000:,}.00"]
    )
    assert "Contracts to bring in: 1" in text_of(preview.text)

    confirmed = await http.post(preview_at, data={"_csrf_token": csrf_from(preview.text), "seen": _seen(preview.text)})
    assert confirmed.status_code in (302, 303) and confirmed.headers["location"] == "/contracts"
    assert "brought in" in (success_banner((await http.get("/contracts")).text) or "")
    contract = await Contract.select(Contract.id).first()
    assert contract is not None
    detail = text_of((await http.get(f"/contracts/{contract['id']}")).text)
    assert "Made before this service: no specification here (its reference was CV-OLD-1)" in detail
    assert "What fell due before then was committed and paid outside it" in detail
    history = table_rows((await http.get(f"/contracts/{contract['id']}")).text)
    assert any(row[-1] == "Brought in from a file" for row in history), "not 'The award': there was none"
    document = await http.get(f"/contracts/{contract['id']}/document")
    assert document.status_code == 200 and "Made before this service" in text_of(document.text)
    again = await http.post(preview_at, data={"_csrf_token": csrf_from(preview.text), "seen": _seen(preview.text)})
    assert again.status_code == 400 and "Upload the file again" in text_of(again.text)
    assert await Contract.count() == 1

    unchanged = await _upload(http, files.xlsx_file([files.row(world["service"])], [files.kpi()]), name="c.xlsx")
    shown_again = text_of((await http.get(unchanged.headers["location"])).text)
    assert "Contracts unchanged: 1" in shown_again and "The file changes nothing" in shown_again


async def test_a_file_with_problems_is_shown_back_with_each_row_and_column_and_nothing_is_kept(client_as):
    http, _ = await client_as("commissioner")
    world = await files.world()
    refused = await _upload(
        http,
        files.csv_file(
            [
                files.row(world["service"], vehicle="Nobody Ltd"),
                files.row(world["service"], reference="B", payment="monthly"),
            ]
        ),
    )
    assert refused.status_code == 400
    said = text_of(refused.text)
    assert "The file has 2 problems, so nothing was changed" in said
    assert "Row 2, column F: enter the Companies House number or the name of a delivery vehicle" in said
    assert "Row 3, column J:" in said
    assert error_summary_links(refused.text)
    assert await ContractImport.count() == 0 and await Contract.count() == 0
    other = await _upload(http, b"PCPG,Financial year,Funding stream,Amount (\xc2\xa3),Note\n")
    assert other.status_code == 400 and "not the contracts template" in text_of(other.text)


async def test_the_pages_read_in_welsh_and_only_a_commissioner_has_them(client_as):
    http, _ = await client_as("commissioner")
    page = await http.get(f"{PAGE}?lang=cy")
    assert html_lang(page.text) == "cy"
    assert welsh("Bring in contracts made before this service") in page.text
    template = (await http.get(f"{PAGE}/template.csv?lang=cy")).content
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    assert rows[0][0] == welsh("Contract reference")
    finance, _ = await client_as("finance_director")
    assert (await finance.get(PAGE)).status_code == 403
    assert 'href="/contracts/import"' not in (await finance.get("/contracts")).text


async def test_another_users_check_is_not_found(client_as):
    http, _ = await client_as("commissioner")
    world = await files.world()
    checked = await _upload(http, files.csv_file([files.row(world["service"])]))
    preview_at = checked.headers["location"]
    other, _ = await client_as("commissioner")
    assert (await other.get(preview_at)).status_code == 404
    token = csrf_from((await other.get(PAGE)).text)
    assert (await other.post(preview_at, data={"_csrf_token": token, "seen": "x"})).status_code == 404
    assert await Contract.count() == 0
