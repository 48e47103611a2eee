"""The spend report's SQL: a budget line's ledger cut into parts that each belong to one group, summed by the
groups asked for and by cluster, then by group (finance/spend/__init__.py says why it adds up)."""

from __future__ import annotations

from typing import Any

from piccolo.querystring import QueryString

from accounts.actor import Actor
from commissioning.tables import Specification
from contracts.tables import Contract
from finance.queries import ledger_columns, scope_condition
from finance.spend.schemas import BELOW_THE_LINE, NOT_SPLIT_KEY, Grouping, SpendFilterIn
from finance.tables import BudgetCommitment, BudgetCommitmentCluster, BudgetLine
from menu.tables import MenuServiceVersion
from organisations.tables import Cluster
from returns.rules import PaymentStatus
from returns.tables import Payment, PaymentCluster


def line_conditions(actor: Actor, filters: SpendFilterIn) -> list[Any]:
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
    query = BudgetLine.select(*columns, *(ledger_columns() if with_ledger else []))
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


# The parts of a line's ledger (finance/spend/__init__.py), one SELECT each; columns: line keys, contract, cluster,
# budget, earmarked, committed, committed not yet spent, actual, headroom.
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


def report_query(group_by: list[Grouping], conditions: list[Any]) -> QueryString:
    """The one statement: the parts summed by the groups asked for and by cluster once (`by_cluster`), then from it
    each group's money and the part of it (and the population) of clusters with a known one (`"kind" = 'total'`,
    summed by group so each cluster's population counts once in a group), and in each group the clusters without a
    known population (to name them) and the dates of the populations counted (`"kind" = 'cluster'`, a few rows a
    group; the NULLs beside them outside the DISTINCT, so PostgreSQL types them by the first SELECT's columns). Wrapped
    in a plain SELECT: core/engines.py sends a statement that starts with WITH down the write path, which drops every
    cache."""
    width = len(group_by)
    keys = ", ".join(f'{_KEY[name]} AS "g{index}"' for index, name in enumerate(group_by))
    parts = [_HELD_PART, _COMMITTED_PARTS, _COMMITTED_UNSPLIT, _PAID_PARTS, _PAID_UNSPLIT]
    joins = _CONTRACT_JOINS if BELOW_THE_LINE.intersection(group_by) - {"cluster"} else ""
    by_cluster = ", ".join(f'SUM("f"."{name}") AS "{name}"' for name in _MONEY)
    grouped = ", ".join(f'"b"."g{index}"' for index in range(width))
    known = '"cl"."population" IS NOT NULL'
    unknown = '"cl"."population" IS NULL'
    sums = ", ".join(f'SUM("b"."{name}") AS "{name}"' for name in _MONEY)
    nothing = ", ".join(f'NULL AS "{name}"' for name in _MONEY)
    cluster_table = Cluster._meta.tablename
    return QueryString(
        'SELECT * FROM (WITH "line" AS ({}), "part" AS ('
        + " UNION ALL ".join(parts)
        + f'), "by_cluster" AS (SELECT {keys}, "f"."cluster" AS "cluster", {by_cluster} FROM "part" AS "f" {joins} '
        f'GROUP BY {", ".join(_KEY[name] for name in group_by)}, "f"."cluster") '
        f"SELECT {grouped}, 'total' AS \"kind\", {sums}, "
        f'SUM(CASE WHEN {known} THEN "b"."actual_pence" ELSE 0 END) AS "actual_counted", '
        f'SUM(CASE WHEN {known} THEN "b"."committed_pence" ELSE 0 END) AS "committed_counted", '
        'SUM("cl"."population") AS "population", COUNT("cl"."population") AS "clusters_with_population", '
        'NULL AS "name", NULL AS "name_cy", NULL AS "as_of", NULL AS "undated" '
        f'FROM "by_cluster" AS "b" LEFT JOIN "{cluster_table}" AS "cl" ON "cl"."id" = "b"."cluster" '
        f"GROUP BY {grouped} "
        "UNION ALL "
        f"SELECT {grouped}, 'cluster', {nothing}, NULL, NULL, NULL, NULL, "
        '"b"."name", "b"."name_cy", "b"."as_of", "b"."undated" '
        f"FROM (SELECT DISTINCT {grouped}, "
        f'CASE WHEN {unknown} THEN "cl"."name" END AS "name", '
        f'CASE WHEN {unknown} THEN "cl"."name_cy" END AS "name_cy", '
        f'CASE WHEN {unknown} THEN NULL ELSE COALESCE("cl"."population_as_of", \'\') END AS "as_of", '
        f'CASE WHEN {known} AND "cl"."population_as_of" IS NULL THEN "cl"."id" END AS "undated" '
        f'FROM "by_cluster" AS "b" JOIN "{cluster_table}" AS "cl" ON "cl"."id" = "b"."cluster") AS "b") AS "found"',
        _lines(conditions, with_ledger=True),
    )
