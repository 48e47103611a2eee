"""Making the contract when an award is confirmed: the health board is the party, the PCPG manages it.

The contract takes from its specification the clusters it covers, the KPIs and the menu service version (the line
of sight), pays each year's value quarterly, splits it across the clusters by population and commits it on the
budget lines with that split (issue 12, items 1 to 3).
"""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor
from audit.operation import operation
from commissioning.tables import Specification, SpecificationCluster, SpecificationKpi
from contracts import rules
from contracts.queries import snapshot
from contracts.rules import ContractStatus, PaymentTiming
from contracts.schemas.making import ContractIn
from contracts.services import parts
from contracts.tables import Contract, ContractCluster, ContractKpi, ContractYear
from core.db import serialise
from core.periods import FinancialYear
from finance import services as finance_services
from finance.schemas import EarmarkRequest
from returns.services.schedule import sync_returns


async def make_contract(*, actor: Actor, contract: ContractIn, now: datetime) -> int:
    """The term runs from the first year's 1 April to the last year's 31 March; the specification's earmarks are
    released and each year's value with a budget line is committed on it. Where a covered cluster has no known
    population the split waits for the commissioner (`contracts.services.allocations`), and the commitments carry
    no split until then."""
    years = sorted(contract.years, key=lambda year: year.financial_year)
    values = {year.financial_year: year.value_pence for year in years}
    async with operation("contract.made", actor=actor, now=now) as op:
        await serialise(7_245_201)  # contract references are numbered in order, one writer at a time
        count = await Contract.count()
        spec = (
            await Specification.select(Specification.menu_service_version)
            .where(Specification.id == contract.specification_id)
            .first()
        )
        row = Contract(
            reference=f"CON-{years[0].financial_year}-{count + 1:04d}",
            specification=contract.specification_id,
            award=contract.award_id,
            health_board=contract.health_board_id,
            pcpg=contract.pcpg_id,
            delivery_vehicle=contract.delivery_vehicle_id,
            title=contract.title,
            title_cy=contract.title_cy,
            start_on=FinancialYear(years[0].financial_year).first_day,
            end_on=FinancialYear(years[-1].financial_year).last_day,
            status=ContractStatus.MOBILISING,
            total_value_pence=sum(values.values()),
            made_at=now,
            made_by_username=actor.username,
            menu_service_version=spec["menu_service_version"] if spec else None,
            payment_timing=PaymentTiming.IN_ARREARS,
            status_changed_at=now,
        )
        await row.save()
        contract_id = int(row.id)
        await ContractYear.insert(
            *[
                ContractYear(
                    contract=contract_id,
                    financial_year=year.financial_year,
                    value_pence=year.value_pence,
                    budget_line=year.budget_line_id,
                )
                for year in years
            ]
        )
        cluster_ids = [
            r["cluster"]
            for r in await SpecificationCluster.select(SpecificationCluster.cluster)
            .where(SpecificationCluster.specification == contract.specification_id)
            .order_by(SpecificationCluster.cluster)
        ]
        if cluster_ids:
            await ContractCluster.insert(*[ContractCluster(contract=contract_id, cluster=c) for c in cluster_ids])
        kpis = await SpecificationKpi.select().where(SpecificationKpi.specification == contract.specification_id)
        if kpis:
            await ContractKpi.insert(
                *[
                    ContractKpi(
                        contract=contract_id,
                        position=kpi["position"],
                        name=kpi["name"],
                        name_cy=kpi["name_cy"],
                        unit=kpi["unit"],
                        direction=kpi["direction"],
                        baseline=kpi["baseline"],
                        target=kpi["target"],
                    )
                    for kpi in kpis
                ]
            )
        await parts.save_payments(contract_id, rules.payment_schedule(values, PaymentTiming.IN_ARREARS))
        populations = await snapshot.cluster_populations(cluster_ids)
        allocations = (
            rules.allocate_by_population(values, populations)
            if populations and not rules.clusters_without_population(populations)
            else []
        )
        await parts.save_allocations(contract_id, allocations)
        await finance_services.release_earmarks(actor=actor, specification_id=contract.specification_id, now=now)
        requests = [
            EarmarkRequest(
                budget_line_id=year.budget_line_id, financial_year=year.financial_year, amount_pence=year.value_pence
            )
            for year in years
            if year.budget_line_id is not None
        ]
        if requests:  # a contract whose years name no budget line commits nothing (and Piccolo cannot insert no rows)
            await finance_services.commit_budget(
                actor=actor,
                contract_id=contract_id,
                requests=requests,
                now=now,
                splits=parts.splits_of(allocations),
            )
        await parts.save_version(contract_id, version=1, made_at=now, made_by=actor.username, variation_id=None)
        await sync_returns(actor=actor, contract_id=contract_id, now=now)
        op.record(
            "Contract",
            contract_id,
            after={
                "reference": row.reference,
                "specification_id": contract.specification_id,
                "delivery_vehicle_id": contract.delivery_vehicle_id,
                "total_value_pence": row.total_value_pence,
                "start_on": row.start_on,
                "end_on": row.end_on,
            },
            pcpg_id=contract.pcpg_id,
            health_board_id=contract.health_board_id,
        )
    return contract_id
