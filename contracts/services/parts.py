"""Writing a contract's parts that follow from its particulars (payments, allocations, versions); each is called
inside the operation of the service that changes the particulars, never on its own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from contracts import rules
from contracts.queries import snapshot
from contracts.tables import (
    ContractAllocation,
    ContractPayment,
    ContractVersion,
)


async def save_payments(contract_id: int, payments: Sequence[rules.Payment]) -> None:
    await ContractPayment.delete().where(ContractPayment.contract == contract_id)
    if payments:
        await ContractPayment.insert(
            *[
                ContractPayment(
                    contract=contract_id,
                    financial_year=p.financial_year,
                    quarter=p.quarter,
                    amount_pence=p.amount_pence,
                    due_on=p.due_on,
                )
                for p in payments
            ]
        )


async def save_allocations(contract_id: int, allocations: Sequence[rules.Allocation]) -> None:
    await ContractAllocation.delete().where(ContractAllocation.contract == contract_id)
    if allocations:
        await ContractAllocation.insert(
            *[
                ContractAllocation(
                    contract=contract_id,
                    financial_year=a.financial_year,
                    cluster=a.cluster_id,
                    amount_pence=a.amount_pence,
                    method=a.method,
                    population=a.population,
                    population_source=a.population_source,
                    population_as_of=a.population_as_of,
                )
                for a in allocations
            ]
        )


def splits_of(allocations: Sequence[rules.Allocation]) -> dict[int, dict[int, int]]:
    """Allocations as the finance ledger keeps them: year -> cluster -> pence."""
    splits: dict[int, dict[int, int]] = {}
    for a in allocations:
        splits.setdefault(a.financial_year, {})[a.cluster_id] = a.amount_pence
    return splits


async def save_version(
    contract_id: int, *, version: int, made_at: datetime, made_by: str, variation_id: int | None
) -> None:
    await ContractVersion(
        contract=contract_id,
        version=version,
        made_at=made_at,
        made_by_username=made_by,
        variation=variation_id,
        particulars=await snapshot.particulars(contract_id),
    ).save()
