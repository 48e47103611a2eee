"""The finance pack (issue 14, item 2): the spend report (finance/spend/queries.py) by cluster, PCPG, menu service and
year, laid out once with the document kit (core/document.py) for its two forms, the PDF (ReportLab, bar charts drawn
by reportlab.graphics) and its web page twin (SVG charts with their tables), in the reader's language. Every figure is
one the spend report gives, shown with the house's money format, so the pack adds up as the ledger does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

import msgspec

from accounts.actor import Actor
from core.barchart import Chart, Series
from core.clock import LONDON
from core.document import Facts, Grid, Layout, Section, Text, document_pdf
from core.i18n import N_, current_language, gettext, time_in_words
from core.money import format_pounds
from core.periods import FinancialYear
from finance import rules
from finance.spend.queries import spend_report
from finance.spend.schemas import HELD_FOR_PCPG, Grouping, SpendFilterIn, SpendReportOut, SpendRowOut

Progress = Callable[[int], Awaitable[None]]
CHART_CLUSTERS = 20  # the clusters a chart shows at most (the most money first); the tables show every one
NAMES_SHOWN = 12  # beyond this many health boards or PCPGs, the cover counts them instead of naming each


class FinancePack(msgspec.Struct, kw_only=True):
    """What the pack says: the spend report by each of its groupings, for the filters asked, and who asked when."""

    filters: SpendFilterIn
    by_board: SpendReportOut
    by_pcpg: SpendReportOut
    by_cluster: SpendReportOut
    by_service: SpendReportOut
    by_year: SpendReportOut
    every_year: SpendReportOut  # by financial year over every year, whatever years were asked: the year on year
    produced_at: datetime
    produced_by: str  # the person's name, never their username


PACK_GROUPINGS: tuple[Grouping, ...] = ("health_board", "pcpg", "cluster", "menu_service", "financial_year")


async def finance_pack(
    *, actor: Actor, filters: SpendFilterIn, now: datetime, progress: Progress | None = None
) -> FinancePack:
    """The spend report once per grouping the pack shows, scoped to the actor as the report is; `progress` hears
    the share done (for an export job)."""
    reports: list[SpendReportOut] = []
    for done, grouping in enumerate(PACK_GROUPINGS):
        reports.append(await spend_report(actor=actor, filters=msgspec.structs.replace(filters, group_by=[grouping])))
        if progress is not None:
            await progress(int(80 * (done + 1) / len(PACK_GROUPINGS)))
    board, pcpg, cluster, service, year = reports
    every_year = await spend_report(
        actor=actor,
        filters=msgspec.structs.replace(filters, group_by=["financial_year"], from_year=None, to_year=None),
    )
    return FinancePack(
        filters=filters,
        by_board=board,
        by_pcpg=pcpg,
        by_cluster=cluster,
        by_service=service,
        by_year=year,
        every_year=every_year,
        produced_at=now,
        produced_by=actor.full_name or "–",
    )


def _pounds(pence: int) -> str:
    return format_pounds(pence, current_language.get())


def _names(report: SpendReportOut, all_of: str, none: str) -> str:
    names = [row.keys[0].label for row in report.rows if not row.held_for_pcpg]
    if not names:
        return gettext(none)
    if len(names) > NAMES_SHOWN:
        return gettext(all_of, count=len(names))
    return ", ".join(names)


def _years(pack: FinancePack) -> str:
    years = [row.keys[0].value for row in pack.by_year.rows if isinstance(row.keys[0].value, int)]
    first = pack.filters.from_year if pack.filters.from_year is not None else min(years, default=None)
    last = pack.filters.to_year if pack.filters.to_year is not None else max(years, default=None)
    if first is None or last is None:
        return gettext(N_("No budget lines yet"))
    if first == last:
        return FinancialYear(first).label
    return gettext(N_("%(first)s to %(last)s"), first=FinancialYear(first).label, last=FinancialYear(last).label)


def cover_facts(pack: FinancePack) -> list[tuple[str, str]]:
    """What the pack covers, as the cover states it."""
    stream = pack.filters.funding_stream
    return [
        (gettext(N_("Health boards")), _names(pack.by_board, N_("%(count)s health boards"), N_("None"))),
        (gettext(N_("PCPGs")), _names(pack.by_pcpg, N_("%(count)s PCPGs"), N_("None"))),
        (gettext(N_("Financial years")), _years(pack)),
        (
            gettext(N_("Funding stream")),
            gettext(rules.FUNDING_STREAMS[stream]) if stream is not None else gettext(N_("All funding streams")),
        ),
        (gettext(N_("Produced")), time_in_words(pack.produced_at, current_language.get())),
        (gettext(N_("Produced by")), pack.produced_by),
    ]


def meaning_facts() -> list[tuple[str, str]]:
    """What each figure means: the same words as the Excel file's About sheet."""
    return [
        (
            gettext(N_("Budget")),
            gettext(N_("The budget lines' amount; by cluster, menu service or vehicle, what contracts hold there")),
        ),
        (
            gettext(N_("Earmarked")),
            gettext(N_("The maximum values of published specifications, held until award or cancellation")),
        ),
        (gettext(N_("Committed")), gettext(N_("Everything contracts hold here, paid or not"))),
        (gettext(N_("Committed, not yet spent")), gettext(N_("What contracts hold here less what has been paid"))),
        (gettext(N_("Actual")), gettext(N_("Payments a finance director approved"))),
        (
            gettext(N_("Headroom")),
            gettext(N_("What is left: budget less earmarked, committed not yet spent and actual")),
        ),
        (
            gettext(N_("How a row adds up")),
            gettext(N_("Budget = earmarked + committed, not yet spent + actual + headroom, to the penny.")),
        ),
        (
            gettext(N_("Per head")),
            gettext(
                N_(
                    "Only money given to clusters with a known population is divided, by those clusters' population "
                    "as their sources give it, to the nearest penny. Clusters without a known population are named "
                    "and left out; no population is guessed."
                )
            ),
        ),
        (
            gettext(HELD_FOR_PCPG),
            gettext(
                N_(
                    "Budgets and earmarks are held by the PCPG, not by cluster or menu service. This row has the part "
                    "of the budget not given to a contract, the earmarks and the headroom, so that every table adds "
                    "up to the ledger's totals."
                )
            ),
        ),
    ]


def totals_facts(report: SpendReportOut) -> list[tuple[str, str]]:
    totals = report.totals
    return [
        (gettext(N_("Budget")), _pounds(totals.budget_pence)),
        (gettext(N_("Earmarked")), _pounds(totals.earmarked_pence)),
        (gettext(N_("Committed")), _pounds(totals.committed_pence)),
        (gettext(N_("Committed, not yet spent")), _pounds(totals.committed_unspent_pence)),
        (gettext(N_("Actual")), _pounds(totals.actual_pence)),
        (gettext(N_("Headroom")), _pounds(totals.headroom_pence)),
    ]


def _named_clusters(report: SpendReportOut) -> list[SpendRowOut]:
    return [row for row in report.rows if not row.held_for_pcpg and not row.not_split_by_cluster]


def _shown_note(shown: int, count: int) -> list[Text]:
    if shown >= count:
        return []
    return [
        Text(
            gettext(
                N_("The chart shows the %(shown)s clusters with the most, of %(count)s; the table has them all."),
                shown=shown,
                count=count,
            ),
            small=True,
        )
    ]


def _described(names: Iterable[str]) -> str:
    """A chart's description (its SVG's <desc>): what it shows, in words."""
    return gettext(N_("Committed and actual spend, in pounds, for %(names)s."), names=", ".join(names))


def cluster_charts(report: SpendReportOut) -> list[Chart | Text]:
    """Spend per cluster (committed and actual) and per head (clusters with a known population only)."""
    clusters = sorted(_named_clusters(report), key=lambda row: (-row.committed_pence, row.keys[0].label.casefold()))
    shown = clusters[:CHART_CLUSTERS]
    blocks: list[Chart | Text] = []
    if not shown:
        return [Text(gettext(N_("No money has been given to clusters yet.")))]
    blocks.append(
        Chart(
            caption=gettext(N_("Spend per cluster")),
            category_heading=gettext(N_("Cluster")),
            description=_described(row.keys[0].label for row in shown),
            categories=[row.keys[0].label for row in shown],
            series=[
                Series(
                    gettext(N_("Committed")),
                    [row.committed_pence for row in shown],
                    [_pounds(row.committed_pence) for row in shown],
                ),
                Series(
                    gettext(N_("Actual")),
                    [row.actual_pence for row in shown],
                    [_pounds(row.actual_pence) for row in shown],
                ),
            ],
        )
    )
    blocks += _shown_note(len(shown), len(clusters))
    counted = [row for row in clusters if row.committed_per_head_pence is not None]
    counted.sort(key=lambda row: (-(row.committed_per_head_pence or 0), row.keys[0].label.casefold()))
    per_head = counted[:CHART_CLUSTERS]
    if per_head:
        blocks.append(
            Chart(
                caption=gettext(N_("Spend per head of population, by cluster")),
                category_heading=gettext(N_("Cluster")),
                description=gettext(
                    N_("Committed and actual spend per person, in pounds, for %(names)s."),
                    names=", ".join(row.keys[0].label for row in per_head),
                ),
                categories=[row.keys[0].label for row in per_head],
                series=[
                    Series(
                        gettext(N_("Committed per head")),
                        [row.committed_per_head_pence or 0 for row in per_head],
                        [_pounds(row.committed_per_head_pence or 0) for row in per_head],
                    ),
                    Series(
                        gettext(N_("Actual per head")),
                        [row.actual_per_head_pence or 0 for row in per_head],
                        [_pounds(row.actual_per_head_pence or 0) for row in per_head],
                    ),
                ],
            )
        )
        blocks += _shown_note(len(per_head), len(counted))
    return blocks


def year_chart(report: SpendReportOut) -> list[Chart | Text]:
    years = [row for row in report.rows if not row.held_for_pcpg]
    if not years:
        return [Text(gettext(N_("No budget lines yet")))]
    return [
        Chart(
            caption=gettext(N_("Actual and committed per financial year")),
            category_heading=gettext(N_("Financial year")),
            description=_described(row.keys[0].label for row in years),
            categories=[row.keys[0].label for row in years],
            series=[  # in the order and colours of the cluster charts
                Series(
                    gettext(N_("Committed")),
                    [row.committed_pence for row in years],
                    [_pounds(row.committed_pence) for row in years],
                ),
                Series(
                    gettext(N_("Actual")),
                    [row.actual_pence for row in years],
                    [_pounds(row.actual_pence) for row in years],
                ),
            ],
            horizontal=False,
        )
    ]


def _per_head(row: SpendRowOut) -> str:
    if row.held_for_pcpg or row.not_split_by_cluster:
        return "–"
    if row.actual_per_head_pence is None:
        return gettext(N_("Not known"))
    return _pounds(row.actual_per_head_pence)


def spend_table(report: SpendReportOut, caption: str) -> Grid:
    """A grouping's rows with the money that adds up on each, per head, and the report's totals."""
    totals = report.totals
    return Grid(
        caption=caption,
        header=[
            report.group_by_labels[0],
            gettext(N_("Budget")),
            gettext(N_("Earmarked")),
            gettext(N_("Committed, not yet spent")),
            gettext(N_("Actual")),
            gettext(N_("Headroom")),
            gettext(N_("Actual per head")),
        ],
        rows=[
            [
                row.keys[0].label,
                _pounds(row.budget_pence),
                _pounds(row.earmarked_pence),
                _pounds(row.committed_unspent_pence),
                _pounds(row.actual_pence),
                _pounds(row.headroom_pence),
                _per_head(row),
            ]
            for row in report.rows
        ],
        widths=[30, 26, 24, 26, 24, 26, 18],
        numeric=frozenset(range(1, 7)),
        total=[
            gettext(N_("Total")),
            _pounds(totals.budget_pence),
            _pounds(totals.earmarked_pence),
            _pounds(totals.committed_unspent_pence),
            _pounds(totals.actual_pence),
            _pounds(totals.headroom_pence),
            "",
        ],
        compact=True,
    )


def _without_population(pack: FinancePack) -> Text:
    names = pack.by_cluster.clusters_without_population
    if not names:
        return Text(gettext(N_("Every cluster with money here has a known population.")))
    return Text(
        gettext(
            N_(
                "Their money is in the tables but not in the per-head figures, since no population is guessed: "
                "%(names)s."
            ),
            names=", ".join(names),
        )
    )


def layout(pack: FinancePack) -> Layout:
    """The pack's sections: the cover (what it covers, what the figures mean), the totals and charts, the tables."""
    sections = [
        Section(1, gettext(N_("What this pack covers")), [Facts(cover_facts(pack))]),
        Section(2, gettext(N_("What the figures mean")), [Facts(meaning_facts())]),
        Section(3, gettext(N_("Totals")), [Facts(totals_facts(pack.by_cluster))], new_page=True),
        Section(4, gettext(N_("Spend per cluster")), [*cluster_charts(pack.by_cluster)]),
        Section(
            5,
            gettext(N_("Year on year")),
            [
                Text(gettext(N_("Every financial year with budget lines, whichever years the pack covers."))),
                *year_chart(pack.every_year),
            ],
        ),
        Section(
            6,
            gettext(N_("Spend by cluster")),
            [spend_table(pack.by_cluster, gettext(N_("Spend by cluster")))],
            new_page=True,
        ),
        Section(7, gettext(N_("Spend by PCPG")), [spend_table(pack.by_pcpg, gettext(N_("Spend by PCPG")))]),
        Section(
            8,
            gettext(N_("Spend by menu service")),
            [spend_table(pack.by_service, gettext(N_("Spend by menu service")))],
        ),
        Section(
            9,
            gettext(N_("Spend by financial year")),
            [spend_table(pack.by_year, gettext(N_("Spend by financial year")))],
        ),
        Section(10, gettext(N_("Clusters without a known population")), [_without_population(pack)]),
    ]
    return Layout(
        kicker=gettext(N_("Finance pack")),
        title=gettext(N_("Spend by cluster, PCPG, menu service and year")),
        preamble=[
            gettext(
                N_(
                    "The money held, committed and spent on the budget lines you may see, from the ledger, to the "
                    "penny. The web page of this pack has the same content, with the charts' figures as tables."
                )
            )
        ],
        sections=sections,
        closing=gettext(
            N_("Produced on %(moment)s by %(name)s."),
            moment=time_in_words(pack.produced_at, current_language.get()),
            name=pack.produced_by,
        ),
    )


def pack_pdf(pack: FinancePack, *, address: str = "") -> bytes:
    laid = layout(pack)
    return document_pdf(
        laid,
        title=f"{laid.kicker} – {laid.title}",
        footer=f"{laid.kicker} – {time_in_words(pack.produced_at, current_language.get())}",
        language=current_language.get(),
        address=address,
    )


def pack_file_name(now: datetime) -> str:
    return f"finance-pack-{now.astimezone(LONDON).date().isoformat()}.pdf"
