"""Accepted (and not yet accepted) returns for the outcomes tests, written straight to the tables: submission and review
are other parts of issue 13, and outcomes only read what an accepted return holds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from contracts.tables import Contract, ContractKpi
from menu.tables import MenuKpi
from returns.rules import ReturnStatus
from returns.tables import DeliveryReturn, ReturnActivity, ReturnKpiValue
from tests import factories


async def kpi_ids(contract_id: int) -> list[int]:
    rows = (
        await ContractKpi.select(ContractKpi.id)
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
    )
    return [row["id"] for row in rows]


async def set_thresholds(contract_id: int, *, green_from: str, red_from: str, target: str = "") -> None:
    await ContractKpi.update(
        {ContractKpi.green_from: green_from, ContractKpi.red_from: red_from, ContractKpi.target: target}
    ).where(ContractKpi.contract == contract_id)


async def report(
    contract_id: int,
    values: Mapping[tuple[int, int], Any],
    *,
    status: ReturnStatus = ReturnStatus.ACCEPTED,
    activity: Mapping[tuple[int, int], Mapping[int, int]] | None = None,
) -> None:
    """Give the contract's returns for these (financial year, quarter)s this status and its first KPI these values
    (replacing any; a value of None leaves none); `activity` gives units by cluster id."""
    (first, *_) = await kpi_ids(contract_id)
    for (year, quarter), value in values.items():
        row = (
            await DeliveryReturn.select(DeliveryReturn.id)
            .where(
                (DeliveryReturn.contract == contract_id)
                & (DeliveryReturn.financial_year == year)
                & (DeliveryReturn.quarter == quarter)
            )
            .first()
        )
        assert row is not None, (year, quarter)
        await DeliveryReturn.update({DeliveryReturn.status: status, DeliveryReturn.version: 1}).where(
            DeliveryReturn.id == row["id"]
        )
        await ReturnKpiValue.delete().where(
            (ReturnKpiValue.delivery_return == row["id"]) & (ReturnKpiValue.contract_kpi == first)
        )
        if value is not None:
            await ReturnKpiValue.insert(ReturnKpiValue(delivery_return=row["id"], contract_kpi=first, value=str(value)))
        for cluster_id, units in ((activity or {}).get((year, quarter)) or {}).items():
            await ReturnActivity.insert(ReturnActivity(delivery_return=row["id"], cluster=cluster_id, units=units))


def quarters(years: Sequence[int]) -> list[tuple[int, int]]:
    return [(year, quarter) for year in years for quarter in (1, 2, 3, 4)]


async def same_service(*contract_ids: int, code: str = "seen_in_two_days", name: str = "KPI 1") -> int:
    """Make these contracts deliver one menu service, whose menu suggests the KPI named `name` under `code`; returns
    the service's id."""
    version = await factories.save(factories.MenuServiceVersionFactory())
    await MenuKpi.insert(
        MenuKpi(
            menu_service_version=version.id,
            position=0,
            code=code,
            name=name,
            name_cy="DPA 1",
            unit="percent",
            direction="higher_is_better",
        )
    )
    await Contract.update({Contract.menu_service_version: version.id}).where(Contract.id.is_in(list(contract_ids)))
    return int(version.menu_service)
