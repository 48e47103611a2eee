"""Reading a template a person filled in (CSV or an Excel workbook) back as rows of text, and refusing it whole with
the row and column of every problem: the kit shared by the delivery return's figures (returns/figures_file.py) and
the budget lines' upload (finance/budget_file.py). Each domain decides what its rows mean."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from core.errors import RuleBroken, TooLarge
from core.i18n import N_, gettext

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
MAX_FILE_BYTES = 10 * 1024 * 1024  # as commissioning.services.bids.MAX_ATTACHMENT_BYTES
POUNDS_FORMAT = '"£"#,##0.00'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FILE_TOO_LARGE = N_("The file must be 10 MB or smaller")
CELL_PROBLEM = N_("Row %(row)s, column %(column)s: %(problem)s")
SHEET_CELL_PROBLEM = N_("Sheet %(sheet)s, row %(row)s, column %(column)s: %(problem)s")
_CELL_FIELD = re.compile(r"^file\.(?:[^!]{1,31}!)?([A-Z]{1,3})([0-9]{1,7})$")

Rows = list[tuple[int, list[str]]]


def download_headers(name: str) -> dict[str, str]:
    """A template is saved, never shown: the browser takes the type sent, and the name says what it is."""
    return {"x-content-type-options": "nosniff", "content-disposition": f'attachment; filename="{name}"'}


def with_about_sheet(book: Workbook, about: Worksheet, lines: Sequence[tuple[str, str]]) -> bytes:
    """A template's workbook, finished: its About sheet's lines (a bold label and its text) added, saved as bytes."""
    for label, text in lines:
        about.append([label, text])
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell_text(value: Any) -> str:
    """A cell as text: numbers as they read (1250.5, 12), no float arithmetic on the way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def unquoted(text: str) -> str:
    """The apostrophe a template puts before text that would start a formula is not part of the text."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def cell(cells: Sequence[str], index: int) -> str:
    """The text of a row's cell by its index (0 is column A), empty past the row's end."""
    return unquoted(cells[index]) if index < len(cells) else ""


def column_letter(index: int) -> str:
    """0 is A, 25 is Z (the templates are narrower than that)."""
    return chr(ord("A") + index)


def is_xlsx(content: bytes) -> bool:
    """An Office Open XML workbook by its parts, whatever its name says."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names)


def read_rows(content: bytes, *, not_a_template: str, columns: int, max_bytes: int = MAX_FILE_BYTES) -> Rows:
    """The file's rows as text with their row numbers, from the bytes themselves (not the name or the browser's
    word): an Excel workbook (its first sheet) or CSV text (UTF-8, or Windows' encoding as Excel saves it). Anything
    else is refused with `not_a_template`, on the field `file`."""
    return read_sheets(content, not_a_template=not_a_template, columns=columns, max_bytes=max_bytes)[0][1]


def read_sheets(
    content: bytes, *, not_a_template: str, columns: int, max_bytes: int = MAX_FILE_BYTES
) -> list[tuple[str, Rows]]:
    """Every sheet of a workbook with its name, in order; a CSV file is one sheet with no name."""
    if len(content) > max_bytes:
        raise TooLarge(FILE_TOO_LARGE, field="file")
    if content.startswith(b"PK\x03\x04"):
        if not is_xlsx(content):
            raise RuleBroken(not_a_template, field="file")
        return _xlsx_sheets(content, not_a_template=not_a_template, columns=columns)
    if b"\x00" in content or content.startswith(b"%PDF-"):
        raise RuleBroken(not_a_template, field="file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        parsed = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise RuleBroken(not_a_template, field="file") from exc
    return [("", [(number, [value.strip() for value in cells]) for number, cells in enumerate(parsed, 1)])]


def _xlsx_sheets(content: bytes, *, not_a_template: str, columns: int) -> list[tuple[str, Rows]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheets = [
            (
                str(sheet.title),
                [
                    (number, [cell_text(value) for value in values])
                    for number, values in enumerate(sheet.iter_rows(max_col=columns, values_only=True), start=1)
                ],
            )
            for sheet in book.worksheets
        ]
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError) as exc:
        raise RuleBroken(not_a_template, field="file") from exc
    if not sheets:
        raise RuleBroken(not_a_template, field="file")
    return sheets


class CellProblems:
    """Every problem found in a file, each named by its cell (`file.D7`) and said as "Row 7, column D: ...", so the
    whole file is refused at once with all of them (the API lists them, the page shows them in its error summary)."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def add(self, row: int, column: str, problem: str, *, sheet: str = "", **params: Any) -> None:
        """Keep the first problem of a cell; `problem` is a catalogue message, said in the reader's language. A cell
        of a workbook's second or later sheet names its sheet too (`file.KPIs!D7`)."""
        said = gettext(problem, **params)
        if sheet:
            self.found.setdefault(
                f"file.{sheet}!{column}{row}",
                gettext(SHEET_CELL_PROBLEM, sheet=sheet, row=row, column=column, problem=said),
            )
            return
        self.found.setdefault(f"file.{column}{row}", gettext(CELL_PROBLEM, row=row, column=column, problem=said))

    def __bool__(self) -> bool:
        return bool(self.found)

    def refuse(self, summary: str) -> None:
        """Raise the refusal of the whole file when anything was found; `summary` has a `%(count)s`."""
        if self.found:
            raise RuleBroken(summary, field="file", count=len(self.found), problems=dict(self.found))


def cell_of(field: str | None) -> tuple[int, str] | None:
    """The row and column a problem's field names (`file.D7` is row 7, column D, as is `file.KPIs!D7` on the sheet
    KPIs), or None for any other field."""
    match = _CELL_FIELD.match(field or "")
    return (int(match.group(2)), match.group(1)) if match else None
