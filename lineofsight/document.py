"""The line of sight as a document (issue 15, item 2): the PDF and its web page twin, laid out once by the document
kit (core/document.py) so they say the same: the place and its money, the gaps, the path from each need to the
contracts answering it, and each contract's outcomes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from core.document import Block, Facts, Grid, Layout, Section, Text, document_pdf
from core.i18n import N_, current_language, gettext, time_in_words
from core.money import format_pounds
from lineofsight.exports import HEADINGS, MONEY, VEHICLE, cells, sight_rows
from lineofsight.schemas import ContractLeaf, GapOut, LineOfSightOut


def _pounds(pence: int | None) -> str:
    return gettext(N_("Not known")) if pence is None else format_pounds(pence, current_language.get())


def _shown(cell: object) -> str:
    """A cell of the path's table as the document prints it: pounds with their sign and separators."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format_pounds(int(cell * 100), current_language.get())
    return str(cell)


def _path_row(row: list[object]) -> list[str]:
    """A path as the document's table prints it: the delivery vehicle with the contract (an A4 page has room for
    nine columns, not ten)."""
    need, priority, specification, contract, vehicle, *rest = (_shown(c) for c in row)
    return [need, priority, specification, f"{contract}, {vehicle}" if vehicle else contract, *rest]


def _money_facts(out: LineOfSightOut) -> list[tuple[str, str]]:
    totals = out.totals
    facts = [
        (gettext(N_("Place")), f"{out.place.name} ({out.place.level_label})"),
        (gettext(N_("Financial year")), out.year_label),
        (gettext(N_("Committed")), _pounds(totals.committed_pence)),
        (gettext(N_("Actual")), _pounds(totals.actual_pence)),
        (gettext(N_("Committed per head")), _pounds(totals.committed_per_head_pence)),
        (gettext(N_("Actual per head")), _pounds(totals.actual_per_head_pence)),
    ]
    if totals.population:
        facts.append(
            (
                gettext(N_("Population counted for per head")),
                gettext(N_("%(people)s (%(dates)s)"), people=f"{totals.population:,}", dates=totals.population_dates)
                if totals.population_dates
                else f"{totals.population:,}",
            )
        )
    if totals.clusters_without_population:
        facts.append(
            (gettext(N_("Clusters without a known population")), ", ".join(totals.clusters_without_population))
        )
    return facts


def _gap_text(heading: str, gaps: list[GapOut]) -> Text:
    if not gaps:
        return Text(gettext(N_("%(what)s: none."), what=heading))
    return Text(gettext(N_("%(what)s: %(names)s."), what=heading, names="; ".join(gap.name for gap in gaps)))


def gap_headings() -> list[tuple[str, str]]:
    """Each kind of gap with its heading (the page and the document name them alike)."""
    return [
        ("needs_without_priority", gettext(N_("Needs no plan priority answers"))),
        ("priorities_without_specification", gettext(N_("Plan priorities with no specification"))),
        ("specifications_without_contract", gettext(N_("Specifications with no contract this year"))),
        ("contracts_with_red_kpis", gettext(N_("Contracts with a KPI rated red"))),
    ]


def _contracts(out: LineOfSightOut) -> list[ContractLeaf]:
    """Each contract once, in the order the tree shows them."""
    seen: dict[int, ContractLeaf] = {}
    for row in sight_rows(out):
        if row.contract is not None:
            seen.setdefault(row.contract.contract_id, row.contract)
    return list(seen.values())


def _outcomes(out: LineOfSightOut) -> Grid:
    rows = [
        [
            f"{leaf.reference}: {leaf.title}",
            kpi.name,
            kpi.period or gettext(N_("No accepted return yet")),
            "" if kpi.value is None else str(kpi.value),
            kpi.rag_label,
            kpi.trend_label,
        ]
        for leaf in _contracts(out)
        for kpi in leaf.kpis
    ]
    return Grid(
        caption=gettext(N_("Each contract's KPIs: the latest accepted quarter and the trend")),
        header=[
            gettext(N_("Contract")),
            gettext(N_("KPI")),
            gettext(N_("Quarter")),
            gettext(N_("Value")),
            gettext(N_("RAG")),
            gettext(N_("Trend")),
        ],
        rows=rows,
        widths=[40, 40, 20, 16, 16, 42],
        compact=True,
    )


def layout(out: LineOfSightOut, *, produced_at: datetime, produced_by: str) -> Layout:
    gaps: list[Block] = [_gap_text(heading, getattr(out.gaps, name)) for name, heading in gap_headings()]
    path_rows = [_path_row(cells(row)) for row in sight_rows(out)]
    return Layout(
        kicker=gettext(N_("Line of sight")),
        title=gettext(N_("%(place)s, %(year)s"), place=out.place.name, year=out.year_label),
        preamble=[
            gettext(
                N_(
                    "From each need recorded here to the plan priorities answering it, the specifications written "
                    "for them, the contracts made, their outcomes and what they cost, and where the line stops. The "
                    "web page of this document has the same content."
                )
            )
        ],
        sections=[
            Section(1, gettext(N_("The place and its money")), [Facts(_money_facts(out))]),
            Section(2, gettext(N_("Gaps")), gaps),
            Section(
                3,
                gettext(N_("From need to contract")),
                [
                    Grid(
                        caption=gettext(N_("Each need, plan priority, specification and contract")),
                        header=[gettext(heading) for index, heading in enumerate(HEADINGS) if index != VEHICLE],
                        rows=path_rows,
                        widths=[18, 19, 24, 27, 15, 19, 19, 17, 16],
                        numeric=frozenset(index - 1 for index in MONEY),
                        compact=True,
                    )
                ],
                new_page=True,
            ),
            Section(4, gettext(N_("Outcomes")), [_outcomes(out)]),
        ],
        closing=gettext(
            N_("Produced on %(moment)s by %(name)s."),
            moment=time_in_words(produced_at, current_language.get()),
            name=produced_by,
        ),
    )


def sight_pdf(out: LineOfSightOut, *, produced_at: datetime, produced_by: str, address: str = "") -> bytes:
    laid = layout(out, produced_at=produced_at, produced_by=produced_by)
    return document_pdf(
        laid,
        title=f"{laid.kicker} – {laid.title}",
        footer=f"{laid.kicker} – {time_in_words(produced_at, current_language.get())}",
        language=current_language.get(),
        address=address,
    )
