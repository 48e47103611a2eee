"""Each contract's outcomes for the line of sight (issue 15, item 2): every KPI's RAG in its latest accepted quarter up
to the end of a financial year, and its trend the NHS "Making Data Count" way (returns/spc.py, the variation icon of
the accepted quarters in order). Two statements whatever the number of contracts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from accounts.actor import Actor
from contracts.tables import ContractKpi
from core.i18n import N_, gettext, in_reading_language
from returns import rules, spc
from returns.queries.outcomes import quarter_label
from returns.queries.scope import read_scope, scoped
from returns.rules import RAG, ReturnStatus
from returns.tables import ReturnKpiValue

NO_TREND = N_("Not enough quarters for a trend yet")


class KpiSightOut(msgspec.Struct, kw_only=True):
    contract_kpi_id: int
    name: str
    rag: RAG
    rag_label: str
    rag_tag: str
    period: str | None  # the quarter the RAG is read in; None when no accepted return has a value
    value: Decimal | None
    trend: spc.VariationIcon | None  # None until two accepted quarters give process limits
    trend_label: str


async def kpi_sight(*, actor: Actor, contract_ids: list[int], up_to_year: int) -> dict[int, list[KpiSightOut]]:
    """The KPIs of each contract asked for, in the contract's order."""
    if not contract_ids:
        return {}
    k: Any = ContractKpi
    kpis = (
        await ContractKpi.select(*ContractKpi.all_columns(), in_reading_language(k.name, k.name_cy, alias="shown"))
        .where(ContractKpi.contract.is_in(contract_ids))
        .order_by(ContractKpi.contract)
        .order_by(ContractKpi.position)
        .order_by(ContractKpi.id)
    )
    v: Any = ReturnKpiValue
    readings: dict[int, list[tuple[int, int, Decimal | None]]] = {}
    for row in await scoped(
        ReturnKpiValue.select(
            ReturnKpiValue.contract_kpi,
            ReturnKpiValue.value,
            v.delivery_return.financial_year.as_alias("financial_year"),
            v.delivery_return.quarter.as_alias("quarter"),
        ).where(
            v.delivery_return.contract.is_in(contract_ids)
            & (v.delivery_return.status == ReturnStatus.ACCEPTED.value)
            & (v.delivery_return.financial_year <= up_to_year)
        ),
        read_scope(actor, v.delivery_return),
    ):
        readings.setdefault(row["contract_kpi"], []).append(
            (row["financial_year"], row["quarter"], rules.threshold(row["value"]))
        )
    out: dict[int, list[KpiSightOut]] = {contract_id: [] for contract_id in contract_ids}
    for kpi in kpis:
        found = sorted(readings.get(kpi["id"], []))
        latest = rules.latest_rag(found, kpi["direction"], kpi["green_from"], kpi["red_from"])
        rag = latest[3] if latest else RAG.NOT_RATED
        series = [(quarter_label(year, quarter), value) for year, quarter, value in found]
        trend = spc.spc(series, kpi["direction"]).variation_icon if series else None
        out[kpi["contract"]].append(
            KpiSightOut(
                contract_kpi_id=kpi["id"],
                name=kpi["shown"],
                rag=rag,
                rag_label=gettext(rag.label),
                rag_tag=rag.tag,
                period=quarter_label(latest[0], latest[1]) if latest else None,
                value=latest[2] if latest else None,
                trend=trend,
                trend_label=gettext(trend.label) if trend else gettext(NO_TREND),
            )
        )
    return out
