"""POST /api/v1/budget-lines/import: `dry_run=true` says what the file would change and writes nothing; without it the
whole file is applied, or refused whole as an RFC 9457 problem listing each problem with its row and column."""

from __future__ import annotations

import io

from openpyxl import Workbook

from audit.tables import AuditEvent
from finance.tables import BudgetLine
from tests import commissioning_support as support

URL = "/api/v1/budget-lines/import"
HEAD = "PCPG,Financial year,Funding stream,Amount (£),Note\n"
PROBLEM = "application/problem+json"


def _csv(*rows: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("lines.csv", (HEAD + "".join(row + "\n" for row in rows)).encode(), "text/csv")}


async def test_a_dry_run_previews_new_changed_and_unchanged_and_writes_nothing(client_as):
    http, _ = await client_as("finance_director")
    await support.budget_line(pcpg="Cardiff", year=2027, amount_pence=100_000_00)
    await support.budget_line(pcpg="Vale of Glamorgan", year=2027, amount_pence=20_000_00)
    files = _csv(
        "Cardiff,2027-28,Cluster funding,150000,",
        "Vale of Glamorgan,2027-28,Cluster funding,20000,",
        "Cardiff,2028-29,Cluster funding,90000,",
    )
    events = await AuditEvent.count()
    response = await http.post(URL, params={"dry_run": "true"}, files=files)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(item["row"], item["change"], item["before_pence"], item["after_pence"]) for item in body["items"]] == [
        (2, "changed", 100_000_00, 150_000_00),
        (3, "unchanged", 20_000_00, 20_000_00),
        (4, "new", None, 90_000_00),
    ]
    assert (body["new"], body["changed"], body["unchanged"], body["applied"]) == (1, 1, 1, False)
    assert await BudgetLine.count() == 2 and await AuditEvent.count() == events

    applied = await http.post(URL, files=files)
    assert applied.status_code == 200, applied.text
    assert applied.json()["applied"] is True
    amounts = await BudgetLine.select(BudgetLine.financial_year, BudgetLine.amount_pence).order_by(BudgetLine.id)
    assert [(row["financial_year"], row["amount_pence"]) for row in amounts] == [
        (2027, 150_000_00),
        (2027, 20_000_00),
        (2028, 90_000_00),
    ]


async def test_an_excel_workbook_is_taken_as_well(client_as):
    http, _ = await client_as("finance_director")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["PCPG", "Financial year", "Funding stream", "Amount (£)", "Note"])
    sheet.append(["Vale of Glamorgan", "2027-28", "Other", 5000, "Winter pressures"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = await http.post(URL, files={"file": ("lines.xlsx", buffer.getvalue())})
    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["label"] == "Vale of Glamorgan, 2027-28, Other"


async def test_a_file_with_problems_is_a_422_naming_each_row_and_column_and_nothing_is_written(client_as):
    http, _ = await client_as("finance_director")
    response = await http.post(
        URL,
        files=_csv(
            "Cardiff,2027-28,Cluster funding,1000,",
            "Swansea Bay,2027-28,Cluster funding,1000,",
            "Cardiff,27-28,Cluster funding,lots,",
        ),
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    errors = {(error["row"], error["column"], error["field"]) for error in response.json()["errors"]}
    assert errors == {(3, "A", "file.A3"), (4, "B", "file.B4"), (4, "D", "file.D4")}
    assert "3 problems" in response.json()["detail"]
    assert await BudgetLine.count() == 0


async def test_another_template_is_refused_as_not_the_template(client_as):
    http, _ = await client_as("national_admin")
    files = {"file": ("return.csv", b"Section,Item,Value,Unit,Code (do not change)\nSpend,x,1,,spend\n", "text/csv")}
    response = await http.post(URL, files=files)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["file"]
    assert "not the budget lines template" in response.json()["detail"]


async def test_a_commissioner_reads_budget_lines_but_cannot_import_them(client_as):
    http, _ = await client_as("commissioner")
    response = await http.post(URL, params={"dry_run": "true"}, files=_csv("Cardiff,2027-28,Cluster funding,1,"))
    assert response.status_code == 403
