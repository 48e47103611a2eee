"""A delivery vehicle serving Cardiff North with a year's contract of the Cardiff PCPG, its manager and a Cardiff
commissioner: what the tests of earned autonomy (issue 15, item 5) start from."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from accounts.actor import Actor, Role
from contracts.tables import Contract
from returns.tables import DeliveryReturn
from tests import contracts_support_lifecycle as cs
from tests import factories
from tests.conftest import make_actor

IN_Q1 = cs.at(date(2027, 5, 10))  # Q1 2027-28: a decision takes effect from Q2


class Vehicle(NamedTuple):
    id: int
    contract_id: int
    manager: Actor
    commissioner: Actor


async def vehicle(username: str = "vehicle-manager") -> Vehicle:
    commissioner = await make_actor(Role.COMMISSIONER, username=f"{username}-commissioner")
    contract_id = await cs.contract(years=(2027,), commissioner=commissioner)
    row = await Contract.select(Contract.delivery_vehicle).where(Contract.id == contract_id).first()
    assert row is not None
    vehicle_id = int(row["delivery_vehicle"])
    for cluster_id in await factories.cluster_ids("Cardiff North"):
        await factories.save(factories.DeliveryVehicleClusterFactory(delivery_vehicle=vehicle_id, cluster=cluster_id))
    manager = await make_actor(Role.PROVIDER, username=username, delivery_vehicle_id=vehicle_id)
    return Vehicle(vehicle_id, contract_id, manager, commissioner)


async def returns_of(contract_id: int) -> list[tuple[int, int, bool, str]]:
    """(quarter, quarters covered, light, status) of each return, in order."""
    rows = (
        await DeliveryReturn.select()
        .where(DeliveryReturn.contract == contract_id)
        .order_by(DeliveryReturn.financial_year)
        .order_by(DeliveryReturn.quarter)
    )
    return [(int(r["quarter"]), int(r["quarters"]), bool(r["light"]), r["status"]) for r in rows]


async def tier_row(vehicle_id: int, tier: str, quarter: tuple[int, int], source: str = "computed") -> Any:
    return await factories.save(
        factories.VehicleTierFactory(
            delivery_vehicle=vehicle_id,
            tier=tier,
            financial_year=quarter[0],
            quarter=quarter[1],
            source=source,
            decided_by_username="" if source == "computed" else "commissioner",
        )
    )
