"""The spend report (issue 14): the ledger's money grouped by one or two of cluster, PCPG, health board, menu service,
delivery vehicle, financial year and funding stream, with spend per head of population; its Structs and its query.

`spend_report(actor=..., filters=SpendFilterIn(...))` -> `SpendReportOut` is the interface the API, the page, the
CSV and Excel files and the dashboard share. Every figure is summed by the database (GROUP BY, on both databases):
two statements however many lines, commitments and payments there are.

How it adds up. A budget line's ledger (finance.rules.Ledger) is split into parts that each belong to one group:

- what contracts committed on the line, by the cluster it was split to (BudgetCommitmentCluster), counts as
  budget, committed and "committed, not yet spent" of that cluster, contract, menu service and vehicle;
- each approved payment on the line, by cluster (PaymentCluster), moves its amount from "committed, not yet spent"
  to actual there;
- the rest of the line (its budget less its commitments, its earmarks, its headroom, and any spend beyond its
  commitments) is held for the PCPG, not yet given to a contract: on groupings by cluster, menu service or delivery
  vehicle it is a row of its own (`held_for_pcpg`), since nothing attributes it further.

So every row adds up (budget = earmarked + committed, not yet spent + actual + headroom) and the rows of any
grouping sum to the ledger's totals to the penny. A commitment or payment whose cluster split does not cover its whole
amount (older rows) shows its remainder on a "not split by cluster" row (`not_split_by_cluster`) when grouping by
cluster.

Per head. Only money given to clusters with a known population (organisations.tables.Cluster.population, with the
date its source gives) is divided, by the population of those clusters: a cluster's own row for a cluster, and for
any larger group the clusters its contracts reached. Clusters without a known population are never guessed: their
money is left out of the per-head figures, and they are counted and named on each row and for the whole report.
Budget and earmarks are held by PCPG, not by cluster, so they have no per-head figure.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any, Literal

import msgspec
from piccolo.querystring import QueryString

from accounts.actor import Actor
from commissioning.tables import Specification
from contracts.queries.scope import read_scope, scoped
from contracts.tables import Contract, ContractAllocation
from core.bounds import Id
from core.db import engine
from core.errors import RuleBroken
from core.i18n import N_, current_language, gettext, name_in_reading_language, period_in_words
from core.periods import FinancialYear
from finance import rules
from finance.queries import _ledger_columns, scope_condition
from finance.schemas import FundingStream
from finance.tables import BudgetCommitment, BudgetCommitmentCluster, BudgetLine
from menu.tables import MenuServiceVersion
from organisations.tables import Cluster, DeliveryVehicle, HealthBoard, Pcpg
from returns.rules import PaymentStatus
from returns.tables import Payment, PaymentCluster

Grouping = Literal[
    "cluster", "pcpg", "health_board", "menu_service", "delivery_vehicle", "financial_year", "funding_stream"
]
GROUPINGS: tuple[Grouping, ...] = (
    "cluster",
    "pcpg",
    "health_board",
    "menu_service",
    "delivery_vehicle",
    "financial_year",
    "funding_stream",
)
GROUPING_NAMES = {
    "cluster": N_("Cluster"),
    "pcpg": N_("PCPG"),
    "health_board": N_("Health board"),
    "menu_service": N_("Menu service"),
    "delivery_vehicle": N_("Delivery vehicle"),
    "financial_year": N_("Financial year"),
    "funding_stream": N_("Funding stream"),
}
# Groupings that cannot attribute a budget line's budget and earmarks: those stay on a row held for the PCPG.
BELOW_THE_LINE = frozenset({"cluster", "menu_service", "delivery_vehicle"})
HELD_FOR_PCPG = N_("Held for the PCPG, not yet given to a contract")
NOT_SPLIT = N_("Given to contracts, not split by cluster")
NOT_SPLIT_KEY = -1
Year = Annotated[int, msgspec.Meta(ge=2020, le=2100)]


class SpendFilterIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """What the report groups by (one or two groupings, in order) and which budget lines it reads; a filter left out
    is not applied. The years are financial years by their start (2027 is 2027-28), both ends included."""

    group_by: Annotated[list[Grouping], msgspec.Meta(min_length=1, max_length=2)]
    from_year: Year | None = None
    to_year: Year | None = None
    health_board_id: Id | None = None
    pcpg_id: Id | None = None
    funding_stream: FundingStream | None = None


class SpendKeyOut(msgspec.Struct, kw_only=True):
    """One grouping's value on a row: `value` is the id (the start year, or the stream's code) and None on the row
    held for the PCPG; `label` names it in the reader's language."""

    grouping: str
    value: int | str | None
    label: str


class SpendRowOut(msgspec.Struct, kw_only=True):
    """One group's money. It adds up to the penny: budget = earmarked + committed_unspent + actual + headroom."""

    keys: list[SpendKeyOut]  # one for each grouping asked for, in the same order
    held_for_pcpg: bool  # the part of the budget lines not given to a contract (groupings below the line)
    not_split_by_cluster: bool  # contracts' money whose cluster split is missing (grouping by cluster)
    budget_pence: int
    earmarked_pence: int
    committed_pence: int  # every commitment contracts hold here, spent or not
    committed_unspent_pence: int  # commitments not yet paid (the ledger's "Committed")
    actual_pence: int  # approved payments
    headroom_pence: int
    population: int | None  # of the clusters counted for per head; None when none has a known population
    clusters_with_population: int
    clusters_without_population: list[str]  # named in the reader's language; their money is not in per head
    population_as_of: list[str]  # the dates the populations' sources give ("2018-10"), oldest first
    populations_undated: int  # clusters counted whose population source gives no date
    population_dates: str  # those dates in words, in the reader's language
    actual_per_head_pence: int | None  # actual spend in clusters with a known population / their population
    committed_per_head_pence: int | None  # the same for commitments (spent or not)


class SpendTotalsOut(msgspec.Struct, kw_only=True):
    """Every row added up: the ledger's totals over the lines the filters select."""

    budget_pence: int
    earmarked_pence: int
    committed_pence: int
    committed_unspent_pence: int
    actual_pence: int
    headroom_pence: int


class SpendReportOut(msgspec.Struct, kw_only=True):
    group_by: list[str]
    group_by_labels: list[str]  # the groupings named in the reader's language
    filters: SpendFilterIn
    rows: list[SpendRowOut]
    totals: SpendTotalsOut
    clusters_without_population: list[str]  # every cluster with money here and no known population, named


def read_group_by(values: list[str]) -> list[Grouping]:
    """`group_by` from the query: repeated, or a comma list ("pcpg,financial_year"); one or two distinct groupings,
    refused otherwise with a 422 naming group_by."""
    asked = [part.strip() for value in values for part in value.split(",") if part.strip()]
    unknown = [name for name in asked if name not in GROUPINGS]
    if unknown:
        raise RuleBroken(
            "Group by one or two of: %(choices)s", field="group_by", choices=", ".join(GROUPINGS), unknown=unknown
        )
    if not 1 <= len(asked) <= 2 or len(set(asked)) != len(asked):
        raise RuleBroken("Group by one or two of: %(choices)s", field="group_by", choices=", ".join(GROUPINGS))
    return [next(known for known in GROUPINGS if known == name) for name in asked]


def check_years(filters: SpendFilterIn) -> None:
    if filters.from_year is not None and filters.to_year is not None and filters.from_year > filters.to_year:
        raise RuleBroken("The last year cannot be before the first", field="to_year")


def _line_conditions(actor: Actor, filters: SpendFilterIn) -> list[Any]:
    """The actor's scope (finance.queries.scope_condition, the one place) and the filters, on budget lines."""
    found = [
        scope_condition(actor),
        None if filters.from_year is None else BudgetLine.financial_year >= filters.from_year,
        None if filters.to_year is None else BudgetLine.financial_year <= filters.to_year,
        None if filters.health_board_id is None else BudgetLine.health_board == filters.health_board_id,
        None if filters.pcpg_id is None else BudgetLine.pcpg == filters.pcpg_id,
        None if filters.funding_stream is None else BudgetLine.funding_stream == filters.funding_stream,
    ]
    return [condition for condition in found if condition is not None]


def _lines(conditions: list[Any], *, with_ledger: bool) -> QueryString:
    columns = [
        BudgetLine.id,
        BudgetLine.health_board,
        BudgetLine.pcpg,
        BudgetLine.financial_year,
        BudgetLine.funding_stream,
        BudgetLine.amount_pence,
    ]
    query = BudgetLine.select(*columns, *(_ledger_columns() if with_ledger else []))
    for condition in conditions:
        query = query.where(condition)
    return query.querystrings[0]


_LINE_KEYS = '"l"."id" AS "line_id", "l"."health_board", "l"."pcpg", "l"."financial_year", "l"."funding_stream"'
_COMMITMENT = BudgetCommitment._meta.tablename
_COMMITMENT_CLUSTER = BudgetCommitmentCluster._meta.tablename
_PAYMENT = Payment._meta.tablename
_PAYMENT_CLUSTER = PaymentCluster._meta.tablename
_APPROVED = PaymentStatus.APPROVED.value
_MONEY = ("budget_pence", "earmarked_pence", "committed_pence", "unspent_pence", "actual_pence", "headroom_pence")


def _named(*values: str) -> str:
    """A part's money columns, named (each SELECT of the UNION names its own, so any may come first)."""
    quoted = [
        value
        if value[-1].isdigit()
        else ("-" if value.startswith("-") else "") + ".".join(f'"{part}"' for part in value.lstrip("-").split("."))
        for value in values
    ]
    return ", ".join(f'{value} AS "{name}"' for value, name in zip(quoted, _MONEY, strict=True))


# The parts of a line's ledger (module docstring), one SELECT each; columns: line keys, contract, cluster, budget,
# earmarked, committed, committed not yet spent, actual, headroom.
_HELD_PART = (
    f'SELECT {_LINE_KEYS}, CAST(NULL AS INTEGER) AS "contract", CAST(NULL AS INTEGER) AS "cluster", '
    '"l"."amount_pence" - "l"."committed_pence" AS "budget_pence", "l"."earmarked_pence" AS "earmarked_pence", '
    '0 AS "committed_pence", '
    'CASE WHEN "l"."actual_pence" > "l"."committed_pence" THEN "l"."actual_pence" - "l"."committed_pence" ELSE 0 END '
    'AS "unspent_pence", 0 AS "actual_pence", '
    '"l"."amount_pence" - "l"."earmarked_pence" - CASE WHEN "l"."committed_pence" > "l"."actual_pence" '
    'THEN "l"."committed_pence" ELSE "l"."actual_pence" END AS "headroom_pence" FROM "line" AS "l"'
)
_COMMITTED_PARTS = (
    f'SELECT {_LINE_KEYS}, "c"."contract", "s"."cluster", '
    f"{_named('s.amount_pence', '0', 's.amount_pence', 's.amount_pence', '0', '0')} "
    f'FROM "{_COMMITMENT}" AS "c" JOIN "line" AS "l" ON "l"."id" = "c"."budget_line" '
    f'JOIN "{_COMMITMENT_CLUSTER}" AS "s" ON "s"."budget_commitment" = "c"."id" WHERE "c"."released_at" IS NULL'
)
_COMMITTED_UNSPLIT = (
    f'SELECT {_LINE_KEYS}, "c"."contract", {NOT_SPLIT_KEY} AS "cluster", '
    f"{_named('c.rest', '0', 'c.rest', 'c.rest', '0', '0')} "
    f'FROM (SELECT "x"."budget_line", "x"."contract", "x"."amount_pence" - COALESCE((SELECT SUM("s"."amount_pence") '
    f'FROM "{_COMMITMENT_CLUSTER}" AS "s" WHERE "s"."budget_commitment" = "x"."id"), 0) AS "rest" '
    f'FROM "{_COMMITMENT}" AS "x" WHERE "x"."released_at" IS NULL) AS "c" '
    'JOIN "line" AS "l" ON "l"."id" = "c"."budget_line" WHERE "c"."rest" <> 0'
)
_PAID_PARTS = (
    f'SELECT {_LINE_KEYS}, "p"."contract", "s"."cluster", '
    f"{_named('0', '0', '0', '-s.amount_pence', 's.amount_pence', '0')} "
    f'FROM "{_PAYMENT}" AS "p" JOIN "line" AS "l" ON "l"."id" = "p"."budget_line" '
    f'JOIN "{_PAYMENT_CLUSTER}" AS "s" ON "s"."payment" = "p"."id" WHERE "p"."status" = \'{_APPROVED}\''
)
_PAID_UNSPLIT = (
    f'SELECT {_LINE_KEYS}, "p"."contract", {NOT_SPLIT_KEY} AS "cluster", '
    f"{_named('0', '0', '0', '-p.rest', 'p.rest', '0')} "
    f'FROM (SELECT "x"."budget_line", "x"."contract", "x"."amount_pence" - COALESCE((SELECT SUM("s"."amount_pence") '
    f'FROM "{_PAYMENT_CLUSTER}" AS "s" WHERE "s"."payment" = "x"."id"), 0) AS "rest" '
    f'FROM "{_PAYMENT}" AS "x" WHERE "x"."status" = \'{_APPROVED}\') AS "p" '
    'JOIN "line" AS "l" ON "l"."id" = "p"."budget_line" WHERE "p"."rest" <> 0'
)
_CONTRACT = Contract._meta.tablename
_SPECIFICATION = Specification._meta.tablename
_VERSION = MenuServiceVersion._meta.tablename
# Each grouping's key on a part (NULL on a line's held part for those below the line).
_KEY = {
    "cluster": '"f"."cluster"',
    "pcpg": '"f"."pcpg"',
    "health_board": '"f"."health_board"',
    "financial_year": '"f"."financial_year"',
    "funding_stream": '"f"."funding_stream"',
    "menu_service": '"mv"."menu_service"',
    "delivery_vehicle": '"k"."delivery_vehicle"',
}
_CONTRACT_JOINS = (
    f'LEFT JOIN "{_CONTRACT}" AS "k" ON "k"."id" = "f"."contract" '
    f'LEFT JOIN "{_SPECIFICATION}" AS "sp" ON "sp"."id" = "k"."specification" '
    f'LEFT JOIN "{_VERSION}" AS "mv" ON "mv"."id" = COALESCE("k"."menu_service_version", "sp"."menu_service_version")'
)


def _by_cluster(group_by: list[Grouping], conditions: list[Any], *, with_held: bool) -> QueryString:
    """The parts summed by the groups asked for and by cluster: the first of the two GROUP BYs (the second sums the
    clusters, so each cluster's population counts once in a group)."""
    keys = ", ".join(f'{_KEY[name]} AS "g{index}"' for index, name in enumerate(group_by))
    parts = [_COMMITTED_PARTS, _COMMITTED_UNSPLIT, _PAID_PARTS, _PAID_UNSPLIT]
    if with_held:
        parts.insert(0, _HELD_PART)
    joins = _CONTRACT_JOINS if BELOW_THE_LINE.intersection(group_by) - {"cluster"} else ""
    sums = ", ".join(f'SUM("f"."{name}") AS "{name}"' for name in _MONEY)
    return QueryString(
        'WITH "line" AS ({}), "part" AS ('
        + " UNION ALL ".join(parts)
        + f') SELECT {keys}, "f"."cluster" AS "cluster", {sums} FROM "part" AS "f" {joins} '
        f'GROUP BY {", ".join(_KEY[name] for name in group_by)}, "f"."cluster"',
        _lines(conditions, with_ledger=with_held),
    )


def _totals_query(group_by: list[Grouping], conditions: list[Any]) -> QueryString:
    """Statement 1: each group's money, and the part of it (and the population) of clusters with a known one."""
    grouped = ", ".join(f'"b"."g{index}"' for index in range(len(group_by)))
    known = '"cl"."population" IS NOT NULL'
    sums = ", ".join(f'SUM("b"."{name}") AS "{name}"' for name in _MONEY)
    return QueryString(
        f"SELECT {grouped}, {sums}, "
        f'SUM(CASE WHEN {known} THEN "b"."actual_pence" ELSE 0 END) AS "actual_counted", '
        f'SUM(CASE WHEN {known} THEN "b"."committed_pence" ELSE 0 END) AS "committed_counted", '
        f'SUM("cl"."population") AS "population", COUNT("cl"."population") AS "clusters_with_population" '
        f'FROM ({{}}) AS "b" LEFT JOIN "{Cluster._meta.tablename}" AS "cl" ON "cl"."id" = "b"."cluster" '
        f"GROUP BY {grouped}",
        _by_cluster(group_by, conditions, with_held=True),
    )


def _clusters_query(group_by: list[Grouping], conditions: list[Any]) -> QueryString:
    """Statement 2: in each group, the clusters without a known population (to name them) and the dates of the
    populations counted."""
    grouped = ", ".join(f'"b"."g{index}"' for index in range(len(group_by)))
    return QueryString(
        f"SELECT DISTINCT {grouped}, "
        'CASE WHEN "cl"."population" IS NULL THEN "cl"."name" END AS "name", '
        'CASE WHEN "cl"."population" IS NULL THEN "cl"."name_cy" END AS "name_cy", '
        'CASE WHEN "cl"."population" IS NULL THEN NULL ELSE COALESCE("cl"."population_as_of", \'\') END AS "as_of", '
        'CASE WHEN "cl"."population" IS NOT NULL AND "cl"."population_as_of" IS NULL THEN "cl"."id" END AS "undated" '
        f'FROM ({{}}) AS "b" JOIN "{Cluster._meta.tablename}" AS "cl" ON "cl"."id" = "b"."cluster"',
        _by_cluster(group_by, conditions, with_held=False),
    )


async def _names(group_by: list[Grouping], keys: set[tuple[Any, ...]]) -> dict[tuple[str, Any], str]:
    """Names of what the rows are grouped by, in the reader's language: one statement per grouping that has names
    (at most two), read by the ids the totals found."""
    found: dict[tuple[str, Any], str] = {}
    for index, name in enumerate(group_by):
        ids = sorted({key[index] for key in keys if isinstance(key[index], int) and key[index] > 0})
        if name == "financial_year":
            found.update({(name, year): FinancialYear(year).label for year in ids})
        elif name == "funding_stream":
            found.update(
                {
                    (name, key[index]): gettext(rules.FUNDING_STREAMS.get(key[index], N_("Other")))
                    for key in keys
                    if key[index] is not None
                }
            )
        elif ids:
            for row in await _name_select(name, ids):
                found[(name, row["id"])] = name_in_reading_language(row["name"], row["name_cy"])
    return found


async def _name_select(name: str, ids: list[int]) -> list[dict[str, Any]]:
    if name == "cluster":
        return await Cluster.select(Cluster.id, Cluster.name, Cluster.name_cy).where(Cluster.id.is_in(ids))
    if name == "pcpg":
        return await Pcpg.select(Pcpg.id, Pcpg.name, Pcpg.name_cy).where(Pcpg.id.is_in(ids))
    if name == "health_board":
        return await HealthBoard.select(HealthBoard.id, HealthBoard.name, HealthBoard.name_cy).where(
            HealthBoard.id.is_in(ids)
        )
    if name == "delivery_vehicle":
        rows = await DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(
            DeliveryVehicle.id.is_in(ids)
        )
        return [{**row, "name_cy": None} for row in rows]
    versions = await MenuServiceVersion.select(
        MenuServiceVersion.menu_service.as_alias("id"),
        MenuServiceVersion.name,
        MenuServiceVersion.name_cy,
        MenuServiceVersion.version,
        MenuServiceVersion.menu_service.current_version.as_alias("current_version"),
    ).where(MenuServiceVersion.menu_service.is_in(ids))
    return [row for row in versions if row["version"] == row["current_version"]]  # each service's current name


def _key(name: str, value: Any, names: dict[tuple[str, Any], str]) -> SpendKeyOut:
    if value is None:
        return SpendKeyOut(grouping=name, value=None, label=gettext(HELD_FOR_PCPG))
    if name == "cluster" and value == NOT_SPLIT_KEY:
        return SpendKeyOut(grouping=name, value=None, label=gettext(NOT_SPLIT))
    if name == "financial_year" or name == "funding_stream":
        return SpendKeyOut(grouping=name, value=value, label=names.get((name, value), str(value)))
    return SpendKeyOut(grouping=name, value=int(value), label=names.get((name, int(value)), ""))


def _dates_in_words(dates: list[str], undated: int, language: str) -> str:
    shown = [period_in_words(value, language) for value in dates]
    if undated:
        shown.append(
            gettext(N_("%(count)s with no date given"), count=undated)
            if dates
            else gettext(N_("no date given by the source"))
        )
    return ", ".join(shown)


def _sort_key(row: SpendRowOut) -> tuple[Any, ...]:
    """Held and unsplit rows after the named ones in each group; years in order; names alphabetically."""
    parts: list[Any] = []
    for key in row.keys:
        parts.append(0 if isinstance(key.value, int | str) else 1)
        parts.append(key.value if key.grouping == "financial_year" and isinstance(key.value, int) else 0)
        parts.append(key.label.casefold())
    return tuple(parts)


async def spend_report(*, actor: Actor, filters: SpendFilterIn) -> SpendReportOut:
    """The ledger's money by the groupings asked for, scoped to the actor (a finance director their health board, a
    commissioner their PCPGs, a national administrator all; others refused) and filtered; each row's and the totals'
    figures as the module docstring says. Two aggregate statements, and one more per named grouping (at most two)
    to name what was found."""
    check_years(filters)
    group_by = list(filters.group_by)
    conditions = _line_conditions(actor, filters)
    sums = await engine().run_querystring(_totals_query(group_by, conditions))
    details = await engine().run_querystring(_clusters_query(group_by, conditions))
    width = len(group_by)
    keys = {tuple(row[f"g{index}"] for index in range(width)) for row in sums}
    names = await _names(group_by, keys)
    language = current_language.get()

    unknown: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    dates: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    undated: dict[tuple[Any, ...], int] = defaultdict(int)
    everywhere: set[str] = set()
    for detail in details:  # a few rows a group: its clusters without a population, and the dates of the others
        key = tuple(detail[f"g{index}"] for index in range(width))
        if detail["name"] is not None:
            shown = name_in_reading_language(detail["name"], detail["name_cy"])
            unknown[key].append(shown)
            everywhere.add(shown)
        elif detail["undated"] is not None:
            undated[key] += 1
        if detail["as_of"]:
            dates[key].add(detail["as_of"])

    rows = []
    for found in sums:  # one row a group, summed by the database
        key = tuple(found[f"g{index}"] for index in range(width))
        population = int(found["population"]) if found["population"] is not None else None
        row_dates = sorted(dates[key])
        rows.append(
            SpendRowOut(
                keys=[_key(name, key[index], names) for index, name in enumerate(group_by)],
                held_for_pcpg=any(value is None for value in key),
                not_split_by_cluster="cluster" in group_by and key[group_by.index("cluster")] == NOT_SPLIT_KEY,
                budget_pence=int(found["budget_pence"] or 0),
                earmarked_pence=int(found["earmarked_pence"] or 0),
                committed_pence=int(found["committed_pence"] or 0),
                committed_unspent_pence=int(found["unspent_pence"] or 0),
                actual_pence=int(found["actual_pence"] or 0),
                headroom_pence=int(found["headroom_pence"] or 0),
                population=population,
                clusters_with_population=int(found["clusters_with_population"] or 0),
                clusters_without_population=sorted(unknown[key], key=str.casefold),
                population_as_of=row_dates,
                populations_undated=undated[key],
                population_dates=_dates_in_words(row_dates, undated[key], language) if population else "",
                actual_per_head_pence=rules.per_head_pence(int(found["actual_counted"] or 0), population),
                committed_per_head_pence=rules.per_head_pence(int(found["committed_counted"] or 0), population),
            )
        )
    rows.sort(key=_sort_key)
    return SpendReportOut(
        group_by=list(group_by),
        group_by_labels=[gettext(GROUPING_NAMES[name]) for name in group_by],
        filters=filters,
        rows=rows,
        totals=SpendTotalsOut(
            budget_pence=sum(row.budget_pence for row in rows),
            earmarked_pence=sum(row.earmarked_pence for row in rows),
            committed_pence=sum(row.committed_pence for row in rows),
            committed_unspent_pence=sum(row.committed_unspent_pence for row in rows),
            actual_pence=sum(row.actual_pence for row in rows),
            headroom_pence=sum(row.headroom_pence for row in rows),
        ),
        clusters_without_population=sorted(everywhere, key=str.casefold),
    )


class ClusterContractOut(msgspec.Struct, kw_only=True):
    """One contract's money in one cluster for one financial year (the dashboard's last level): the contract's
    allocation to the cluster, what its commitments on the budget lines hold there, and what was paid there. The
    row with `contract_id` None is the cluster's total."""

    contract_id: int | None
    reference: str
    title: str
    delivery_vehicle: str
    allocated_pence: int
    committed_pence: int
    actual_pence: int


async def cluster_contract_spend(*, actor: Actor, cluster_id: int, financial_year: int) -> list[ClusterContractOut]:
    """The contracts touching a cluster in a year, each with its allocation (contracts.tables.ContractAllocation),
    commitments (BudgetCommitmentCluster) and approved payments (PaymentCluster) there, and their total last: one
    statement, summed by the database. Commitments and payments count on the budget lines of the actor's scope for
    that year (as the spend report counts them); allocations on the contracts the actor may read."""
    conditions = _line_conditions(actor, SpendFilterIn(group_by=["cluster"], from_year=financial_year))
    conditions.append(BudgetLine.financial_year == financial_year)
    readable = scoped(Contract.select(Contract.id), read_scope(actor))
    allocations = ContractAllocation.select(
        ContractAllocation.contract, ContractAllocation.amount_pence.as_alias("allocated_pence")
    ).where(
        (ContractAllocation.cluster == cluster_id)
        & (ContractAllocation.financial_year == financial_year)
        & ContractAllocation.contract.is_in(readable)
    )
    vehicle = DeliveryVehicle._meta.tablename
    money = 'SUM("f"."allocated_pence") AS "allocated_pence", SUM("f"."committed_pence") AS "committed_pence", ' + (
        'SUM("f"."actual_pence") AS "actual_pence"'
    )
    query = QueryString(
        'WITH "line" AS ({}), "part" AS ('
        'SELECT "c"."contract", 0 AS "allocated_pence", "s"."amount_pence" AS "committed_pence", 0 AS "actual_pence" '
        f'FROM "{_COMMITMENT}" AS "c" JOIN "line" AS "l" ON "l"."id" = "c"."budget_line" '
        f'JOIN "{_COMMITMENT_CLUSTER}" AS "s" ON "s"."budget_commitment" = "c"."id" '
        'WHERE "c"."released_at" IS NULL AND "s"."cluster" = {} '
        'UNION ALL SELECT "p"."contract", 0, 0, "s"."amount_pence" '
        f'FROM "{_PAYMENT}" AS "p" JOIN "line" AS "l" ON "l"."id" = "p"."budget_line" '
        f'JOIN "{_PAYMENT_CLUSTER}" AS "s" ON "s"."payment" = "p"."id" '
        f'WHERE "p"."status" = \'{_APPROVED}\' AND "s"."cluster" = {{}} '
        'UNION ALL SELECT "a"."contract", "a"."allocated_pence", 0, 0 FROM ({}) AS "a") '
        "SELECT * FROM ("
        f'SELECT "k"."id" AS "contract_id", "k"."reference", "k"."title", "k"."title_cy", "v"."name" AS "vehicle", '
        f'{money} FROM "part" AS "f" JOIN "{_CONTRACT}" AS "k" ON "k"."id" = "f"."contract" '
        f'JOIN "{vehicle}" AS "v" ON "v"."id" = "k"."delivery_vehicle" '
        'GROUP BY "k"."id", "k"."reference", "k"."title", "k"."title_cy", "v"."name" '
        "UNION ALL SELECT NULL, '', '', '', '', " + money + ' FROM "part" AS "f") AS "t" '
        'ORDER BY CASE WHEN "t"."contract_id" IS NULL THEN 1 ELSE 0 END, "t"."reference"',
        _lines(conditions, with_ledger=False),
        cluster_id,
        cluster_id,
        allocations.querystrings[0],
    )
    return [
        ClusterContractOut(
            contract_id=row["contract_id"],
            reference=row["reference"],
            title=name_in_reading_language(row["title"], row["title_cy"]),
            delivery_vehicle=row["vehicle"],
            allocated_pence=int(row["allocated_pence"] or 0),
            committed_pence=int(row["committed_pence"] or 0),
            actual_pence=int(row["actual_pence"] or 0),
        )
        for row in await engine().run_querystring(query)
    ]
