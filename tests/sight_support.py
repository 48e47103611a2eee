"""A line of sight to follow: the spend world (tests/spend_support.py) with Cardiff's plan for 2027-28, a priority
answered by the weight management contract's specification and one answered by nothing, a draft specification with
no contract, the contracts' years and clusters, and the weight contract's KPI rated red in its latest accepted
quarter after two green ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commissioning.tables import Specification
from contracts.tables import Contract
from organisations.tables import Pcpg
from tests import factories
from tests import spend_support as spend


@dataclass
class SightWorld:
    spend: spend.SpendWorld
    cardiff: int
    answered: int  # the plan priority the weight contract's specification answers
    unanswered: int  # a plan priority with no specification
    draft: int  # a draft specification answering `answered`, with no contract
    weight_kpi: int


async def _specification(contract_id: int) -> int:
    row = await Contract.select(Contract.specification).where(Contract.id == contract_id).first()
    assert row is not None
    return int(row["specification"])


async def build_sight_world() -> SightWorld:
    world = await spend.build_spend_world()
    cardiff = await Pcpg.select(Pcpg.id).where(Pcpg.name == "Cardiff").first()
    assert cardiff is not None
    plan = await factories.save(
        factories.PlanFactory(pcpg=cardiff["id"], first_financial_year=2027, title="Cardiff plan")
    )
    answered = await factories.save(factories.PlanPriorityFactory(plan=plan.id, title="Fewer adults obese"))
    unanswered = await factories.save(factories.PlanPriorityFactory(plan=plan.id, title="Fewer falls at home"))
    weight = world.contracts["weight"]
    await Specification.update({Specification.plan_priority: answered.id}).where(
        Specification.id == await _specification(weight)
    )
    draft = await factories.save(
        factories.SpecificationFactory(pcpg=cardiff["id"], plan_priority=answered.id, title="Weight, phase two")
    )
    for name, contract in world.contracts.items():
        await Specification.update({Specification.status: "awarded"}).where(
            Specification.id == await _specification(contract)
        )
        await factories.save(factories.ContractYearFactory(contract=contract, financial_year=2027))
        clusters = {
            "weight": ("Cardiff North", "Cardiff East", "Cardiff South West"),
            "falls": ("Cardiff North", "Cardiff East"),
            "vale": ("Central Vale",),
            "swansea": (),
        }[name]
        for cluster in clusters:
            await factories.save(factories.ContractClusterFactory(contract=contract, cluster=world.clusters[cluster]))
            await factories.save(
                factories.SpecificationClusterFactory(
                    specification=await _specification(contract), cluster=world.clusters[cluster]
                )
            )
    kpi = await factories.save(
        factories.ContractKpiFactory(contract=weight, green_from="80", red_from="50", name="People completing")
    )
    for quarter, value in ((1, "85"), (2, "90"), (3, "40")):
        delivered = await factories.save(
            factories.DeliveryReturnFactory(
                contract=weight,
                financial_year=2027,
                quarter=quarter,
                status="accepted",
                period_from=date(2027, 3 * quarter + 1, 1),
                period_to=date(2027, 3 * quarter + 3, 28),
            )
        )
        await factories.save(
            factories.ReturnKpiValueFactory(delivery_return=delivered.id, contract_kpi=kpi.id, value=value)
        )
    return SightWorld(
        spend=world,
        cardiff=int(cardiff["id"]),
        answered=int(answered.id),
        unanswered=int(unanswered.id),
        draft=int(draft.id),
        weight_kpi=int(kpi.id),
    )
