"""A return's figures as a file a person fills in: the template (CSV or Excel, pre-filled with the contract's clusters
and KPIs and the figures saved so far) and reading a filled-in one back into `ReturnFiguresIn`, all or nothing
(issue 13, item 2). Every row carries a code in column E, so the reader knows each row whatever language the words
are in and however the rows were reordered; the figure is always in column C."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from audit.rules import csv_cell
from commissioning.services.bids import MAX_ATTACHMENT_BYTES
from core import spreadsheet
from core.errors import DomainError, RuleBroken
from core.i18n import LANGUAGES, N_, gettext, translations
from core.money import parse_pounds, pounds_input
from core.spreadsheet import POUNDS_FORMAT, XLSX_TYPE, CellProblems, download_headers  # noqa: F401 - used by the pages
from returns import rules
from returns.schemas.returns import ActivityIn, KpiValueIn, ReturnFiguresIn, ReturnOut, WorkforceIn

VALUE_COLUMN = "C"
CODE_COLUMN = "E"
_PLAIN_CODES = ("spend", "narrative", "risks")

HEADINGS = (N_("Section"), N_("Item"), N_("Value"), N_("Unit"), N_("Code (do not change)"))
NOT_THIS_TEMPLATE = N_(
    "This file is not the template of this return. Download the template from the return's page and fill that in"
)
ANOTHER_CONTRACT = N_(
    "This file is the template of another contract's return (%(found)s), not of %(reference)s. Download this "
    "return's template and fill that in"
)
ANOTHER_QUARTER = N_(
    "This file is the template of another quarter's return (%(found)s), not of quarter %(quarter)s of %(year)s. "
    "Download this return's template and fill that in"
)
NOT_A_TEMPLATE_FILE = N_("The file must be this return's template, saved as CSV or as an Excel workbook (XLSX)")
UPLOAD_REFUSED = N_("The file has %(count)s problems, so nothing was saved. Correct them and upload it again")
UNKNOWN_ROW = N_("this row is not in this return's template")
REPEATED_ROW = N_("this row is in the file twice")


@dataclass(frozen=True)
class TemplateRow:
    section: str
    item: str
    value: Any
    unit: str
    code: str
    pounds: bool = False


def _headings() -> tuple[str, str, str, str, str]:
    section, item, value, unit, code = (gettext(heading) for heading in HEADINGS)
    return section, item, value, unit, code


def quarter_code(financial_year: int, quarter: int) -> str:
    return f"quarter:{financial_year}-{quarter}"


def template_rows(delivery_return: ReturnOut) -> list[TemplateRow]:
    """The template's rows in the reader's language: which return it is, then a row for every figure, pre-filled
    with the figures saved so far."""
    summary = delivery_return.summary
    rows = [
        TemplateRow(
            gettext(N_("Contract")),
            summary.contract_reference,
            summary.contract_title,
            summary.delivery_vehicle,
            f"contract:{summary.contract_id}",
        ),
        TemplateRow(
            gettext(N_("Quarter")),
            summary.year_label,
            gettext(N_("Quarter %(quarter)s"), quarter=summary.quarter),
            gettext(
                N_("%(start)s to %(end)s"),
                start=summary.period_from,
                end=summary.period_to,
            ),
            quarter_code(summary.financial_year, summary.quarter),
        ),
        TemplateRow("", "", "", "", ""),
        TemplateRow(*_headings()),
    ]
    activity = gettext(N_("Activity delivered"))
    rows += [
        TemplateRow(activity, cluster.name, cluster.units, delivery_return.unit_of_activity, f"activity:{c_id}")
        for cluster in delivery_return.activity
        for c_id in (cluster.cluster_id,)
    ]
    spend = delivery_return.spend_pence
    rows.append(
        TemplateRow(
            gettext(N_("Spend")),
            gettext(N_("Spend incurred in the quarter")),
            None if spend is None else Decimal(spend) / 100,
            gettext(N_("Pounds (£)")),
            "spend",
            pounds=True,
        )
    )
    kpi_section = gettext(N_("KPI"))
    rows += [
        TemplateRow(kpi_section, kpi.name, kpi.value, kpi.unit, f"kpi:{kpi.contract_kpi_id}")
        for kpi in delivery_return.kpis
    ]
    workforce = gettext(N_("Workforce in post"))
    wte = gettext(N_("Whole-time equivalents (WTE)"))
    rows += [
        TemplateRow(workforce, group.label, group.wte, wte, f"workforce:{group.staff_group}")
        for group in delivery_return.workforce
    ]
    rows.append(
        TemplateRow(
            gettext(N_("Narrative")), gettext(N_("What was delivered")), delivery_return.narrative, "", "narrative"
        )
    )
    rows.append(
        TemplateRow(
            gettext(N_("Risks and issues")), gettext(N_("Risks and issues")), delivery_return.risks, "", "risks"
        )
    )
    return rows


def file_name(delivery_return: ReturnOut, extension: str) -> str:
    summary = delivery_return.summary
    return f"return-{summary.contract_reference}-{summary.financial_year}-q{summary.quarter}.{extension}"


def template_csv(rows: Sequence[TemplateRow]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Welsh letters as they are; text never starts a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        value = row.value
        if value is None:
            shown = ""
        elif row.pounds:
            shown = pounds_input(int(Decimal(value) * 100))
        else:
            shown = csv_cell(str(value)) if isinstance(value, str) else str(value)
        writer.writerow([csv_cell(row.section), csv_cell(row.item), shown, csv_cell(row.unit), row.code])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(rows: Sequence[TemplateRow], delivery_return: ReturnOut) -> bytes:
    """The rows on the first sheet (the figures to fill in shaded in column C), and how to fill it in on "About"."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext(N_("Return"))
    fill = PatternFill("solid", fgColor="FFF9C4")
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate((row.section, row.item, row.value, row.unit, row.code), start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text as text, never a formula, whatever it starts with
        if row.code == gettext(HEADINGS[4]):
            for cell in sheet[number]:
                cell.font = Font(bold=True)
        elif row.code in _PLAIN_CODES or (":" in row.code and not row.code.startswith(("contract:", "quarter:"))):
            value_cell = sheet[f"{VALUE_COLUMN}{number}"]
            value_cell.fill = fill
            if row.pounds:
                value_cell.number_format = POUNDS_FORMAT
            if row.code in ("narrative", "risks"):
                value_cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (22, 40, 40, 30, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"

    about = book.create_sheet(gettext(N_("About")))
    summary = delivery_return.summary
    lines = (
        (
            gettext(N_("Return")),
            gettext(
                N_("%(reference)s, quarter %(quarter)s of %(year)s"),
                reference=summary.contract_reference,
                quarter=summary.quarter,
                year=summary.year_label,
            ),
        ),
        (gettext(N_("Due")), gettext(N_("By %(day)s"), day=summary.due_on)),
        (
            gettext(N_("How to fill it in")),
            gettext(
                N_(
                    "Enter each figure in column C, on its own row. Leave a figure empty if you do not have it yet: "
                    "the return is saved as a draft."
                )
            ),
        ),
        (
            gettext(N_("Activity")),
            gettext(
                N_("Whole numbers of %(unit)s delivered in each cluster in the quarter."),
                unit=delivery_return.unit_of_activity or gettext(N_("units")),
            ),
        ),
        (gettext(N_("Spend")), gettext(N_("What the service cost in the quarter, in pounds and pence."))),
        (gettext(N_("KPI")), gettext(N_("The quarter's value of each KPI, as a number in the KPI's unit."))),
        (
            gettext(N_("Workforce in post")),
            gettext(N_("Staff in post at the quarter's end, in whole-time equivalents (1 is one full-time post).")),
        ),
        (
            gettext(N_("Do not change")),
            gettext(
                N_("Column E and the first two rows: they tell the service which return and which figure each row is.")
            ),
        ),
        (
            gettext(N_("Upload")),
            gettext(
                N_(
                    "Upload the file on the return's page. A file with any problem is refused whole, with the row and "
                    "column of each one, and nothing is saved."
                )
            ),
        ),
    )
    return spreadsheet.with_about_sheet(book, about, lines)


# --- Reading a filled-in template ---


def read_rows(content: bytes) -> spreadsheet.Rows:
    """The file's rows as text with their row numbers (core.spreadsheet.read_rows), or a refusal saying what a
    return's template is."""
    return spreadsheet.read_rows(content, not_a_template=NOT_A_TEMPLATE_FILE, columns=5, max_bytes=MAX_ATTACHMENT_BYTES)


@dataclass(frozen=True)
class Expected:
    """What this return's template holds: its contract and quarter, the clusters and KPIs of the contract."""

    contract_id: int
    contract_reference: str
    financial_year: int
    year_label: str
    quarter: int
    cluster_ids: frozenset[int]
    kpi_ids: frozenset[int]


def _header_codes() -> set[str]:
    """Column E's heading, in either language: a file made in Welsh is read the same as one made in English."""
    return {translations(language).gettext(HEADINGS[4]) for language in LANGUAGES}


def figures_from_rows(rows: Iterable[tuple[int, list[str]]], expected: Expected) -> ReturnFiguresIn:
    """The figures a filled-in template gives, or a refusal listing every problem by row and column (nothing of it
    is saved): a file of another contract or quarter, or not a template at all, is refused as such."""
    coded = [(number, cells, spreadsheet.cell(cells, 4)) for number, cells in rows]
    codes = {code.split(":", 1)[0]: code for _, _, code in coded if code.startswith(("contract:", "quarter:"))}
    if "contract" not in codes or "quarter" not in codes:
        raise RuleBroken(NOT_THIS_TEMPLATE, field="file")
    contract_code, period = codes["contract"], codes["quarter"]
    if contract_code != f"contract:{expected.contract_id}":
        found = next((cells[1] for _, cells, code in coded if code == contract_code and len(cells) > 1), "")
        raise RuleBroken(
            ANOTHER_CONTRACT, field="file", found=found or contract_code, reference=expected.contract_reference
        )
    if period != quarter_code(expected.financial_year, expected.quarter):
        found = period.removeprefix("quarter:")
        raise RuleBroken(ANOTHER_QUARTER, field="file", found=found, quarter=expected.quarter, year=expected.year_label)

    problems = CellProblems()
    seen: set[str] = set()
    activity: list[ActivityIn] = []
    kpis: list[KpiValueIn] = []
    workforce: list[WorkforceIn] = []
    texts: dict[str, str] = {}
    spend: int | None = None

    problem = problems.add
    for number, cells, code in coded:
        value = spreadsheet.cell(cells, 2)
        if code in ("", *_header_codes()) or code.startswith(("contract:", "quarter:")):
            if not code and value:
                problem(number, CODE_COLUMN, UNKNOWN_ROW)
            continue
        if code in seen:
            problem(number, CODE_COLUMN, REPEATED_ROW)
            continue
        seen.add(code)
        kind, _, key = code.partition(":")
        if kind == "activity" and key.isdigit() and int(key) in expected.cluster_ids:
            if value:
                units = rules.units_value(value)
                if units is None:
                    problem(number, VALUE_COLUMN, N_("enter a whole number of units, from 0 to 10,000,000"))
                else:
                    activity.append(ActivityIn(cluster_id=int(key), units=units))
        elif kind == "kpi" and key.isdigit() and int(key) in expected.kpi_ids:
            if value:
                number_text = rules.kpi_value(value)
                if number_text is None:
                    problem(number, VALUE_COLUMN, N_("enter a number, like 87.5"))
                else:
                    kpis.append(KpiValueIn(contract_kpi_id=int(key), value=number_text))
        elif kind == "workforce" and key in rules.STAFF_GROUPS:
            if value:
                wte = rules.wte_value(value)
                if wte is None:
                    problem(number, VALUE_COLUMN, N_("enter whole-time equivalents as a number of 0 or more, like 2.5"))
                else:
                    workforce.append(WorkforceIn(staff_group=key, wte=wte))
        elif code == "spend":
            if value:
                try:
                    spend = parse_pounds(value, field="spend_pence")
                except DomainError:
                    spend = None
                if spend is None or spend < 0 or spend > rules.MAX_SPEND_PENCE:
                    spend = None
                    problem(number, VALUE_COLUMN, N_("enter the spend in pounds, £0 or more, like 1250.00"))
        elif code in ("narrative", "risks"):
            if len(value) > 10_000:
                problem(number, VALUE_COLUMN, N_("write 10,000 characters or fewer"))
            texts[code] = value
        else:
            problem(number, CODE_COLUMN, UNKNOWN_ROW)
    problems.refuse(UPLOAD_REFUSED)
    return ReturnFiguresIn(
        activity=activity,
        spend_pence=spend,
        kpi_values=kpis,
        narrative=texts.get("narrative", ""),
        risks=texts.get("risks", ""),
        workforce=workforce,
    )
