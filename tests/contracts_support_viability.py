"""Delivery vehicles holding contracts, for the tests of viability (issue 12, item 7): rows as a contract made from
an award leaves them (a Contract and its ContractYear values), in any status, built on the reference data."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts.rules import ContractStatus, held_values
from contracts.tables import ContractYear
from core.periods import FinancialYear
from organisations.tables import Pcpg
from tests import factories


async def vehicle(name: str, *, status: str = "approved") -> int:
    return int((await factories.create_vehicle(name=name, status=status)).id)


async def contract(
    vehicle_id: int,
    years: dict[int, int],
    *,
    status: ContractStatus = ContractStatus.LIVE,
    terminated_on: date | None = None,
    pcpg: str = "Cardiff",
) -> int:
    """A contract of the vehicle over `years` (financial year -> value in pence), its term those years."""
    pcpg_row = await Pcpg.select(Pcpg.id, Pcpg.health_board).where(Pcpg.name == pcpg).first()
    assert pcpg_row is not None
    spec = await factories.save(factories.SpecificationFactory(pcpg=pcpg_row["id"]))
    award = await factories.save(factories.AwardFactory(specification=spec.id, delivery_vehicle=vehicle_id))
    ordered = sorted(years)
    row: Any = await factories.save(
        factories.ContractFactory(
            specification=spec.id,
            award=award.id,
            health_board=pcpg_row["health_board"],
            pcpg=pcpg_row["id"],
            delivery_vehicle=vehicle_id,
            start_on=FinancialYear(ordered[0]).first_day,
            end_on=FinancialYear(ordered[-1]).last_day,
            status=status.value,
            terminated_on=terminated_on,
            total_value_pence=sum(years.values()),
        )
    )
    await ContractYear.insert(
        *[ContractYear(contract=row.id, financial_year=year, value_pence=value) for year, value in years.items()]
    )
    return int(row.id)


async def expected_by_vehicle_and_year() -> dict[tuple[int, int], tuple[int, int]]:
    """From every stored ContractYear, through the pure rule (contracts.rules.held_values): (vehicle, year) ->
    (services, value). What the report's SQL must reconcile with."""
    rows = await ContractYear.select(
        ContractYear.contract,
        ContractYear.financial_year,
        ContractYear.value_pence,
        ContractYear.contract.delivery_vehicle,
        ContractYear.contract.status,
        ContractYear.contract.terminated_on,
    )
    contracts: dict[int, dict[str, Any]] = {}
    for r in rows:
        one = contracts.setdefault(
            r["contract"],
            {
                "vehicle": r["contract.delivery_vehicle"],
                "status": ContractStatus(r["contract.status"]),
                "terminated_on": r["contract.terminated_on"],
                "years": {},
            },
        )
        one["years"][r["financial_year"]] = int(r["value_pence"])
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for one in contracts.values():
        for year, value in held_values(one["years"], one["status"], one["terminated_on"]).items():
            services, total = found.get((one["vehicle"], year), (0, 0))
            found[(one["vehicle"], year)] = (services + 1, total + value)
    return found
