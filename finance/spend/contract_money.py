"""Each contract's money in a financial year, for the line of sight (issue 15, item 2): what its commitments hold and
what was paid, on the budget lines of the reader's scope, in one cluster or all of them, and per head of population
as the spend report counts it (finance/spend/__init__.py): only the money and the population of clusters with a
known population, the others named, never guessed. A fixed number of statements, summed by the database."""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Sum

from accounts.actor import Actor
from contracts.tables import ContractCluster
from core.i18n import in_reading_language, order_in_reading_language
from finance.queries import scope_condition
from finance.rules import per_head_pence
from finance.tables import BudgetCommitment, BudgetCommitmentCluster, BudgetLine
from returns.rules import PaymentStatus
from returns.tables import Payment, PaymentCluster


class ContractMoneyOut(msgspec.Struct, kw_only=True):
    """A contract's money in one year (in one cluster when asked): every commitment it holds, spent or not, and its
    approved payments; per head over the clusters with a known population (None when none has one)."""

    contract_id: int
    committed_pence: int = 0
    actual_pence: int = 0
    population: int | None = None
    committed_per_head_pence: int | None = None
    actual_per_head_pence: int | None = None
    clusters_without_population: list[str] = msgspec.field(default_factory=list)


def _lines(actor: Actor, financial_year: int) -> Any:
    query = BudgetLine.select(BudgetLine.id).where(BudgetLine.financial_year == financial_year)
    condition = scope_condition(actor)
    return query if condition is None else query.where(condition)


def _sums(rows: list[dict[str, Any]]) -> dict[int, int]:
    return {int(row["contract"]): int(row["pence"] or 0) for row in rows}


async def contract_money(
    *, actor: Actor, contract_ids: list[int], financial_year: int, cluster_id: int | None = None
) -> dict[int, ContractMoneyOut]:
    """The money of each contract asked for (six statements whatever their number)."""
    if not contract_ids:
        return {}
    lines = _lines(actor, financial_year)
    held = (
        BudgetCommitment.released_at.is_null()
        & BudgetCommitment.contract.is_in(contract_ids)
        & BudgetCommitment.budget_line.is_in(lines)
    )
    paid = (
        (Payment.status == PaymentStatus.APPROVED.value)
        & Payment.contract.is_in(contract_ids)
        & Payment.budget_line.is_in(lines)
    )
    c: Any = BudgetCommitmentCluster
    p: Any = PaymentCluster
    held_split = (
        c.budget_commitment.released_at.is_null()
        & c.budget_commitment.contract.is_in(contract_ids)
        & c.budget_commitment.budget_line.is_in(lines)
    )
    paid_split = (
        (p.payment.status == PaymentStatus.APPROVED.value)
        & p.payment.contract.is_in(contract_ids)
        & p.payment.budget_line.is_in(lines)
    )
    if cluster_id is not None:
        held_split &= c.cluster == cluster_id
        paid_split &= p.cluster == cluster_id
        committed = _sums(
            await BudgetCommitmentCluster.select(
                c.budget_commitment.contract.as_alias("contract"), Sum(c.amount_pence).as_alias("pence")
            )
            .where(held_split)
            .group_by(c.budget_commitment.contract)
        )
        actual = _sums(
            await PaymentCluster.select(p.payment.contract.as_alias("contract"), Sum(p.amount_pence).as_alias("pence"))
            .where(paid_split)
            .group_by(p.payment.contract)
        )
    else:
        committed = _sums(
            await BudgetCommitment.select(
                BudgetCommitment.contract, Sum(BudgetCommitment.amount_pence).as_alias("pence")
            )
            .where(held)
            .group_by(BudgetCommitment.contract)
        )
        actual = _sums(
            await Payment.select(Payment.contract, Sum(Payment.amount_pence).as_alias("pence"))
            .where(paid)
            .group_by(Payment.contract)
        )
    committed_known = _sums(
        await BudgetCommitmentCluster.select(
            c.budget_commitment.contract.as_alias("contract"), Sum(c.amount_pence).as_alias("pence")
        )
        .where(held_split & c.cluster.population.is_not_null())
        .group_by(c.budget_commitment.contract)
    )
    actual_known = _sums(
        await PaymentCluster.select(p.payment.contract.as_alias("contract"), Sum(p.amount_pence).as_alias("pence"))
        .where(paid_split & p.cluster.population.is_not_null())
        .group_by(p.payment.contract)
    )
    k: Any = ContractCluster
    covered: Any = ContractCluster.contract.is_in(contract_ids)
    if cluster_id is not None:
        covered &= ContractCluster.cluster == cluster_id
    population = {
        int(row["contract"]): int(row["people"] or 0)
        for row in await ContractCluster.select(ContractCluster.contract, Sum(k.cluster.population).as_alias("people"))
        .where(covered & k.cluster.population.is_not_null())
        .group_by(ContractCluster.contract)
    }
    unknown: dict[int, list[str]] = {}
    for row in (
        await ContractCluster.select(
            ContractCluster.contract, in_reading_language(k.cluster.name, k.cluster.name_cy, alias="shown")
        )
        .where(covered & k.cluster.population.is_null())
        .order_by(order_in_reading_language(k.cluster.name, k.cluster.name_cy))
    ):
        unknown.setdefault(int(row["contract"]), []).append(row["shown"])
    out = {}
    for contract_id in contract_ids:
        people = population.get(contract_id) or None
        out[contract_id] = ContractMoneyOut(
            contract_id=contract_id,
            committed_pence=committed.get(contract_id, 0),
            actual_pence=actual.get(contract_id, 0),
            population=people,
            committed_per_head_pence=per_head_pence(committed_known.get(contract_id, 0), people),
            actual_per_head_pence=per_head_pence(actual_known.get(contract_id, 0), people),
            clusters_without_population=unknown.get(contract_id, []),
        )
    return out
