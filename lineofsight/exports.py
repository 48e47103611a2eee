"""The line of sight as a table: one row for each path from a need to a contract (or as far as it goes), so that a
reader in a spreadsheet sees the same tree as the page, flattened, with what is listed apart after it. The CSV and
the document's table are made from these rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from audit.rules import csv_cell
from core.i18n import N_, gettext
from finance.exports import pounds_number
from lineofsight.schemas import ContractLeaf, LineOfSightOut, PriorityBranch, SpecificationBranch
from returns.rules import RAG

HEADINGS = (
    N_("Need"),
    N_("Plan priority"),
    N_("Specification"),
    N_("Contract"),
    N_("Delivery vehicle"),
    N_("KPIs in the latest quarter"),
    N_("Committed (£)"),
    N_("Actual (£)"),
    N_("Committed per head (£)"),
    N_("Actual per head (£)"),
)
MONEY = frozenset({6, 7, 8, 9})
VEHICLE = 4
NO_NEED = N_("No need recorded")
NO_PRIORITY = N_("No plan priority")
NO_SPECIFICATION = N_("Made before this service")
NONE_YET = N_("None yet")


@dataclass(frozen=True)
class SightRow:
    need: str
    priority: str
    specification: str
    contract: ContractLeaf | None


def kpis_in_words(leaf: ContractLeaf) -> str:
    """ "2 Green, 1 Red": each RAG the contract's KPIs have, in the reader's language; "No KPIs" without any."""
    if not leaf.kpis:
        return gettext(N_("No KPIs"))
    counts = [(rag, sum(1 for kpi in leaf.kpis if kpi.rag is rag)) for rag in RAG]
    return ", ".join(f"{count} {gettext(rag.label)}" for rag, count in counts if count)


def _specification_rows(need: str, priority: str, branch: SpecificationBranch) -> Iterator[SightRow]:
    named = f"{branch.reference}: {branch.title} ({branch.status_label})"
    if not branch.contracts:
        yield SightRow(need, priority, named, None)
    for leaf in branch.contracts:
        yield SightRow(need, priority, named, leaf)


def _priority_rows(need: str, branch: PriorityBranch) -> Iterator[SightRow]:
    if not branch.specifications:
        yield SightRow(need, branch.title, gettext(NONE_YET), None)
    for specification in branch.specifications:
        yield from _specification_rows(need, branch.title, specification)


def sight_rows(out: LineOfSightOut) -> list[SightRow]:
    rows: list[SightRow] = []
    for need in out.needs:
        if not need.priorities:
            rows.append(SightRow(need.title, gettext(NONE_YET), "", None))
        for priority in need.priorities:
            rows += _priority_rows(need.title, priority)
    for priority in out.priorities_without_need:
        rows += _priority_rows(gettext(NO_NEED), priority)
    for specification in out.specifications_without_priority:
        rows += _specification_rows(gettext(NO_NEED), gettext(NO_PRIORITY), specification)
    for leaf in out.contracts_without_specification:
        rows.append(SightRow(gettext(NO_NEED), gettext(NO_PRIORITY), gettext(NO_SPECIFICATION), leaf))
    return rows


def cells(row: SightRow) -> list[object]:
    leaf = row.contract
    if leaf is None:
        return [
            row.need,
            row.priority,
            row.specification,
            gettext(NONE_YET) if row.specification else "",
            "",
            "",
            None,
            None,
            None,
            None,
        ]
    money = leaf.money
    return [
        row.need,
        row.priority,
        row.specification,
        f"{leaf.reference}: {leaf.title} ({leaf.status_label})",
        leaf.delivery_vehicle,
        kpis_in_words(leaf),
        pounds_number(money.committed_pence),
        pounds_number(money.actual_pence),
        None if money.committed_per_head_pence is None else pounds_number(money.committed_per_head_pence),
        None if money.actual_per_head_pence is None else pounds_number(money.actual_per_head_pence),
    ]


def file_name(out: LineOfSightOut, extension: str) -> str:
    return f"line-of-sight-{out.place.level.replace('_', '-')}-{out.place.place_id}-{out.financial_year}.{extension}"


def sight_csv(out: LineOfSightOut) -> str:
    """Pounds as plain numbers; text never starts a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([gettext(heading) for heading in HEADINGS])
    for row in sight_rows(out):
        writer.writerow(
            [
                csv_cell(cell) if isinstance(cell, str) else f"{cell:.2f}" if isinstance(cell, Decimal) else cell
                for cell in cells(row)
            ]
        )
    return "\ufeff" + buffer.getvalue()
