"""How long each vehicle has gone without a red KPI (issue 15, item 5): one statement reads every accepted return of
the vehicles asked about in the window that can count, with its KPI values and their thresholds; the RAG is
returns.rules.kpi_rag and the run is contracts.autonomy_rules.red_free_quarters, so the page and the recompute
read the same numbers the returns pages show."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.autonomy_rules import MAX_RED_FREE_QUARTERS, Quarter, red_free_quarters
from contracts.tables import Contract, ContractKpi
from returns.rules import RAG, ReturnStatus, kpi_rag, threshold
from returns.tables import DeliveryReturn, ReturnKpiValue

_YEARS_BACK = MAX_RED_FREE_QUARTERS // 4 + 1


async def red_free_by_vehicle(vehicle_ids: Sequence[int], last: Quarter) -> dict[int, int]:
    """Consecutive red-free quarters ending with `last`, by vehicle. A half-yearly return, once accepted, counts for
    both quarters it covers; a quarter none of the vehicle's contracts has an accepted return for breaks the run."""
    if not vehicle_ids:
        return {}
    r, c = DeliveryReturn._meta.tablename, Contract._meta.tablename
    v, k = ReturnKpiValue._meta.tablename, ContractKpi._meta.tablename
    marks = ", ".join("{}" for _ in vehicle_ids)
    rows = await DeliveryReturn.raw(
        f'SELECT "c"."delivery_vehicle" AS "vehicle", "r"."financial_year" AS "year", "r"."quarter" AS "quarter", '
        f'"r"."quarters" AS "quarters", "v"."value" AS "value", "k"."direction" AS "direction", '
        f'"k"."green_from" AS "green_from", "k"."red_from" AS "red_from" '
        f'FROM "{r}" AS "r" JOIN "{c}" AS "c" ON "c"."id" = "r"."contract" '
        f'LEFT JOIN "{v}" AS "v" ON "v"."delivery_return" = "r"."id" '
        f'LEFT JOIN "{k}" AS "k" ON "k"."id" = "v"."contract_kpi" '
        f'WHERE "r"."status" = {{}} AND "r"."financial_year" BETWEEN {{}} AND {{}} '
        f'AND "c"."delivery_vehicle" IN ({marks})',
        ReturnStatus.ACCEPTED.value,
        last[0] - _YEARS_BACK,
        last[0],
        *vehicle_ids,
    )
    accepted: dict[int, set[Quarter]] = {vehicle: set() for vehicle in vehicle_ids}
    red: dict[int, set[Quarter]] = {vehicle: set() for vehicle in vehicle_ids}
    for row in rows:
        covered = {_back((int(row["year"]), int(row["quarter"])), i) for i in range(int(row["quarters"] or 1))}
        accepted[row["vehicle"]] |= covered
        if row["value"] is not None and row["direction"] is not None:
            rag = kpi_rag(threshold(row["value"]), row["direction"], row["green_from"], row["red_from"])
            if rag is RAG.RED:
                red[row["vehicle"]] |= covered
    return {vehicle: red_free_quarters(last, accepted[vehicle], red[vehicle]) for vehicle in vehicle_ids}


def _back(quarter: Quarter, steps: int) -> Quarter:
    year, number = quarter
    index = year * 4 + number - 1 - steps
    return (index // 4, index % 4 + 1)
