"""What a contract's particulars are now, read for a version to record and a change to be compared with: the
clusters' populations as they stand (copied into each allocation), and the particulars in words and figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contracts import rules
from contracts.tables import Contract, ContractAllocation, ContractCluster, ContractKpi, ContractYear
from core.periods import FinancialYear
from organisations.tables import Cluster


async def cluster_populations(cluster_ids: Sequence[int]) -> list[rules.ClusterPopulation]:
    """The clusters' populations as they stand now, with their sources: copied into each allocation."""
    if not cluster_ids:
        return []
    rows = (
        await Cluster.select(Cluster.id, Cluster.population, Cluster.population_source, Cluster.population_as_of)
        .where(Cluster.id.is_in(list(cluster_ids)))
        .order_by(Cluster.id)
    )
    return [
        rules.ClusterPopulation(row["id"], row["population"], row["population_source"], row["population_as_of"] or "")
        for row in rows
    ]


async def particulars(contract_id: int) -> dict[str, Any]:
    """The particulars a version records, in words and figures a person compares (the history shows them field
    by field): term, annual values, clusters, KPIs with thresholds, payment timing and the split by cluster."""
    contract = await Contract.select().where(Contract.id == contract_id).first()
    assert contract is not None
    years = (
        await ContractYear.select().where(ContractYear.contract == contract_id).order_by(ContractYear.financial_year)
    )
    clusters = (
        await ContractCluster.select(ContractCluster.cluster.name)
        .where(ContractCluster.contract == contract_id)
        .order_by(ContractCluster.cluster.name)
    )
    kpis = await ContractKpi.select().where(ContractKpi.contract == contract_id).order_by(ContractKpi.position)
    allocations = (
        await ContractAllocation.select(
            ContractAllocation.financial_year, ContractAllocation.cluster.name, ContractAllocation.amount_pence
        )
        .where(ContractAllocation.contract == contract_id)
        .order_by(ContractAllocation.financial_year, ContractAllocation.cluster.name)
    )
    split: dict[str, dict[str, int]] = {}
    for a in allocations:
        split.setdefault(FinancialYear(a["financial_year"]).label, {})[a["cluster.name"]] = int(a["amount_pence"])
    return {
        "start_on": contract["start_on"].isoformat(),
        "end_on": contract["end_on"].isoformat(),
        "annual_values": {FinancialYear(y["financial_year"]).label: int(y["value_pence"]) for y in years},
        "clusters": [c["cluster.name"] for c in clusters],
        "kpis": [
            {"name": k["name"], "target": k["target"], "green_from": k["green_from"], "red_from": k["red_from"]}
            for k in kpis
        ],
        "payment_timing": contract["payment_timing"],
        "allocations": split,
    }
