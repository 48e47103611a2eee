"""The shared reading kit of uploaded templates: rows from CSV or XLSX bytes, and problems named by row and column."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from core import spreadsheet
from core.errors import RuleBroken, TooLarge

NOT = "not the template"


def test_csv_rows_come_with_their_numbers_and_windows_encoding_is_read_too():
    assert spreadsheet.read_rows("a,b\n\nc,\u00e2\n".encode("cp1252"), not_a_template=NOT, columns=2) == [
        (1, ["a", "b"]),
        (2, []),
        (3, ["c", "\u00e2"]),
    ]


def test_a_workbook_is_read_from_its_first_sheet_with_numbers_as_typed():
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["x", 1250.5, 12.0, None, "'=1+1", "beyond"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = spreadsheet.read_rows(buffer.getvalue(), not_a_template=NOT, columns=5)
    assert rows == [(1, ["x", "1250.5", "12", "", "'=1+1"])]
    assert spreadsheet.cell(rows[0][1], 4) == "=1+1" and spreadsheet.cell(rows[0][1], 9) == ""


@pytest.mark.parametrize("content", [b"%PDF-1.7", b"a\x00b", b"PK\x03\x04 not a zip"], ids=["pdf", "binary", "zip"])
def test_what_is_not_a_spreadsheet_is_refused_as_not_the_template(content):
    with pytest.raises(RuleBroken) as refused:
        spreadsheet.read_rows(content, not_a_template=NOT, columns=5)
    assert (refused.value.message, refused.value.field) == (NOT, "file")


def test_a_zip_that_is_not_a_workbook_is_refused_and_a_file_too_large_is_too_large():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("word/document.xml", "<x/>")
    with pytest.raises(RuleBroken):
        spreadsheet.read_rows(buffer.getvalue(), not_a_template=NOT, columns=5)
    with pytest.raises(TooLarge):
        spreadsheet.read_rows(b"a" * 11, not_a_template=NOT, columns=5, max_bytes=10)


def test_problems_are_kept_one_per_cell_and_refuse_the_file_whole():
    problems = spreadsheet.CellProblems()
    problems.refuse("%(count)s problems")  # nothing found: nothing refused
    problems.add(7, "D", "enter %(what)s", what="an amount")
    problems.add(7, "D", "something else")
    problems.add(8, "A", "no such PCPG")
    with pytest.raises(RuleBroken) as refused:
        problems.refuse("%(count)s problems")
    assert refused.value.params["count"] == 2
    assert refused.value.params["problems"] == {
        "file.D7": "Row 7, column D: enter an amount",
        "file.A8": "Row 8, column A: no such PCPG",
    }


def test_a_cell_field_gives_its_row_and_column():
    assert spreadsheet.cell_of("file.D7") == (7, "D")
    assert spreadsheet.cell_of("file.AB120") == (120, "AB")
    assert spreadsheet.cell_of("file") is None and spreadsheet.cell_of(None) is None
    assert spreadsheet.cell_of("amount_pence") is None
