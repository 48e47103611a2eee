"""Returns for the tests of the commissioner's review: a real contract (tests/contracts_support_lifecycle.py) whose
return is put into "submitted" by writing its rows directly (the figures, a ReturnVersion snapshot of kind
"submitted", the status), as submitting would, so these tests need nothing of the submission's own code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import msgspec

from accounts.actor import Actor, Role
from contracts.tables import Contract, ContractCluster, ContractKpi
from returns.rules import ReturnStatus
from returns.schemas.returns import ActivityIn, KpiValueIn, ReturnFiguresIn, WorkforceIn
from returns.tables import DeliveryReturn, ReturnActivity, ReturnKpiValue, ReturnVersion, ReturnWorkforce
from tests import contracts_support_lifecycle as cs
from tests.conftest import make_actor

SUBMITTED_AT = cs.at(date(2027, 7, 20))
REVIEW_DAY = date(2027, 7, 25)


@dataclass(frozen=True)
class Submitted:
    """A contract's first-quarter return, submitted; the contract's clusters and KPIs in order."""

    contract_id: int
    return_id: int
    vehicle_id: int
    cluster_ids: list[int]
    kpi_ids: list[int]
    commissioner: Actor
    provider: Actor


def figures(
    found: Submitted,
    *,
    spend_pence: int = 24_000_00,
    units: tuple[int, ...] = (120, 80),
    values: tuple[str, ...] = ("40",),
    narrative: str = "Groups ran in both clusters.",
    risks: str = "",
    workforce: dict[str, str] | None = None,
) -> ReturnFiguresIn:
    return ReturnFiguresIn(
        activity=[ActivityIn(cluster_id=c, units=u) for c, u in zip(found.cluster_ids, units, strict=False)],
        spend_pence=spend_pence,
        kpi_values=[KpiValueIn(contract_kpi_id=k, value=v) for k, v in zip(found.kpi_ids, values, strict=False)],
        narrative=narrative,
        risks=risks,
        workforce=[WorkforceIn(staff_group=g, wte=w) for g, w in (workforce or {"nursing_midwifery": "2.5"}).items()],
    )


async def submit(
    found: Submitted, data: ReturnFiguresIn, *, by: Actor | None = None, at: datetime = SUBMITTED_AT
) -> None:
    """As the vehicle submitting (or resubmitting a queried return): figures replaced, version + 1, a snapshot."""
    row = await DeliveryReturn.select().where(DeliveryReturn.id == found.return_id).first()
    assert row is not None
    version = int(row["version"]) + 1
    who = by or found.provider
    for table in (ReturnActivity, ReturnKpiValue, ReturnWorkforce):
        await table.delete().where(table.delivery_return == found.return_id)
    for a in data.activity:
        await ReturnActivity(delivery_return=found.return_id, cluster=a.cluster_id, units=a.units).save()
    for k in data.kpi_values:
        await ReturnKpiValue(delivery_return=found.return_id, contract_kpi=k.contract_kpi_id, value=k.value).save()
    for w in data.workforce:
        await ReturnWorkforce(delivery_return=found.return_id, staff_group=w.staff_group, wte=w.wte).save()
    await DeliveryReturn.update(
        {
            DeliveryReturn.status: ReturnStatus.SUBMITTED.value,
            DeliveryReturn.version: version,
            DeliveryReturn.spend_pence: data.spend_pence,
            DeliveryReturn.narrative: data.narrative,
            DeliveryReturn.risks: data.risks,
            DeliveryReturn.submitted_at: at,
            DeliveryReturn.submitted_by_username: who.username,
        }
    ).where(DeliveryReturn.id == found.return_id)
    await ReturnVersion(
        delivery_return=found.return_id,
        version=version,
        kind="submitted",
        made_at=at,
        made_by_username=who.username,
        figures=msgspec.to_builtins(data),
    ).save()


async def submitted(
    *,
    quarter: int = 1,
    commissioner: Actor | None = None,
    kpi_names: tuple[str, ...] = ("People completing",),
    budget_lines: dict[int, Any] | None = None,
) -> Submitted:
    """A Cardiff contract over Cardiff North and Cardiff South West with one KPI, whose return for `quarter` of
        2027-28 is submitted by a provider user (full name "Rhys Provider") of its vehicle; the clock on REVIEW_DAY. A
    second contract in one test needs `budget_lines={}` (Cardiff's 2027 line is made with the first)."""
    commissioner = commissioner or await make_actor(Role.COMMISSIONER, full_name="Anna Commissioner")
    contract_id = await cs.contract(years=(2027,), commissioner=commissioner, budget_lines=budget_lines)
    for position, name in enumerate(kpi_names):
        await ContractKpi.update(
            {ContractKpi.name: name, ContractKpi.green_from: "40", ContractKpi.red_from: "30"}
        ).where((ContractKpi.contract == contract_id) & (ContractKpi.position == position))
    contract = await Contract.select(Contract.delivery_vehicle).where(Contract.id == contract_id).first()
    assert contract is not None
    vehicle_id = int(contract["delivery_vehicle"])
    provider = await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle_id, full_name="Rhys Provider")
    clusters = await ContractCluster.select(ContractCluster.cluster).where(ContractCluster.contract == contract_id)
    kpis = (
        await ContractKpi.select(ContractKpi.id)
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
    )
    row = (
        await DeliveryReturn.select(DeliveryReturn.id)
        .where((DeliveryReturn.contract == contract_id) & (DeliveryReturn.quarter == quarter))
        .first()
    )
    assert row is not None
    found = Submitted(
        contract_id=contract_id,
        return_id=int(row["id"]),
        vehicle_id=vehicle_id,
        cluster_ids=sorted(int(c["cluster"]) for c in clusters),
        kpi_ids=[int(k["id"]) for k in kpis],
        commissioner=commissioner,
        provider=provider,
    )
    await submit(found, figures(found))
    await cs.clock_on(REVIEW_DAY)
    return found


async def status_of(return_id: int) -> dict[str, Any]:
    row = await DeliveryReturn.select().where(DeliveryReturn.id == return_id).first()
    assert row is not None
    return row
