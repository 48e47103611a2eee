"""Beside the spend report: each contract's money in one cluster for one year, for the dashboard's last level
(cluster -> contract), which the report's groupings do not reach. Summed by the database in one statement."""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.querystring import QueryString

from accounts.actor import Actor
from contracts.queries.scope import read_scope, scoped
from contracts.tables import Contract, ContractAllocation
from core.db import engine
from core.i18n import name_in_reading_language
from finance.spend.schemas import SpendFilterIn
from finance.spend.sql import line_conditions
from finance.tables import BudgetCommitment, BudgetCommitmentCluster, BudgetLine
from organisations.tables import DeliveryVehicle
from returns.rules import PaymentStatus
from returns.tables import Payment, PaymentCluster


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


def _lines(conditions: list[Any]) -> QueryString:
    query = BudgetLine.select(BudgetLine.id)
    for condition in conditions:
        query = query.where(condition)
    return query.querystrings[0]


async def cluster_contract_spend(*, actor: Actor, cluster_id: int, financial_year: int) -> list[ClusterContractOut]:
    """The contracts touching a cluster in a year, each with its allocation (contracts.tables.ContractAllocation),
    commitments (BudgetCommitmentCluster) and approved payments (PaymentCluster) there, and their total last: one
    statement, summed by the database. Commitments and payments count on the budget lines of the actor's scope for
    that year (as the spend report counts them); allocations on the contracts the actor may read."""
    conditions = line_conditions(actor, SpendFilterIn(group_by=["cluster"], from_year=financial_year))
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
    commitment, commitment_cluster = BudgetCommitment._meta.tablename, BudgetCommitmentCluster._meta.tablename
    payment, payment_cluster = Payment._meta.tablename, PaymentCluster._meta.tablename
    contract, approved = Contract._meta.tablename, PaymentStatus.APPROVED.value
    money = 'SUM("f"."allocated_pence") AS "allocated_pence", SUM("f"."committed_pence") AS "committed_pence", ' + (
        'SUM("f"."actual_pence") AS "actual_pence"'
    )
    query = QueryString(
        'WITH "line" AS ({}), "part" AS ('
        'SELECT "c"."contract", 0 AS "allocated_pence", "s"."amount_pence" AS "committed_pence", 0 AS "actual_pence" '
        f'FROM "{commitment}" AS "c" JOIN "line" AS "l" ON "l"."id" = "c"."budget_line" '
        f'JOIN "{commitment_cluster}" AS "s" ON "s"."budget_commitment" = "c"."id" '
        'WHERE "c"."released_at" IS NULL AND "s"."cluster" = {} '
        'UNION ALL SELECT "p"."contract", 0, 0, "s"."amount_pence" '
        f'FROM "{payment}" AS "p" JOIN "line" AS "l" ON "l"."id" = "p"."budget_line" '
        f'JOIN "{payment_cluster}" AS "s" ON "s"."payment" = "p"."id" '
        f'WHERE "p"."status" = \'{approved}\' AND "s"."cluster" = {{}} '
        'UNION ALL SELECT "a"."contract", "a"."allocated_pence", 0, 0 FROM ({}) AS "a") '
        "SELECT * FROM ("
        f'SELECT "k"."id" AS "contract_id", "k"."reference", "k"."title", "k"."title_cy", "v"."name" AS "vehicle", '
        f'{money} FROM "part" AS "f" JOIN "{contract}" AS "k" ON "k"."id" = "f"."contract" '
        f'JOIN "{vehicle}" AS "v" ON "v"."id" = "k"."delivery_vehicle" '
        'GROUP BY "k"."id", "k"."reference", "k"."title", "k"."title_cy", "v"."name" '
        "UNION ALL SELECT NULL, '', '', '', '', " + money + ' FROM "part" AS "f") AS "t" '
        'ORDER BY CASE WHEN "t"."contract_id" IS NULL THEN 1 ELSE 0 END, "t"."reference"',
        _lines(conditions),
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
