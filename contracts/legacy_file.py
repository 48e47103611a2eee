"""Contracts made before this service as a file a commissioner fills in (issue 14, item 5): the template (CSV or
Excel, in plain words: PCPG, menu service, delivery vehicle and clusters by name, dates like 2025-04-01, a column of
pounds per financial year) and reading a filled-in one back into rows of values, naming the row and column of each
problem. The reading kit is core/spreadsheet.py; what the rows do is contracts/services/legacy.py.

One contract per row on the first sheet. KPIs, one per row keyed by the contract's reference, go on a second sheet
of a workbook; a CSV file has one sheet, so its KPIs follow its contracts under their own heading row."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from contracts import rules
from contracts.rules import KpiDirection, PaymentTiming
from contracts.schemas.legacy import LegacyContractIn, LegacyKpiIn, LegacyYearIn
from core import spreadsheet
from core.errors import DomainError, RuleBroken
from core.i18n import N_, gettext, in_every_language
from core.money import parse_pounds
from core.periods import FinancialYear
from core.spreadsheet import CellProblems, Rows
from finance.rules import read_financial_year, read_funding_stream

HEADINGS = (
    N_("Contract reference"),
    N_("Title"),
    N_("Title in Welsh"),
    N_("PCPG"),
    N_("Service from the national menu"),
    N_("Delivery vehicle"),
    N_("Funding stream"),
    N_("Start date"),
    N_("End date"),
    N_("Payment"),
    N_("Clusters"),
)
KPI_HEADINGS = (
    N_("Contract reference"),
    N_("KPI"),
    N_("KPI in Welsh"),
    N_("Unit"),
    N_("Direction"),
    N_("Target"),
    N_("Green from"),
    N_("Red from"),
)
REFERENCE, TITLE, TITLE_CY, PCPG, SERVICE, VEHICLE, STREAM, START, END, PAYMENT, CLUSTERS = (
    spreadsheet.column_letter(index) for index in range(len(HEADINGS))
)
COLUMNS = 26  # A to Z: the fixed columns and up to 15 financial years
LARGEST_VALUE_PENCE = 100_000_000_00
NOT_THE_TEMPLATE = N_(
    "This file is not the contracts template: its first row must be the headings Contract reference, Title, Title "
    "in Welsh, PCPG, Service from the national menu, Delivery vehicle, Funding stream, Start date, End date, Payment "
    "and Clusters, then a financial year like 2025-26 over each column of values. Download the template and fill "
    "that in"
)
NOT_A_TEMPLATE_FILE = N_("The file must be the contracts template, saved as CSV or as an Excel workbook (XLSX)")
UPLOAD_REFUSED = N_("The file has %(count)s problems, so nothing was changed. Correct them and upload it again")
NO_CONTRACTS = N_("The file has no contracts: fill in at least one row")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass(frozen=True)
class Names:
    """What a file names, by its casefolded name (either language), each read once for the whole file."""

    pcpgs: Mapping[str, int]
    services: Mapping[str, int]  # the current version of a menu service, by its name
    vehicles: Mapping[str, int]  # by Companies House number or by exact name
    clusters: Mapping[str, int]


def folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def file_name(extension: str) -> str:
    return f"contracts-before-this-service.{extension}"


def template_years(today: date) -> list[int]:
    """The year columns the template offers: three years back to four ahead (more can be added, up to column Z)."""
    current = FinancialYear.containing(today).start_year
    return list(range(current - 3, current + 5))


def _headings(years: Sequence[int]) -> list[str]:
    return [gettext(heading) for heading in HEADINGS] + [FinancialYear(year).label for year in years]


def template_csv(today: date) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Welsh letters as they are: the contracts' headings, then a blank
    row and the KPIs' headings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headings(template_years(today)))
    writer.writerow([])
    writer.writerow([gettext(heading) for heading in KPI_HEADINGS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(today: date, now: datetime) -> bytes:
    """Contracts on the first sheet, KPIs on the second, how to fill it in on "About"."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext(N_("Contracts"))
    sheet.append(_headings(template_years(today)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    sheet.freeze_panes = "B2"
    for index in range(COLUMNS):
        sheet.column_dimensions[spreadsheet.column_letter(index)].width = 22
    kpis = book.create_sheet(gettext(N_("KPIs")))
    kpis.append([gettext(heading) for heading in KPI_HEADINGS])
    for cell in kpis[1]:
        cell.font = Font(bold=True)
    kpis.freeze_panes = "A2"
    for index in range(len(KPI_HEADINGS)):
        kpis.column_dimensions[spreadsheet.column_letter(index)].width = 24
    about = book.create_sheet(gettext(N_("About")))
    texts = (
        (gettext(N_("Contracts")), gettext(N_("Contracts made before this service, to bring into it"))),
        (gettext(N_("Made")), now.strftime("%Y-%m-%d %H:%M")),
        (gettext(N_("How to fill it in")), gettext(HOW_TO)),
        (gettext(N_("KPIs")), gettext(HOW_TO_KPIS)),
        (gettext(N_("What it changes")), gettext(WHAT_IT_CHANGES)),
    )
    return spreadsheet.with_about_sheet(book, about, texts)


HOW_TO = N_(
    "One row per contract: the reference it had before this service, its title, the PCPG, the service from the "
    "national menu and the delivery vehicle (its Companies House number or its name as registered here) by name, "
    "the funding stream, the start and end dates like 2025-04-01, the payment (Quarterly in arrears or Quarterly "
    "in advance) and the clusters it covers by name, separated by semicolons. Under each financial year of the "
    "term, its value in pounds; leave the other years empty."
)
HOW_TO_KPIS = N_(
    "One row per KPI on the KPIs sheet (in a CSV file, under the KPI headings below the contracts): the contract's "
    "reference, the KPI, its unit, its direction (Higher is better or Lower is better), its target, and where green "
    "and red start."
)
WHAT_IT_CHANGES = N_(
    "A contract not brought in before is made, live (or mobilising if it starts later). Values from the current "
    "financial year on are committed on the PCPG's budget line for the year and funding stream, paid quarterly "
    "and reported on from this quarter; earlier years were settled outside this service. A file with any problem "
    "is refused whole, with the row and column of each one, and you see what it would change before anything is "
    "changed."
)


def read_file_sheets(content: bytes) -> list[tuple[str, Rows]]:
    return spreadsheet.read_sheets(content, not_a_template=NOT_A_TEMPLATE_FILE, columns=COLUMNS)


def _words(headings: Sequence[str]) -> list[set[str]]:
    """Each column's heading in either language: a file made in Welsh is read as one made in English."""
    return [in_every_language(heading) for heading in headings]


def _is_heading(cells: Sequence[str], headings: Sequence[str]) -> bool:
    words = _words(headings)
    return all(folded(spreadsheet.cell(cells, index)) in words[index] for index in range(len(headings)))


def read_date(text: str) -> date | None:
    """A date as a spreadsheet gives it (2025-04-01, with a time from Excel) or as people in Wales write it
    (1/4/2025); None for anything else."""
    cleaned = text.strip()
    match = _DAY_MONTH_YEAR.match(cleaned)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(cleaned[:10]) if len(cleaned) >= 10 else None
    except ValueError:
        return None


def read_timing(text: str) -> PaymentTiming | None:
    """The payment timing by its label in either language ("Quarterly in arrears"), shortly ("in arrears"), or by
    its code; empty is in arrears, as a contract awarded here."""
    wanted = folded(text)
    if not wanted:
        return PaymentTiming.IN_ARREARS
    for timing in PaymentTiming:
        names = {timing.value, timing.value.replace("_", " ")}
        names |= in_every_language(timing.label)
        if wanted in names or wanted.removeprefix("quarterly ") in names:
            return timing
    return None


def read_direction(text: str) -> str | None:
    wanted = folded(text)
    for direction in KpiDirection:
        label = rules.KPI_DIRECTION_LABELS[direction.value]
        names = {direction.value, direction.value.replace("_", " ")}
        names |= in_every_language(label)
        if wanted in names:
            return direction.value
    return None


def _year_columns(header: Sequence[str]) -> dict[int, int] | None:
    """The column index of each financial year after the fixed columns; None when a heading there is not one."""
    years: dict[int, int] = {}
    for index in range(len(HEADINGS), len(header)):
        text = spreadsheet.cell(header, index)
        if not text:
            continue
        year = read_financial_year(text)
        if year is None or year in years:
            return None
        years[year] = index
    return years


def contracts_from_sheets(
    sheets: Sequence[tuple[str, Rows]], names: Names, problems: CellProblems
) -> list[LegacyContractIn]:
    """The rows' values, each with its row number. Problems of form are added to `problems`; the caller adds those
    of substance and refuses the whole file if any. A file whose first row is not the headings is not the template."""
    first = [(number, cells) for number, cells in sheets[0][1] if any(cells)]
    if not first or not _is_heading(first[0][1], HEADINGS):
        raise RuleBroken(NOT_THE_TEMPLATE, field="file")
    years = _year_columns(first[0][1])
    if years is None:
        raise RuleBroken(NOT_THE_TEMPLATE, field="file")
    contract_rows: list[tuple[int, list[str]]] = []
    kpi_rows: list[tuple[str, int, list[str]]] = []
    in_kpis = False
    for number, cells in first[1:]:
        if _is_heading(cells, KPI_HEADINGS[:2]):
            in_kpis = True
        elif in_kpis:
            kpi_rows.append(("", number, cells))
        else:
            contract_rows.append((number, cells))
    for name, rows in sheets[1:]:
        listed = [(number, cells) for number, cells in rows if any(cells)]
        if listed and _is_heading(listed[0][1], KPI_HEADINGS[:2]):
            kpi_rows += [(name, number, cells) for number, cells in listed[1:]]
    contracts = [
        contract
        for number, cells in contract_rows
        if (contract := _contract(number, cells, years, names, problems)) is not None
    ]
    by_reference = {folded(c.former_reference): c for c in contracts}
    listed_references = {folded(spreadsheet.cell(cells, 0)) for _, cells in contract_rows}
    for sheet, number, cells in kpi_rows:
        kpi = _kpi(sheet, number, cells, problems)
        reference = folded(spreadsheet.cell(cells, 0))
        if reference not in listed_references:
            problems.add(number, "A", N_("no contract in the file has this reference"), sheet=sheet)
        elif kpi is not None and reference in by_reference:
            by_reference[reference].kpis.append(kpi)
    if not contract_rows:
        raise RuleBroken(NO_CONTRACTS, field="file")
    return contracts


def _contract(
    number: int, cells: list[str], years: Mapping[int, int], names: Names, problems: CellProblems
) -> LegacyContractIn | None:
    def text(index: int, column: str, limit: int, *, required: bool = True) -> str:
        value = spreadsheet.cell(cells, index)
        if required and not value:
            problems.add(number, column, N_("fill this in"))
        elif len(value) > limit:
            problems.add(number, column, N_("write %(limit)s characters or fewer"), limit=limit)
        return value

    def named(index: int, column: str, found: Mapping[str, int], problem: str) -> int | None:
        value = names_key(spreadsheet.cell(cells, index))
        got = found.get(value) if value else None
        if got is None:
            problems.add(number, column, problem)
        return got

    before = len(problems.found)
    reference = text(0, REFERENCE, 60)
    title = text(1, TITLE, 200)
    title_cy = text(2, TITLE_CY, 200, required=False)
    pcpg = named(3, PCPG, names.pcpgs, N_("enter the name of a PCPG"))
    service = named(4, SERVICE, names.services, N_("enter the name of a service on the national menu"))
    vehicle = named(
        5, VEHICLE, names.vehicles, N_("enter the Companies House number or the name of a delivery vehicle")
    )
    stream = read_funding_stream(spreadsheet.cell(cells, 6))
    if stream is None:
        problems.add(number, STREAM, N_("enter a funding stream by its name"))
    start_on = read_date(spreadsheet.cell(cells, 7))
    if start_on is None:
        problems.add(number, START, N_("enter a date like 2025-04-01"))
    end_on = read_date(spreadsheet.cell(cells, 8))
    if end_on is None:
        problems.add(number, END, N_("enter a date like 2028-03-31"))
    elif start_on is not None and end_on < start_on:
        problems.add(number, END, N_("the end date must be on or after the start date"))
    timing = read_timing(spreadsheet.cell(cells, 9))
    if timing is None:
        problems.add(number, PAYMENT, N_("enter Quarterly in arrears or Quarterly in advance"))
    cluster_ids: list[int] = []
    cluster_names = [name for name in spreadsheet.cell(cells, 10).split(";") if name.strip()]
    if not cluster_names:
        problems.add(number, CLUSTERS, N_("enter the clusters it covers by name, separated by semicolons"))
    for name in cluster_names:
        cluster = names.clusters.get(folded(name))
        if cluster is None:
            problems.add(number, CLUSTERS, N_("%(name)s is not the name of a cluster"), name=name.strip())
        elif cluster not in cluster_ids:
            cluster_ids.append(cluster)
    values: list[LegacyYearIn] = []
    term = rules.term_years(start_on, end_on) if start_on and end_on and end_on >= start_on else None
    for year, index in sorted(years.items()):
        column = spreadsheet.column_letter(index)
        amount_text = spreadsheet.cell(cells, index)
        if term is not None and year not in term:
            if amount_text:
                problems.add(number, column, N_("leave this empty: %(year)s is outside the term"), year=_fy(year))
            continue
        try:
            amount = parse_pounds(amount_text, field="value") if amount_text else None
        except DomainError:
            amount = None
        if amount is None or amount <= 0 or amount > LARGEST_VALUE_PENCE:
            problems.add(number, column, N_("enter the year's value in pounds, more than £0, like 12000.00"))
            continue
        values.append(LegacyYearIn(financial_year=year, value_pence=amount, column=column))
    if term is not None:
        for year in term:
            if year not in years:
                problems.add(number, END, N_("the term runs into %(year)s: add a column for that year"), year=_fy(year))
    if len(problems.found) > before:
        return None
    assert pcpg and service and vehicle and stream and start_on and end_on and timing
    return LegacyContractIn(
        row=number,
        former_reference=reference,
        title=title,
        title_cy=title_cy,
        pcpg_id=pcpg,
        menu_service_version_id=service,
        delivery_vehicle_id=vehicle,
        funding_stream=stream,
        start_on=start_on,
        end_on=end_on,
        payment_timing=timing.value,
        cluster_ids=cluster_ids,
        years=values,
    )


def names_key(text: str) -> str:
    """A name as looked up: spaces collapsed, any case; a Companies House number as its eight characters."""
    return folded(text)


def _kpi(sheet: str, number: int, cells: list[str], problems: CellProblems) -> LegacyKpiIn | None:
    before = len(problems.found)
    name = spreadsheet.cell(cells, 1)
    if not name or len(name) > 300:
        problems.add(number, "B", N_("enter the KPI, 300 characters or fewer"), sheet=sheet)
    name_cy = spreadsheet.cell(cells, 2)
    if len(name_cy) > 300:
        problems.add(number, "C", N_("write %(limit)s characters or fewer"), limit=300, sheet=sheet)
    unit = spreadsheet.cell(cells, 3)
    if not unit or len(unit) > 60:
        problems.add(number, "D", N_("enter the unit, like patients or %, 60 characters or fewer"), sheet=sheet)
    direction = read_direction(spreadsheet.cell(cells, 4))
    if direction is None:
        problems.add(number, "E", N_("enter Higher is better or Lower is better"), sheet=sheet)
    target = spreadsheet.cell(cells, 5)
    if len(target) > 100:
        problems.add(number, "F", N_("write %(limit)s characters or fewer"), limit=100, sheet=sheet)
    green, red = spreadsheet.cell(cells, 6), spreadsheet.cell(cells, 7)
    if direction is not None:
        try:
            green, red = rules.kpi_thresholds(direction, green, red)
        except RuleBroken as exc:
            column = "G" if exc.field == "green_from" else "H"
            problems.add(number, column, exc.message, sheet=sheet)
    if len(problems.found) > before:
        return None
    assert direction is not None
    return LegacyKpiIn(
        row=number,
        sheet=sheet,
        name=name,
        name_cy=name_cy,
        unit=unit,
        direction=direction,
        target=target,
        green_from=green,
        red_from=red,
    )


def _fy(year: int) -> str:
    return FinancialYear(year).label
