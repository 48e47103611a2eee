"""The ledger as files a finance director takes away: CSV and Excel, the same lines as the page with its filters
(finance/spend/exports.py uses the same helpers for the spend report)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from audit.rules import csv_cell
from core.clock import LONDON
from core.i18n import N_, gettext, time_in_words
from finance.schemas import LedgerLineOut, LedgerReportOut

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POUNDS_FORMAT = '"£"#,##0.00;-"£"#,##0.00'

# Each column: its heading and what it means (the Excel file's second sheet says so in the reader's language).
COLUMNS = (
    (N_("PCPG"), N_("The Pan Cluster Planning Group the money is for")),
    (N_("Health board"), N_("The health board whose budget it is")),
    (N_("Financial year"), N_("1 April to 31 March")),
    (N_("Funding stream"), N_("Where the money comes from")),
    (N_("Budget (£)"), N_("The amount set on the budget line")),
    (N_("Earmarked (£)"), N_("The maximum values of published specifications, held until award or cancellation")),
    (
        N_("Committed, not yet spent (£)"),
        N_("What contracts hold on the line less what has been paid against them (never below nothing)"),
    ),
    (N_("Actual (£)"), N_("What has been paid against the line, from accepted delivery returns")),
    (N_("Headroom (£)"), N_("What is left: budget less earmarked, committed not yet spent and actual")),
    (N_("Used (%)"), N_("Budget less headroom, as a share of the budget, rounded down")),
    (N_("Warning"), N_("Shown when a line is 90% or more used")),
)
MONEY_COLUMNS = range(5, 10)  # Budget to Headroom, 1-based


def pounds_number(pence: int) -> Decimal:
    return Decimal(pence) / 100


def _cells(line: LedgerLineOut) -> list[object]:
    return [
        line.pcpg,
        line.health_board,
        line.financial_year_label,
        line.funding_stream_label,
        pounds_number(line.budget_pence),
        pounds_number(line.earmarked_pence),
        pounds_number(line.committed_unspent_pence),
        pounds_number(line.actual_pence),
        pounds_number(line.headroom_pence),
        line.used_percent,
        line.warning_label,
    ]


def file_name(extension: str, now: datetime) -> str:
    return f"ledger-{now.astimezone(LONDON).date().isoformat()}.{extension}"


def ledger_csv(report: LedgerReportOut) -> str:
    """Pounds as plain numbers ("1234.50"), so a spreadsheet reads them as numbers; text never starts a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([gettext(heading) for heading, _ in COLUMNS])
    for line in report.items:
        writer.writerow(
            [
                csv_cell(str(cell)) if isinstance(cell, str) else f"{cell:.2f}" if isinstance(cell, Decimal) else cell
                for cell in _cells(line)
            ]
        )
    return "\ufeff" + buffer.getvalue()


def ledger_xlsx(report: LedgerReportOut, now: datetime, language: str) -> bytes:
    """The lines on the first sheet (pounds as numbers in a currency format, header frozen, autofilter on), what
    each column means and when the file was produced on the second, the totals per financial year on the third."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext(N_("Ledger"))
    sheet.append([gettext(heading) for heading, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in report.items:
        sheet.append(_cells(line))
    for column in MONEY_COLUMNS:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = POUNDS_FORMAT
    for index, (heading, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(gettext(heading)) + 4)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(report.items) + 1)}"

    about = book.create_sheet(gettext(N_("About")))
    about.append([gettext(N_("Produced")), time_in_words(now, language)])
    about.append(
        [
            gettext(N_("How a line adds up")),
            gettext(N_("Budget = earmarked + committed, not yet spent + actual + headroom, to the penny.")),
        ]
    )
    about.append([])
    about.append([gettext(N_("Column")), gettext(N_("What it means"))])
    for heading, meaning in COLUMNS:
        about.append([gettext(heading), gettext(meaning)])
    about.column_dimensions["A"].width = 32
    about.column_dimensions["B"].width = 100

    totals = book.create_sheet(gettext(N_("Totals by year")))
    totals.append(
        [
            gettext(N_("Financial year")),
            gettext(N_("Lines")),
            *(gettext(h) for h, _ in COLUMNS[4:9]),
            gettext(N_("Lines 90% or more used")),
        ]
    )
    for year in report.years:
        totals.append(
            [
                year.financial_year_label,
                year.lines,
                pounds_number(year.budget_pence),
                pounds_number(year.earmarked_pence),
                pounds_number(year.committed_unspent_pence),
                pounds_number(year.actual_pence),
                pounds_number(year.headroom_pence),
                year.warnings,
            ]
        )
    for row in totals.iter_rows(min_row=2, min_col=3, max_col=7):
        for cell in row:
            cell.number_format = POUNDS_FORMAT
    totals.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
