"""Writing a return's figures (activity by cluster, KPI values, workforce) in place of those it holds: part of the
operation that saves a draft, uploads a file or records a correction, never on its own."""

from __future__ import annotations

from returns.schemas.returns import ReturnFiguresIn
from returns.tables import ReturnActivity, ReturnKpiValue, ReturnWorkforce


async def replace_figures(return_id: int, figures: ReturnFiguresIn) -> None:
    for table in (ReturnActivity, ReturnKpiValue, ReturnWorkforce):
        await table.delete().where(table.delivery_return == return_id)  # type: ignore[attr-defined]
    if figures.activity:
        await ReturnActivity.insert(
            *[ReturnActivity(delivery_return=return_id, cluster=a.cluster_id, units=a.units) for a in figures.activity]
        )
    if figures.kpi_values:
        await ReturnKpiValue.insert(
            *[
                ReturnKpiValue(delivery_return=return_id, contract_kpi=k.contract_kpi_id, value=k.value)
                for k in figures.kpi_values
            ]
        )
    if figures.workforce:
        await ReturnWorkforce.insert(
            *[
                ReturnWorkforce(delivery_return=return_id, staff_group=w.staff_group, wte=w.wte)
                for w in figures.workforce
            ]
        )
