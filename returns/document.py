"""The delivery return's document laid out once, in numbered sections of facts, tables and text in the reader's
language, for its two forms: the PDF (returns/pdf.py) and its accessible twin, the web page
(templates/returns/document.html). The blocks are the contract document's (contracts/document.py), so both documents
read alike and each form renders the sections as they are: they cannot say different things."""

from __future__ import annotations

from datetime import date, datetime

from core.document import Block, Facts, Grid, Layout, Section, Subheading, Text
from core.i18n import N_, current_language, day_in_words, gettext, time_in_words
from core.money import format_pounds
from menu.rules import unit_label
from returns import rules
from returns.rules import QUARTER_LABEL, ReturnStatus
from returns.schemas.document import ReturnDocument
from returns.schemas.returns import ReturnOut

NOT_REPORTED = N_("Not reported")
NOT_YET_SET = N_("Not yet set")
VERSION_KINDS = {"submitted": N_("Submitted"), "corrected": N_("Corrected")}
# What a commissioner's query is about, by the part of the return its field names (returns.rules.return_fields:
# "spend_pence", "narrative", "risks", or a part with the cluster, KPI or staff group: "activity:3", "kpi:12").
QUERY_FIELDS = {
    rules.ACTIVITY_PREFIX: N_("Activity by cluster"),
    rules.SPEND_FIELD: N_("Spend"),
    rules.KPI_PREFIX: N_("Outcomes"),
    rules.WORKFORCE_PREFIX: N_("Workforce in post"),
    rules.NARRATIVE_FIELD: N_("Narrative"),
    rules.RISKS_FIELD: N_("Risks and issues"),
}


def _day(value: date | datetime | None) -> str:
    return day_in_words(value, current_language.get()) if value is not None else "–"


def _moment(value: datetime) -> str:
    return time_in_words(value, current_language.get())


def _pounds(pence: int) -> str:
    return format_pounds(pence, current_language.get())


def _number(value: int) -> str:
    return f"{value:,}"


def quarter_label(the_return: ReturnOut) -> str:
    return gettext(QUARTER_LABEL, year=the_return.summary.year_label, quarter=the_return.summary.quarter)


def _by(when: datetime | None, name: str) -> str:
    if when is None:
        return "–"
    return gettext("%(when)s by %(name)s", when=_moment(when), name=name) if name else _moment(when)


def the_return(doc: ReturnDocument) -> Section:
    r = doc.the_return
    s = r.summary
    rows = [
        (gettext("Contract"), f"{s.contract_reference}: {s.contract_title}"),
        (gettext("Provider"), doc.delivery_vehicle),
        (gettext("Contracting authority"), doc.health_board),
        (gettext("Managed by"), gettext("%(name)s Pan Cluster Planning Group", name=doc.pcpg)),
        (gettext("Quarter"), quarter_label(r)),
        (gettext("Period"), gettext("%(start)s to %(end)s", start=_day(s.period_from), end=_day(s.period_to))),
        (gettext("Due on"), _day(s.due_on)),
        (gettext("Status"), s.status_label),
        (
            gettext("Version"),
            gettext("Version %(version)s", version=s.version) if s.version else gettext("Not submitted yet"),
        ),
        (
            gettext("Submitted"),
            _by(s.submitted_at, doc.submitted_by) if s.submitted_at else gettext("Not submitted yet"),
        ),
    ]
    if s.status in rules.WITH_THE_VEHICLE and doc.saved_at is not None:
        rows.append((gettext("Last saved"), _by(doc.saved_at, doc.saved_by)))
    if doc.decided_at is not None and s.status in (ReturnStatus.ACCEPTED, ReturnStatus.QUERIED):
        key = gettext("Accepted") if s.status is ReturnStatus.ACCEPTED else gettext("Queried")
        rows.append((key, _by(doc.decided_at, doc.decided_by)))
    return Section(1, gettext("The return"), [Facts(rows)])


def activity(doc: ReturnDocument) -> Section:
    r = doc.the_return
    reported = [c.units for c in r.activity if c.units is not None]
    if not reported:
        return Section(2, gettext("Activity by cluster"), [Text(gettext("No activity has been reported yet."))])
    units = gettext("Units (%(unit)s)", unit=r.unit_of_activity) if r.unit_of_activity else gettext("Units")
    return Section(
        2,
        gettext("Activity by cluster"),
        [
            Grid(
                gettext("Activity by cluster"),
                [gettext("Cluster"), units],
                [[c.name, _number(c.units) if c.units is not None else gettext(NOT_REPORTED)] for c in r.activity],
                [110, 64],
                frozenset({1}),
                [gettext("Total"), _number(sum(reported))],
            )
        ],
    )


def spend(doc: ReturnDocument) -> Section:
    r = doc.the_return
    blocks: list[Block] = [
        Text(
            gettext(
                "The spend the provider reports is what it incurred in the quarter, kept beside the quarter's share of "
                "the contract's annual value for value for money. It is not a payment: the health board's finance "
                "director decides payments."
            )
        )
    ]
    share = (gettext("The quarter's share of the annual value"), _pounds(r.quarter_share_pence))
    if r.spend_pence is None:
        return Section(3, gettext("Spend"), [*blocks, Facts([share]), Text(gettext("No spend has been reported yet."))])
    rows = [(gettext("Spend reported by the provider"), _pounds(r.spend_pence)), share]
    difference = rules.spend_difference(r.spend_pence, r.quarter_share_pence)
    if difference is not None:
        pence, percent = difference
        if pence == 0:
            shown = gettext("The same as the share")
        else:
            amount = _pounds(abs(pence))
            if percent is None:
                shown = amount
            elif pence > 0:
                shown = gettext("%(amount)s more than the share (%(percent)s per cent)", amount=amount, percent=percent)
            else:
                shown = gettext(
                    "%(amount)s less than the share (%(percent)s per cent)", amount=amount, percent=-percent
                )
        rows.append((gettext("Difference from the share"), shown))
    units = sum(c.units for c in r.activity if c.units is not None)
    per_unit = rules.cost_per_unit(r.spend_pence, units)
    if per_unit is not None:
        rows.append((gettext("Reported spend per unit of activity"), _pounds(per_unit)))
    return Section(3, gettext("Spend"), [*blocks, Facts(rows)])


def _kpi_unit(unit: str) -> str:
    label = unit_label(unit)
    return gettext(label) if label else unit


def outcomes(doc: ReturnDocument) -> Section:
    r = doc.the_return
    if not r.kpis:
        return Section(4, gettext("Outcomes"), [Text(gettext("This contract has no KPIs."))])
    blocks: list[Block] = []
    if all(k.value is None for k in r.kpis):
        blocks.append(Text(gettext("No KPI value has been reported yet.")))
    blocks += [
        Text(
            gettext(
                "A value at or better than the green threshold is green, a value worse than the red threshold is "
                "red, and a value between the two is amber."
            )
        ),
        Grid(
            gettext("Outcomes"),
            [
                gettext("KPI"),
                gettext("Unit"),
                gettext("Better when"),
                gettext("Value"),
                gettext("Target"),
                gettext("RAG status"),
            ],
            [
                [
                    k.name,
                    _kpi_unit(k.unit),
                    k.direction_label,
                    k.value if k.value is not None else gettext(NOT_REPORTED),
                    k.target or gettext(NOT_YET_SET),
                    k.rag_label,
                ]
                for k in r.kpis
            ],
            [50, 22, 28, 24, 24, 26],
            frozenset({3, 4}),
        ),
    ]
    return Section(4, gettext("Outcomes"), blocks)


def workforce(doc: ReturnDocument) -> Section:
    reported = [w for w in doc.the_return.workforce if w.wte is not None]
    if not reported:
        return Section(5, gettext("Workforce in post"), [Text(gettext("No workforce has been reported yet."))])
    total = rules.total_wte([w.wte for w in reported])
    return Section(
        5,
        gettext("Workforce in post"),
        [
            Text(gettext("Staff in post at the quarter's end, in whole-time equivalents (WTE), by staff group.")),
            Grid(
                gettext("Workforce in post"),
                [gettext("Staff group"), gettext("WTE")],
                [[w.label, w.wte or ""] for w in reported],
                [110, 64],
                frozenset({1}),
                [gettext("Total"), str(total)] if total is not None else None,
            ),
        ],
    )


def narrative(doc: ReturnDocument) -> Section:
    r = doc.the_return
    return Section(
        6,
        gettext("Narrative, and risks and issues"),
        [
            Subheading(gettext("Narrative")),
            Text(r.narrative or gettext("No narrative has been given yet.")),
            Subheading(gettext("Risks and issues")),
            Text(r.risks or gettext("No risks or issues have been reported yet.")),
        ],
    )


def query_field_label(field: str, the_return: ReturnOut) -> str:
    """What a query is about in words: the part of the return, with the KPI, cluster or staff group it names."""
    part, separator, key = field.strip().partition(":")
    label = QUERY_FIELDS.get(part + separator)
    if label is None:
        return field
    named = {
        rules.KPI_PREFIX: {str(k.contract_kpi_id): k.name for k in the_return.kpis},
        rules.ACTIVITY_PREFIX: {str(c.cluster_id): c.name for c in the_return.activity},
        rules.WORKFORCE_PREFIX: {w.staff_group: w.label for w in the_return.workforce},
    }.get(part + separator, {})
    return f"{gettext(label)}: {named[key]}" if key in named else gettext(label)


def queries_and_versions(doc: ReturnDocument) -> Section:
    r = doc.the_return
    blocks: list[Block] = [Subheading(gettext("Queries"))]
    if r.queries:
        blocks.append(
            Grid(
                gettext("Queries"),
                [
                    gettext("Version"),
                    gettext("Part of the return"),
                    gettext("Comment"),
                    gettext("Raised by"),
                    gettext("Raised on"),
                ],
                [
                    [str(q.version), query_field_label(q.field, r), q.comment, q.raised_by, _day(q.raised_at)]
                    for q in r.queries
                ],
                [18, 36, 60, 30, 30],
            )
        )
    else:
        blocks.append(Text(gettext("The commissioner has raised no query on this return.")))
    blocks.append(Subheading(gettext("Versions")))
    if r.versions:
        blocks.append(
            Grid(
                gettext("Versions"),
                [gettext("Version"), gettext("Kind"), gettext("Made"), gettext("Made by"), gettext("Reason")],
                [
                    [
                        str(v.version),
                        gettext(VERSION_KINDS[v.kind]) if v.kind in VERSION_KINDS else v.kind,
                        _moment(v.made_at),
                        v.made_by,
                        v.reason or "–",
                    ]
                    for v in r.versions
                ],
                [18, 26, 44, 36, 50],
            )
        )
    else:
        blocks.append(Text(gettext("No version has been submitted yet.")))
    return Section(7, gettext("Queries and versions"), blocks)


def layout(doc: ReturnDocument) -> Layout:
    r = doc.the_return
    s = r.summary
    return Layout(
        kicker=gettext("Delivery return %(quarter)s", quarter=quarter_label(r)),
        title=s.contract_title,
        preamble=[
            gettext(
                "What %(provider)s, the provider, reported to %(authority)s for %(start)s to %(end)s under contract "
                "%(reference)s.",
                provider=doc.delivery_vehicle,
                authority=doc.health_board,
                start=_day(s.period_from),
                end=_day(s.period_to),
                reference=s.contract_reference,
            ),
            gettext("As it stood on %(date)s.", date=_day(doc.produced_on)),
        ],
        sections=[
            the_return(doc),
            activity(doc),
            spend(doc),
            outcomes(doc),
            workforce(doc),
            narrative(doc),
            queries_and_versions(doc),
        ],
        closing=gettext("This document has a web page with the same content."),
    )
