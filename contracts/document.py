"""The contract document laid out once, in numbered sections of facts, tables and text in the reader's language, for
its two forms: the PDF (contracts/pdf.py) and its accessible twin, the web page (templates/contracts/document.html).
Both render these sections as they are, so they cannot say different things."""

from __future__ import annotations

from datetime import date

from contracts.rules import NO_SPECIFICATION, ContractStatus
from contracts.schemas.document import ContractDocument
from core.document import Block, Facts, Grid, Layout, Section, Subheading, Text
from core.i18n import current_language, day_in_words, gettext
from core.money import format_pounds


def _day(value: date | None) -> str:
    return day_in_words(value, current_language.get()) if value is not None else "–"


def _pounds(pence: int) -> str:
    return format_pounds(pence, current_language.get())


def _quarter(number: int) -> str:
    return gettext("Q%(number)s", number=number)


def _number(value: int) -> str:
    return f"{value:,}"


def _provider(doc: ContractDocument) -> str:
    described = doc.delivery_vehicle
    if doc.legal_form_label:
        described += f" ({doc.legal_form_label})"
    if doc.companies_house_number:
        described += " – " + gettext("Companies House number %(number)s", number=doc.companies_house_number)
    return described


def particulars(doc: ContractDocument) -> Section:
    rows = [
        (gettext("Contract reference"), doc.reference),
        (gettext("Status"), doc.status_label),
        (gettext("Version"), gettext("Version %(version)s", version=doc.version)),
        (gettext("Contracting authority"), doc.health_board),
        (gettext("Provider"), _provider(doc)),
        (gettext("Managed by"), gettext("%(name)s Pan Cluster Planning Group", name=doc.pcpg)),
        (gettext("Term"), gettext("%(start)s to %(end)s", start=_day(doc.start_on), end=_day(doc.end_on))),
        (gettext("Service live from"), _day(doc.live_from_on) if doc.live_from_on else gettext("Not live yet")),
    ]
    if doc.terminated_on is not None:
        rows.append((gettext("Last day of service"), _day(doc.terminated_on)))
    if doc.status_reason and doc.status in (ContractStatus.SUSPENDED, ContractStatus.TERMINATED):
        rows.append((gettext("Reason given"), doc.status_reason))
    rows.append((gettext("Total value"), _pounds(doc.total_value_pence)))
    return Section(
        1,
        gettext("Particulars"),
        [
            Facts(rows),
            Subheading(gettext("Value by financial year")),
            Grid(
                gettext("Value by financial year"),
                [gettext("Financial year"), gettext("Value")],
                [[y.label, _pounds(y.value_pence)] for y in doc.years],
                [87, 87],
                frozenset({1}),
                [gettext("Total"), _pounds(doc.total_value_pence)],
            ),
        ],
    )


def schedule_of_services(doc: ContractDocument) -> Section:
    menu = (
        gettext("%(name)s (version %(version)s)", name=doc.menu_service, version=doc.menu_service_version)
        if doc.menu_service
        else "–"
    )
    blocks: list[Block] = [
        Facts(
            [
                (
                    gettext("Service specification"),
                    f"{doc.specification_reference}: {doc.specification_title}"
                    if doc.specification_reference
                    else gettext(NO_SPECIFICATION),
                ),
                (gettext("Service from the national menu"), menu),
                (gettext("Procurement route"), doc.procurement_route_label),
                (gettext("Unit of activity"), doc.unit_of_activity or "–"),
                (gettext("Clusters covered"), ", ".join(doc.clusters) or "–"),
            ]
        ),
        Subheading(gettext("The service")),
        Text(doc.specification_description or "–"),
        Subheading(gettext("Indicative activity plan")),
    ]
    if doc.activity:
        blocks.append(
            Grid(
                gettext("Indicative activity plan"),
                [gettext("Financial year"), gettext("Quarter"), gettext("Units (%(unit)s)", unit=doc.unit_of_activity)],
                [[a.year_label, _quarter(a.quarter), _number(a.units)] for a in doc.activity],
                [58, 58, 58],
                frozenset({2}),
            )
        )
    else:
        blocks.append(Text(gettext("No activity plan has been set yet.")))
    return Section(2, gettext("Schedule of services"), blocks)


def payment(doc: ContractDocument) -> Section:
    blocks: list[Block] = [
        Text(
            gettext(
                "The health board pays the provider each year's value in four quarterly payments: %(timing)s.",
                timing=doc.payment_timing_label.lower(),
            )
        )
    ]
    if doc.payments:
        blocks += [
            Grid(
                gettext("Payment schedule"),
                [gettext("Financial year"), gettext("Quarter"), gettext("Due on"), gettext("Amount")],
                [[p.year_label, _quarter(p.quarter), _day(p.due_on), _pounds(p.amount_pence)] for p in doc.payments],
                [40, 30, 54, 50],
                frozenset({3}),
            ),
            Subheading(gettext("Payments by financial year")),
            Grid(
                gettext("Payments by financial year"),
                [gettext("Financial year"), gettext("Total")],
                [[t.label, _pounds(t.value_pence)] for t in doc.payment_totals],
                [87, 87],
                frozenset({1}),
                [gettext("Total"), _pounds(sum(t.value_pence for t in doc.payment_totals))],
            ),
        ]
    else:
        blocks.append(Text(gettext("No payments are scheduled.")))
    return Section(3, gettext("Payment"), blocks)


def quality(doc: ContractDocument) -> Section:
    blocks: list[Block] = []
    if doc.kpis:
        blocks += [
            Text(
                gettext(
                    "A value at or better than the green threshold is green, a value worse than the red threshold is "
                    "red, and a value between the two is amber."
                )
            ),
            Grid(
                gettext("Quality requirements"),
                [
                    gettext("KPI"),
                    gettext("Unit"),
                    gettext("Better when"),
                    gettext("Baseline"),
                    gettext("Target"),
                    gettext("Green from"),
                    gettext("Red beyond"),
                ],
                [[k.name, k.unit, k.direction_label, k.baseline, k.target, k.green_from, k.red_from] for k in doc.kpis],
                [50, 20, 20, 21, 21, 21, 21],
            ),
        ]
    else:
        blocks.append(Text(gettext("This contract has no KPIs.")))
    return Section(4, gettext("Quality requirements"), blocks)


def reporting(doc: ContractDocument) -> Section:
    blocks: list[Block] = [
        Text(
            gettext(
                "The provider sends a delivery return for each quarter of the term, with its activity and a value for "
                "each KPI, due %(days)s days after the quarter ends.",
                days=doc.reporting_due_days,
            )
        )
    ]
    if doc.returns:
        blocks.append(
            Grid(
                gettext("Delivery returns"),
                [gettext("Financial year"), gettext("Quarter"), gettext("Period"), gettext("Due on")],
                [
                    [
                        r.year_label,
                        _quarter(r.quarter),
                        gettext("%(start)s to %(end)s", start=_day(r.period_from), end=_day(r.period_to)),
                        _day(r.due_on),
                    ]
                    for r in doc.returns
                ],
                [34, 22, 70, 48],
            )
        )
    else:
        blocks.append(Text(gettext("No delivery return is due under this contract.")))
    return Section(5, gettext("Reporting requirements"), blocks)


def allocations(doc: ContractDocument) -> Section:
    blocks: list[Block] = []
    if doc.allocations:
        blocks += [
            Text(
                gettext(
                    "Each year's value is split across the clusters covered. The population a share was worked out "
                    "from is kept with it, with its source and date, so a later population update does not change it."
                )
            ),
            Grid(
                gettext("Allocations by cluster"),
                [
                    gettext("Financial year"),
                    gettext("Cluster"),
                    gettext("Amount"),
                    gettext("Split by"),
                    gettext("Population"),
                    gettext("Source"),
                    gettext("Date of the figure"),
                ],
                [
                    [
                        a.year_label,
                        a.cluster,
                        _pounds(a.amount_pence),
                        a.method_label,
                        _number(a.population) if a.population is not None else gettext("Population not known"),
                        a.population_source or "–",
                        (a.population_as_of or gettext("Not given by the source")) if a.population is not None else "–",
                    ]
                    for a in doc.allocations
                ],
                [20, 26, 24, 22, 24, 36, 22],
                frozenset({2, 4}),
            ),
            Subheading(gettext("Allocated by financial year")),
            Grid(
                gettext("Allocated by financial year"),
                [gettext("Financial year"), gettext("Total")],
                [[t.label, _pounds(t.value_pence)] for t in doc.allocation_totals],
                [87, 87],
                frozenset({1}),
            ),
        ]
    else:
        blocks.append(Text(gettext("The split by cluster has not been entered yet.")))
    return Section(6, gettext("Allocations by cluster"), blocks)


def variations(doc: ContractDocument) -> Section:
    blocks: list[Block] = []
    if doc.variations:
        blocks.append(
            Grid(
                gettext("Approved variations"),
                [
                    gettext("Number"),
                    gettext("Kind"),
                    gettext("Effective from"),
                    gettext("Reason"),
                    gettext("Approved on"),
                    gettext("Version made"),
                ],
                [
                    [
                        str(v.number),
                        v.kind_label,
                        _day(v.effective_on),
                        v.reason,
                        _day(v.approved_on),
                        str(v.version_made) if v.version_made is not None else "–",
                    ]
                    for v in doc.variations
                ],
                [16, 28, 30, 52, 28, 20],
            )
        )
    else:
        blocks.append(Text(gettext("No variation has been approved.")))
    blocks += [
        Subheading(gettext("Versions")),
        Grid(
            gettext("Versions"),
            [gettext("Version"), gettext("From"), gettext("Made by")],
            [[str(v.version), _day(v.made_on), v.made_by] for v in doc.versions],
            [30, 60, 84],
        ),
    ]
    return Section(7, gettext("Variations"), blocks)


def layout(doc: ContractDocument) -> Layout:
    return Layout(
        kicker=gettext("Contract %(reference)s", reference=doc.reference),
        title=doc.title,
        preamble=[
            gettext(
                "A contract for cluster services between %(authority)s, the contracting authority, and %(provider)s, "
                "the provider, in the structure of the NHS Standard Contract.",
                authority=doc.health_board,
                provider=doc.delivery_vehicle,
            ),
            gettext("Version %(version)s, as it stood on %(date)s.", version=doc.version, date=_day(doc.produced_on)),
        ],
        sections=[
            particulars(doc),
            schedule_of_services(doc),
            payment(doc),
            quality(doc),
            reporting(doc),
            allocations(doc),
            variations(doc),
        ],
        closing=gettext("This document has a web page with the same content."),
    )
