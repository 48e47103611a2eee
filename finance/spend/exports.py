"""The spend report as files: CSV and Excel, the same rows as the API and the page, one sheet per grouping in Excel;
the ledger's helpers (finance/exports.py) for pounds, their format and the download."""

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
from finance.exports import POUNDS_FORMAT, pounds_number
from finance.spend.schemas import HELD_FOR_PCPG, SpendReportOut, SpendRowOut

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
        pounds_number(row.budget_pence),
        pounds_number(row.earmarked_pence),
        pounds_number(row.committed_pence),
        pounds_number(row.committed_unspent_pence),
        pounds_number(row.actual_pence),
        pounds_number(row.headroom_pence),
        row.population,
        row.population_dates,
        ", ".join(row.clusters_without_population),
        None if row.actual_per_head_pence is None else pounds_number(row.actual_per_head_pence),
        None if row.committed_per_head_pence is None else pounds_number(row.committed_per_head_pence),
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
        about.append([gettext(heading), pounds_number(pence)])
        about.cell(row=about.max_row, column=2).number_format = POUNDS_FORMAT
    about.column_dimensions["A"].width = 36
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
