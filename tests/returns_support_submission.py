"""Returns to fill in, for the tests of submitting (issue 13, item 2): a one-year contract of Cardiff with two
clusters and two KPIs, its vehicle's provider user, and its first quarter's return, with the clock past that quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from accounts.actor import Actor, Role
from contracts.tables import Contract, ContractCluster, ContractKpi
from returns.schemas.returns import ActivityIn, KpiValueIn, ReturnFiguresIn, WorkforceIn
from returns.tables import DeliveryReturn
from tests import contracts_support_lifecycle as cs
from tests.conftest import make_actor

AFTER_Q1 = date(2027, 7, 15)  # quarter 1 of 2027-28 (April to June) is over; its return is due 30 July
IN_Q1 = date(2027, 5, 15)


@dataclass(frozen=True)
class Setting:
    contract_id: int
    return_id: int
    vehicle_id: int
    cluster_ids: list[int]
    kpi_ids: list[int]


async def setting(*, quarter: int = 1, today: date = AFTER_Q1, second: bool = False) -> Setting:
    """`second`: another contract beside the first (its budget lines are the first's, so none of its own)."""
    contract_id = await cs.contract(
        years=(2027,), directions=("higher_is_better", "lower_is_better"), **({"budget_lines": {}} if second else {})
    )
    await cs.clock_on(today)
    contract = await Contract.select(Contract.delivery_vehicle).where(Contract.id == contract_id).first()
    assert contract is not None
    found = (
        await DeliveryReturn.select(DeliveryReturn.id)
        .where((DeliveryReturn.contract == contract_id) & (DeliveryReturn.quarter == quarter))
        .first()
    )
    assert found is not None
    clusters = await ContractCluster.select(ContractCluster.cluster).where(ContractCluster.contract == contract_id)
    kpis = (
        await ContractKpi.select(ContractKpi.id)
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
    )
    return Setting(
        contract_id=contract_id,
        return_id=found["id"],
        vehicle_id=contract["delivery_vehicle"],
        cluster_ids=sorted(c["cluster"] for c in clusters),
        kpi_ids=[k["id"] for k in kpis],
    )


async def provider(s: Setting) -> Actor:
    return await make_actor(Role.PROVIDER, delivery_vehicle_id=s.vehicle_id)


def figures(s: Setting, **changes: Any) -> ReturnFiguresIn:
    """Every figure a return needs: 120 and 80 units, £30,000.00 spent (the quarter's share exactly), both KPIs."""
    whole: dict[str, Any] = {
        "activity": [ActivityIn(cluster_id=c, units=u) for c, u in zip(s.cluster_ids, (120, 80), strict=True)],
        "spend_pence": 30_000_00,
        "kpi_values": [KpiValueIn(contract_kpi_id=k, value=v) for k, v in zip(s.kpi_ids, ("87.5", "12"), strict=True)],
        "narrative": "Clinics ran weekly in both clusters.",
        "risks": "One dietitian post is vacant.",
        "workforce": [WorkforceIn(staff_group="allied_health", wte="2.5")],
    }
    return ReturnFiguresIn(**(whole | changes))


def figures_json(s: Setting, **changes: Any) -> dict[str, Any]:
    import msgspec

    return msgspec.to_builtins(figures(s, **changes))


async def status_of(return_id: int) -> dict[str, Any]:
    row = await DeliveryReturn.select().where(DeliveryReturn.id == return_id).first()
    assert row is not None
    return row
