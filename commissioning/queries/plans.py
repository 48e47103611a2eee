"""Reads of PCPG plans and their priorities (open data)."""

from __future__ import annotations

from typing import Any

from commissioning.schemas import (
    PlanOut,
    PlanPriorityOut,
)
from commissioning.tables import (
    Plan,
    PlanPriority,
    PlanPriorityCluster,
)
from core.i18n import in_reading_language, order_in_reading_language
from core.periods import FinancialYear
from organisations.tables import Cluster


async def list_plans(*, pcpg_ids: list[int] | None = None) -> list[PlanOut]:
    """Plans are public: they say what the PCPG intends to commission and why."""
    query = Plan.select(
        *Plan.all_columns(),
        Plan.pcpg.name.as_alias("pcpg_name"),
        in_reading_language(Plan.pcpg.name, Plan.pcpg.name_cy, alias="pcpg_shown"),
    ).order_by(Plan.first_financial_year, ascending=False)
    if pcpg_ids is not None:
        query = query.where(Plan.pcpg.is_in(pcpg_ids or [-1]))
    plans = await query
    priorities = (
        await PlanPriority.select()
        .where(PlanPriority.plan.is_in([p["id"] for p in plans] or [-1]))
        .order_by(PlanPriority.id)
    )
    links = (
        await PlanPriorityCluster.select(
            PlanPriorityCluster.plan_priority,
            PlanPriorityCluster.cluster,
            PlanPriorityCluster.cluster.name.as_alias("name"),
            in_reading_language(PlanPriorityCluster.cluster.name, PlanPriorityCluster.cluster.name_cy, alias="shown"),
        )
        .where(PlanPriorityCluster.plan_priority.is_in([p["id"] for p in priorities] or [-1]))
        .order_by(order_in_reading_language(PlanPriorityCluster.cluster.name, PlanPriorityCluster.cluster.name_cy))
    )
    by_priority: dict[int, list[dict[str, Any]]] = {}
    for link in links:
        by_priority.setdefault(link["plan_priority"], []).append(link)
    out = []
    for plan in plans:
        first = FinancialYear(plan["first_financial_year"])
        out.append(
            PlanOut(
                id=plan["id"],
                pcpg_id=plan["pcpg"],
                pcpg=plan["pcpg_name"],
                pcpg_shown=plan["pcpg_shown"],
                first_financial_year=plan["first_financial_year"],
                label=f"{first.label} – {FinancialYear(first.start_year + 2).label}",
                title=plan["title"],
                title_cy=plan["title_cy"],
                priorities=[
                    PlanPriorityOut(
                        id=p["id"],
                        plan_id=plan["id"],
                        title=p["title"],
                        title_cy=p["title_cy"],
                        need=p["need"],
                        need_source=p["need_source"],
                        cluster_ids=[c["cluster"] for c in by_priority.get(p["id"], [])],
                        cluster_names=[c["name"] for c in by_priority.get(p["id"], [])],
                        cluster_names_shown=[c["shown"] for c in by_priority.get(p["id"], [])],
                    )
                    for p in priorities
                    if p["plan"] == plan["id"]
                ],
            )
        )
    return out


async def clusters_of(cluster_ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = await Cluster.select(Cluster.id, Cluster.pcpg, Cluster.name).where(Cluster.id.is_in(cluster_ids or [-1]))
    return {row["id"]: row for row in rows}
