"""Budget lines as a file a finance director fills in (issue 14, item 5): the template (CSV or Excel, in plain words:
PCPG by name, year like 2027-28, funding stream by its label, amount in pounds), pre-filled with the PCPGs the reader
may set lines for, and reading a filled-in one back into rows of values, naming the row and column of each problem.
The reading kit is core/spreadsheet.py; what the rows do to the lines is finance/budget_import.py."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from audit.rules import csv_cell
from core import spreadsheet
from core.errors import DomainError, RuleBroken
from core.i18n import N_, gettext, in_every_language
from core.money import parse_pounds, pounds_input
from core.periods import FinancialYear
from core.spreadsheet import POUNDS_FORMAT, CellProblems
from finance import rules
from finance.schemas import BudgetImportLineIn

HEADINGS = (N_("PCPG"), N_("Financial year"), N_("Funding stream"), N_("Amount (£)"), N_("Note"))
PCPG, YEAR, STREAM, AMOUNT, NOTE = (spreadsheet.column_letter(index) for index in range(5))
NOTE_LENGTH = 2000  # finance.schemas.BudgetLineIn.note
NOT_THE_TEMPLATE = N_(
    "This file is not the budget lines template: its first row must be the headings PCPG, Financial year, Funding "
    "stream, Amount (£) and Note. Download the template and fill that in"
)
NOT_A_TEMPLATE_FILE = N_("The file must be the budget lines template, saved as CSV or as an Excel workbook (XLSX)")
UPLOAD_REFUSED = N_("The file has %(count)s problems, so nothing was changed. Correct them and upload it again")
NO_LINES = N_("The file has no budget lines: fill in an amount on at least one row")


@dataclass(frozen=True)
class TemplateLine:
    """A row of the template: a PCPG (its name in the reader's language), the year, a stream and the amount set."""

    pcpg: str
    financial_year: int
    funding_stream: str
    amount_pence: int | None
    note: str = ""


def file_name(financial_year: int, extension: str) -> str:
    return f"budget-lines-{FinancialYear(financial_year).label}.{extension}"


def _cells(line: TemplateLine) -> tuple[str, str, str, Decimal | None, str]:
    stream = gettext(rules.FUNDING_STREAMS[line.funding_stream])
    amount = None if line.amount_pence is None else Decimal(line.amount_pence) / 100
    return line.pcpg, FinancialYear(line.financial_year).label, stream, amount, line.note


def template_csv(lines: Sequence[TemplateLine]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Welsh letters as they are; text never starts a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([gettext(heading) for heading in HEADINGS])
    for line in lines:
        pcpg, year, stream, _, note = _cells(line)
        writer.writerow([csv_cell(pcpg), year, csv_cell(stream), pounds_input(line.amount_pence), csv_cell(note)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(lines: Sequence[TemplateLine], financial_year: int, now: datetime) -> bytes:
    """The lines on the first sheet (amounts to fill in shaded, in a pounds format), how to fill it in on "About"."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext(N_("Budget lines"))
    sheet.append([gettext(heading) for heading in HEADINGS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF9C4")
    for number, line in enumerate(lines, start=2):
        for column, value in enumerate(_cells(line), start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text as text, never a formula, whatever it starts with
        amount = sheet[f"{AMOUNT}{number}"]
        amount.fill = fill
        amount.number_format = POUNDS_FORMAT
    for letter, width in zip("ABCDE", (28, 16, 30, 18, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"

    about = book.create_sheet(gettext(N_("About")))
    texts = (
        (gettext(N_("Budget lines")), gettext(N_("For %(year)s"), year=FinancialYear(financial_year).label)),
        (gettext(N_("Made")), now.strftime("%Y-%m-%d %H:%M")),
        (
            gettext(N_("How to fill it in")),
            gettext(
                N_(
                    "One row per budget line: the PCPG by its name, the financial year like 2027-28, the funding "
                    "stream by its name and the amount in pounds. A row with no amount is left out. Add rows for "
                    "other years or streams as you need."
                )
            ),
        ),
        (
            gettext(N_("What it changes")),
            gettext(
                N_(
                    "A line that does not exist yet is set up; a line that exists takes the amount and note in the "
                    "file. Lines not in the file are not changed. A line's amount cannot go below what is already "
                    "earmarked, committed or spent on it."
                )
            ),
        ),
        (
            gettext(N_("Upload")),
            gettext(
                N_(
                    "Upload the file on the budgets page. You see what it would change before anything is changed. "
                    "A file with any problem is refused whole, with the row and column of each one."
                )
            ),
        ),
    )
    return spreadsheet.with_about_sheet(book, about, texts)


def read_rows(content: bytes) -> spreadsheet.Rows:
    return spreadsheet.read_rows(content, not_a_template=NOT_A_TEMPLATE_FILE, columns=len(HEADINGS))


def _heading_words() -> list[set[str]]:
    """Each column's heading in either language: a file made in Welsh is read as one made in English."""
    return [in_every_language(heading) for heading in HEADINGS]


def lines_from_rows(
    rows: Iterable[tuple[int, list[str]]], pcpgs: Mapping[str, int], problems: CellProblems
) -> list[BudgetImportLineIn]:
    """The rows' values, each with its row number. `pcpgs` gives a PCPG's id by its name in either language,
    casefolded. Problems of form are added to `problems`; the caller adds those of substance and refuses the whole
    file if any. A file whose first row is not the headings is not the template, and is refused as such."""
    listed = [(number, cells) for number, cells in rows if any(cells)]
    if not listed:
        raise RuleBroken(NOT_THE_TEMPLATE, field="file")
    header = listed[0][1]
    words = _heading_words()
    found = [" ".join(spreadsheet.cell(header, index).split()).casefold() for index in range(len(HEADINGS))]
    if not all(found[index] in words[index] for index in range(4)) or found[4] not in (words[4] | {""}):
        raise RuleBroken(NOT_THE_TEMPLATE, field="file")
    lines: list[BudgetImportLineIn] = []
    for number, cells in listed[1:]:
        amount_text = spreadsheet.cell(cells, 3)
        if not amount_text:
            continue  # a row with no amount is left out: the template lists lines not set yet
        pcpg_id = pcpgs.get(" ".join(spreadsheet.cell(cells, 0).split()).casefold())
        if pcpg_id is None:
            problems.add(number, PCPG, N_("enter the name of a PCPG, as the template gives it"))
        year = rules.read_financial_year(spreadsheet.cell(cells, 1))
        if year is None:
            problems.add(number, YEAR, N_("enter the financial year like 2027-28"))
        stream = rules.read_funding_stream(spreadsheet.cell(cells, 2))
        if stream is None:
            problems.add(number, STREAM, N_("enter a funding stream: %(streams)s"), streams=", ".join(_stream_names()))
        amount: int | None
        try:
            amount = parse_pounds(amount_text, field="amount_pence")
        except DomainError:
            amount = None
        if amount is None or amount < 0 or amount > rules.LARGEST_BUDGET_PENCE:
            amount = None
            problems.add(number, AMOUNT, N_("enter the amount in pounds, £0 or more, like 125000.00"))
        note = spreadsheet.cell(cells, 4)
        if len(note) > NOTE_LENGTH:
            problems.add(number, NOTE, N_("write 2,000 characters or fewer"))
        if pcpg_id is None or year is None or stream is None or amount is None or len(note) > NOTE_LENGTH:
            continue
        lines.append(
            BudgetImportLineIn(
                row=number, pcpg_id=pcpg_id, financial_year=year, funding_stream=stream, amount_pence=amount, note=note
            )
        )
    if not lines and not problems:
        raise RuleBroken(NO_LINES, field="file")
    return lines


def _stream_names() -> list[str]:
    return [gettext(label) for label in rules.FUNDING_STREAMS.values()]
