"""The ledger and the spend report as files a finance director takes away: CSV and Excel, the same rows as the page
with its filters."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from audit.rules import csv_cell
from core.clock import LONDON
from core.i18n import N_, gettext, time_in_words
from finance.schemas import LedgerLineOut, LedgerReportOut
from finance.spend import HELD_FOR_PCPG, SpendReportOut, SpendRowOut

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


def _pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def _cells(line: LedgerLineOut) -> list[object]:
    return [
        line.pcpg,
        line.health_board,
        line.financial_year_label,
        line.funding_stream_label,
        _pounds(line.budget_pence),
        _pounds(line.earmarked_pence),
        _pounds(line.committed_unspent_pence),
        _pounds(line.actual_pence),
        _pounds(line.headroom_pence),
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
                _pounds(year.budget_pence),
                _pounds(year.earmarked_pence),
                _pounds(year.committed_unspent_pence),
                _pounds(year.actual_pence),
                _pounds(year.headroom_pence),
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


# The spend report (issue 14) as files: the same rows as the API and the page, one sheet per grouping in Excel.

SPEND_COLUMNS = (
    (N_("Budget (£)"), N_("The budget lines' amount; by cluster, menu service or vehicle, what contracts hold there")),
    (N_("Earmarked (£)"), N_("The maximum values of published specifications, held until award or cancellation")),
    (N_("Committed (£)"), N_("Everything contracts hold here, paid or not")),
    (N_("Committed, not yet spent (£)"), N_("What contracts hold here less what has been paid")),
    (N_("Actual (£)"), N_("Payments a finance director approved")),
    (N_("Headroom (£)"), N_("What is left: budget less earmarked, committed not yet spent and actual")),
    (N_("Population"), N_("Of the clusters counted for per head: those with a known population")),
    (N_("Population dates"), N_("The dates the populations' sources give")),
    (N_("Clusters without a known population"), N_("Named; their money is left out of the per-head figures")),
    (N_("Actual per head (£)"), N_("Actual spend in clusters with a known population, divided by their population")),
    (N_("Committed per head (£)"), N_("The same for everything contracts hold there")),
)
SPEND_MONEY = range(0, 6)  # Budget to Headroom, 0-based after the grouping columns
SPEND_PER_HEAD = range(9, 11)


def _spend_cells(row: SpendRowOut) -> list[object]:
    return [
        *(key.label for key in row.keys),
        _pounds(row.budget_pence),
        _pounds(row.earmarked_pence),
        _pounds(row.committed_pence),
        _pounds(row.committed_unspent_pence),
        _pounds(row.actual_pence),
        _pounds(row.headroom_pence),
        row.population,
        row.population_dates,
        ", ".join(row.clusters_without_population),
        None if row.actual_per_head_pence is None else _pounds(row.actual_per_head_pence),
        None if row.committed_per_head_pence is None else _pounds(row.committed_per_head_pence),
    ]


def _spend_headings(report: SpendReportOut) -> list[str]:
    return [*report.group_by_labels, *(gettext(heading) for heading, _ in SPEND_COLUMNS)]


def spend_file_name(extension: str, now: datetime) -> str:
    return f"spend-{now.astimezone(LONDON).date().isoformat()}.{extension}"


def spend_csv(report: SpendReportOut) -> str:
    """Pounds as plain numbers, per head left empty where no population is known; text never starts a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_spend_headings(report))
    for row in report.rows:
        writer.writerow(
            [
                csv_cell(cell) if isinstance(cell, str) else f"{cell:.2f}" if isinstance(cell, Decimal) else cell
                for cell in _spend_cells(row)
            ]
        )
    return "\ufeff" + buffer.getvalue()


def _sheet_title(report: SpendReportOut, taken: set[str]) -> str:
    """A sheet's name from its groupings, within Excel's 31 characters and without the characters it refuses."""
    labels = report.group_by_labels
    title = (
        gettext(N_("%(first)s and %(second)s"), first=labels[0], second=labels[1]) if len(labels) == 2 else labels[0]
    )
    title = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31]
    while title in taken:
        title = title[:29] + f" {len(taken)}"
    taken.add(title)
    return title


def _spend_sheet(sheet: Any, report: SpendReportOut) -> None:
    headings = _spend_headings(report)
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append(_spend_cells(row))
    width = len(report.group_by)
    for offset in (*SPEND_MONEY, *SPEND_PER_HEAD):
        column = width + offset + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = POUNDS_FORMAT
    population = width + 7
    for (cell,) in sheet.iter_rows(min_row=2, min_col=population, max_col=population):
        cell.number_format = "#,##0"
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(len(heading) + 4, 40))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(1, len(report.rows) + 1)}"


def spend_xlsx(reports: list[SpendReportOut], now: datetime, language: str, filters: list[tuple[str, str]]) -> bytes:
    """A sheet per grouping asked for (for two: the pair first, then each alone), pounds as numbers in a currency
    format, header frozen, autofilter on; then a sheet saying what the figures mean, the filters, the totals and when
    the file was produced, in the reader's language."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    taken: set[str] = set()
    for report in reports:
        _spend_sheet(book.create_sheet(_sheet_title(report, taken)), report)

    about = book.create_sheet(gettext(N_("About")))
    about.append([gettext(N_("Produced")), time_in_words(now, language)])
    for name, value in filters:
        about.append([name, value])
    about.append(
        [
            gettext(N_("How a row adds up")),
            gettext(N_("Budget = earmarked + committed, not yet spent + actual + headroom, to the penny.")),
        ]
    )
    about.append(
        [
            gettext(HELD_FOR_PCPG),
            gettext(
                N_(
                    "Budgets and earmarks are held by the PCPG, not by cluster, menu service or delivery vehicle. "
                    "This row has the part of the budget not given to a contract, the earmarks and the headroom, so "
                    "that every sheet adds up to the ledger's totals."
                )
            ),
        ]
    )
    about.append(
        [
            gettext(N_("Per head")),
            gettext(
                N_(
                    "Only money given to clusters with a known population is divided, by those clusters' population "
                    "as their sources give it, to the nearest penny. Clusters without a known population are named "
                    "and left out; no population is guessed."
                )
            ),
        ]
    )
    about.append([])
    about.append([gettext(N_("Column")), gettext(N_("What it means"))])
    for heading, meaning in SPEND_COLUMNS:
        about.append([gettext(heading), gettext(meaning)])
    about.append([])
    totals = reports[0].totals
    about.append([gettext(N_("Totals")), ""])
    for (heading, _meaning), pence in zip(
        SPEND_COLUMNS[:6],
        (
            totals.budget_pence,
            totals.earmarked_pence,
            totals.committed_pence,
            totals.committed_unspent_pence,
            totals.actual_pence,
            totals.headroom_pence,
        ),
        strict=True,
    ):
        about.append([gettext(heading), _pounds(pence)])
        about.cell(row=about.max_row, column=2).number_format = POUNDS_FORMAT
    about.column_dimensions["A"].width = 36
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
