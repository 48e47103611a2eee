"""The budget lines upload pages: the template pre-filled with the finance director's PCPGs, a file with problems
shown back with each row and column, the preview (new, changed, unchanged) before anything changes, and confirming,
which checks again; in English and Welsh."""

from __future__ import annotations

import csv
import io

from finance.tables import BudgetImport, BudgetLine
from tests import commissioning_support as support
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, html_lang, success_banner, table_rows, text_of, welsh

PAGE = "/budgets/import"


def _file(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


async def _upload(http, content: bytes, lang: str = "en"):
    token = csrf_from((await http.get(f"{PAGE}?lang={lang}")).text)
    return await http.post(PAGE, data={"_csrf_token": token}, files={"file": ("lines.csv", content, "text/csv")})


async def test_the_template_lists_the_health_boards_pcpgs_and_a_file_is_previewed_then_confirmed(client_as):
    http, _ = await client_as("finance_director")
    await support.budget_line(pcpg="Cardiff", year=2027, amount_pence=100_000_00)
    page = await http.get(f"{PAGE}?financial_year=2027")
    assert page.status_code == 200
    assert 'href="/budgets/import/template.csv?financial_year=2027"' in page.text
    template = (await http.get(f"{PAGE}/template.csv?financial_year=2027")).content
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    assert rows[0] == ["PCPG", "Financial year", "Funding stream", "Amount (£)", "Note"]
    assert {row[0] for row in rows[1:]} == {"Cardiff", "Vale of Glamorgan"}, "the finance director's PCPGs only"
    assert ["Cardiff", "2027-28", "Cluster funding", "100000.00", ""] in rows
    for row in rows:
        if row[:3] == ["Cardiff", "2027-28", "Cluster funding"]:
            row[3] = "120000"
        if row[:3] == ["Vale of Glamorgan", "2027-28", "Other"]:
            row[3] = "5000"
    rows.append(["Cardiff", "2027-28", "Health board core", "0", ""])
    rows.append(["Cardiff", "2028-29", "Health board core", "100", ""])
    checked = await _upload(http, _file(rows[:1] + rows[1:]))
    assert checked.status_code in (302, 303), checked.text
    preview_at = checked.headers["location"]
    assert await BudgetLine.count() == 1, "checking changes no line"
    preview = await http.get(preview_at)
    shown = {row[1]: (row[2], row[3], row[4]) for row in table_rows(preview.text)}
    assert shown["Cardiff, 2027-28, Cluster funding"] == ("Changed", "£100,000.00", "£120,000.00")
    assert shown["Vale of Glamorgan, 2027-28, Other"] == ("New", "Not set", "£5,000.00")
    assert shown["Cardiff, 2028-29, Health board core"] == ("New", "Not set", "£100.00")
    assert "New budget lines: 3" in text_of(preview.text) and "Budget lines changed: 1" in text_of(preview.text)

    confirmed = await http.post(preview_at, data={"_csrf_token": csrf_from(preview.text), "seen": _seen(preview.text)})
    assert confirmed.status_code in (302, 303) and confirmed.headers["location"] == "/budgets"
    assert "The budget lines in the file are set" in (success_banner((await http.get("/budgets")).text) or "")
    assert await BudgetLine.count() == 4
    again = await http.post(preview_at, data={"_csrf_token": csrf_from(preview.text), "seen": _seen(preview.text)})
    assert again.status_code == 400 and "Upload the file again" in text_of(again.text)
    assert await BudgetLine.count() == 4


def _seen(page: str) -> str:
    marker = 'name="seen" value="'
    return page.split(marker, 1)[1].split('"', 1)[0]


async def test_a_file_with_problems_is_shown_back_with_each_row_and_column_and_nothing_is_kept(client_as):
    http, _ = await client_as("finance_director")
    head = ["PCPG", "Financial year", "Funding stream", "Amount (£)", "Note"]
    refused = await _upload(
        http,
        _file([head, ["Swansea Bay", "2027-28", "Cluster funding", "10", ""], ["Cardiff", "2027", "Other", "x", ""]]),
    )
    assert refused.status_code == 400
    said = text_of(refused.text)
    assert "The file has 3 problems, so nothing was changed" in said
    assert "Row 2, column A: this PCPG is not in your health board" in said
    assert "Row 3, column B:" in said and "Row 3, column D:" in said
    assert error_summary_links(refused.text)
    assert await BudgetImport.count() == 0 and await BudgetLine.count() == 0
    other = await _upload(http, b"Section,Item,Value\n")
    assert other.status_code == 400 and "not the budget lines template" in text_of(other.text)


async def test_the_pages_read_in_welsh_and_a_welsh_template_uploads_the_same(client_as):
    http, _ = await client_as("finance_director")
    page = await http.get(f"{PAGE}?lang=cy")
    assert html_lang(page.text) == "cy"
    assert welsh("Set budget lines from a file") in page.text
    template = (await http.get(f"{PAGE}/template.csv?financial_year=2027&lang=cy")).content
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    assert rows[0][1] == welsh("Financial year") and rows[1][2] == welsh("Cluster funding")
    rows[1][3] = "1000"
    checked = await _upload(http, _file(rows), lang="cy")
    assert checked.status_code in (302, 303), checked.text
    preview = await http.get(checked.headers["location"])
    assert welsh("Check what the file changes") in preview.text and welsh("New") in text_of(preview.text)


async def test_another_users_check_is_not_found_and_a_forged_confirmation_still_checks_everything(client_as):
    http, _ = await client_as("finance_director")
    line = await support.budget_line(pcpg="Cardiff", year=2027, amount_pence=100_000_00)
    head = ["PCPG", "Financial year", "Funding stream", "Amount (£)", "Note"]
    checked = await _upload(http, _file([head, ["Cardiff", "2027-28", "Cluster funding", "90000", ""]]))
    preview_at = checked.headers["location"]
    preview = await http.get(preview_at)
    other, _ = await client_as("finance_director")
    assert (await other.get(preview_at)).status_code == 404
    token = csrf_from((await other.get(PAGE)).text)
    assert (await other.post(preview_at, data={"_csrf_token": token, "seen": _seen(preview.text)})).status_code == 404

    forged = await http.post(preview_at, data={"_csrf_token": csrf_from(preview.text), "seen": "0" * 32})
    assert forged.status_code == 409
    assert "changed since you checked it" in text_of(forged.text)
    assert (await BudgetLine.select(BudgetLine.amount_pence).where(BudgetLine.id == line.id).first()) == {
        "amount_pence": 100_000_00
    }
