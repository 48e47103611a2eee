"""A contract of one vehicle with its users, for the tests of return reminders and performance ratings (issue 13,
items 6 and 7): made by the real make_contract, so its returns follow the real reporting schedule (2027-28's first
quarter is due Friday 30 July 2027)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from accounts.actor import Actor, Role
from contracts.tables import Contract, ContractKpi
from notifications.tables import Notification
from returns.rules import ReturnStatus
from returns.tables import DeliveryReturn, ReturnKpiValue
from tests import contracts_support_lifecycle as cs
from tests.conftest import make_actor

Q1_DUE = date(2027, 7, 30)


@dataclass(frozen=True)
class Held:
    contract_id: int
    vehicle_id: int
    english: Actor
    welsh: Actor


async def held(
    *,
    years: tuple[int, ...] = (2027,),
    directions: tuple[str, ...] = ("higher_is_better",),
    budget_lines: dict[int, Any] | None = None,
) -> Held:
    """A Cardiff contract and two users of its vehicle: one reading in English, one in Welsh. A second contract needs
    `budget_lines={}` (Cardiff's lines are made once)."""
    contract_id = await cs.contract(years=years, directions=directions, budget_lines=budget_lines)
    row = await Contract.select(Contract.delivery_vehicle).where(Contract.id == contract_id).first()
    assert row is not None
    vehicle_id = row["delivery_vehicle"]
    english = await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle_id, language="en")
    welsh = await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle_id, language="cy")
    return Held(contract_id, vehicle_id, english, welsh)


async def return_id(contract_id: int, year: int = 2027, quarter: int = 1) -> int:
    row = (
        await DeliveryReturn.select(DeliveryReturn.id)
        .where(
            (DeliveryReturn.contract == contract_id)
            & (DeliveryReturn.financial_year == year)
            & (DeliveryReturn.quarter == quarter)
        )
        .first()
    )
    assert row is not None
    return int(row["id"])


async def set_return_status(contract_id: int, status: ReturnStatus, year: int = 2027, quarter: int = 1) -> None:
    await DeliveryReturn.update({DeliveryReturn.status: status.value}).where(
        DeliveryReturn.id == await return_id(contract_id, year, quarter)
    )


async def notices(user_id: int | None = None) -> list[dict[str, Any]]:
    query = Notification.select().order_by(Notification.id)
    if user_id is not None:
        query = query.where(Notification.user == user_id)
    return list(await query)


async def kpis(contract_id: int) -> list[int]:
    rows = (
        await ContractKpi.select(ContractKpi.id)
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
    )
    return [row["id"] for row in rows]


async def set_thresholds(contract_id: int, green_from: str = "80", red_from: str = "60") -> None:
    await ContractKpi.update({ContractKpi.green_from: green_from, ContractKpi.red_from: red_from}).where(
        ContractKpi.contract == contract_id
    )


async def accepted(contract_id: int, values: dict[int, str], year: int = 2027, kpi_index: int = 0) -> None:
    """Each quarter's value of one KPI, on a return marked accepted."""
    kpi_id = (await kpis(contract_id))[kpi_index]
    for quarter, value in values.items():
        rid = await return_id(contract_id, year, quarter)
        await DeliveryReturn.update({DeliveryReturn.status: ReturnStatus.ACCEPTED.value}).where(
            DeliveryReturn.id == rid
        )
        await ReturnKpiValue.insert(ReturnKpiValue(delivery_return=rid, contract_kpi=kpi_id, value=value))
