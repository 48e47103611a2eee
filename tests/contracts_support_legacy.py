"""Contracts made before this service, from a file: the files the tests upload and the world they name (a vehicle,
the Cardiff budget lines, a service on the menu), with years counted from today's financial year."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from core.periods import FinancialYear
from menu.tables import MenuService, MenuServiceVersion
from tests import commissioning_support as support
from tests import factories

HEADINGS = [
    "Contract reference",
    "Title",
    "Title in Welsh",
    "PCPG",
    "Service from the national menu",
    "Delivery vehicle",
    "Funding stream",
    "Start date",
    "End date",
    "Payment",
    "Clusters",
]
KPI_HEADINGS = ["Contract reference", "KPI", "KPI in Welsh", "Unit", "Direction", "Target", "Green from", "Red from"]
VEHICLE = "Llais Care CIC"
VEHICLE_NUMBER = "09876543"


def this_year() -> int:
    return FinancialYear.containing(support.now().date()).start_year


def years() -> list[int]:
    """Last year, this year and next: the columns the files carry."""
    return [this_year() - 1, this_year(), this_year() + 1]


def label(year: int) -> str:
    return FinancialYear(year).label


async def service_name() -> str:
    row = (
        await MenuServiceVersion.select(MenuServiceVersion.name)
        .where(
            MenuServiceVersion.menu_service == (await MenuService.select(MenuService.id).first() or {"id": -1})["id"]
        )
        .first()
    )
    assert row is not None, "the menu is not loaded (use the `menu` fixture)"
    return str(row["name"])


async def world(*, amount_pence: int = 100_000_00) -> dict[str, Any]:
    """An approved vehicle and Cardiff's cluster funding lines for this year and next."""
    vehicle = await factories.create_vehicle(name=VEHICLE, companies_house_number=VEHICLE_NUMBER)
    lines = [await support.budget_line(year=year, amount_pence=amount_pence) for year in years()[1:]]
    return {"vehicle": vehicle, "lines": lines, "service": await service_name()}


def quarters_left(*, in_advance: bool = False) -> int:
    """This year's quarters whose payment is still to fall due today, counted here from the calendar (not by the
    rule under test): a contract brought in today is paid and committed for those only, 3,000 pounds a quarter at
    the template row's 12,000 a year."""
    today = support.now().date()
    quarters = FinancialYear(this_year()).quarters()
    if in_advance:
        return sum(1 for first, _ in quarters if first >= today)
    return sum(1 for _, last in quarters if last >= today)


def row(
    service: str,
    *,
    reference: str = "CV-OLD-1",
    title: str = "Social prescribing in Cardiff North",
    pcpg: str = "Cardiff",
    vehicle: str = VEHICLE_NUMBER,
    stream: str = "Cluster funding",
    start: str | None = None,
    end: str | None = None,
    payment: str = "Quarterly in arrears",
    clusters: str = "Cardiff North; Cardiff South East",
    values: tuple[str, str, str] = ("12000", "12000", "12000"),
) -> list[str]:
    start = start or date(this_year() - 1, 4, 1).isoformat()
    end = end or date(this_year() + 2, 3, 31).isoformat()
    return [reference, title, "", pcpg, service, vehicle, stream, start, end, payment, clusters, *values]


def kpi(reference: str = "CV-OLD-1", name: str = "People referred", green: str = "80", red: str = "50") -> list[str]:
    return [reference, name, "", "people", "Higher is better", "100", green, red]


def csv_file(rows: list[list[str]], kpis: list[list[str]] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS + [label(year) for year in years()])
    writer.writerows(rows)
    if kpis:
        writer.writerow([])
        writer.writerow(KPI_HEADINGS)
        writer.writerows(kpis)
    return buffer.getvalue().encode("utf-8")


def xlsx_file(rows: list[list[str]], kpis: list[list[str]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Contracts"
    sheet.append(HEADINGS + [label(year) for year in years()])
    for cells in rows:
        sheet.append([float(c) if i >= len(HEADINGS) and c.isdigit() else c for i, c in enumerate(cells)])
    kpi_sheet = book.create_sheet("KPIs")
    kpi_sheet.append(KPI_HEADINGS)
    for cells in kpis or []:
        kpi_sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
