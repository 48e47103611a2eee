"""The plan priorities and specifications in a line of sight (issue 15, item 2): those of some PCPGs (or naming one
cluster). A specification comes with the plan priority it answers and its status as the clock reads it; drafts are
in it (a priority being answered is not a gap), cancelled ones are not (they answer nothing). The caller has scoped
the PCPGs (lineofsight/scope.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from commissioning import rules
from commissioning.rules import SpecificationStatus
from commissioning.tables import PlanPriority, PlanPriorityCluster, Specification, SpecificationCluster
from core.i18n import gettext, in_reading_language
from core.periods import FinancialYear

PLAN_YEARS = 3


class SpecificationSightOut(msgspec.Struct, kw_only=True):
    specification_id: int
    reference: str
    title: str
    status: SpecificationStatus
    status_label: str
    status_tag: str
    plan_priority_id: int | None
    pcpg_id: int
    cluster_ids: list[int]


async def specifications_in_sight(
    *, pcpg_ids: list[int], cluster_id: int | None, now: datetime
) -> list[SpecificationSightOut]:
    """In reference order. Two statements."""
    s: Any = Specification
    condition = Specification.pcpg.is_in(pcpg_ids or [-1]) & (
        Specification.status != SpecificationStatus.CANCELLED.value
    )
    if cluster_id is not None:
        covering = SpecificationCluster.select(SpecificationCluster.specification).where(
            SpecificationCluster.cluster == cluster_id
        )
        condition &= Specification.id.is_in(covering)
    rows = (
        await Specification.select(
            Specification.id,
            Specification.reference,
            in_reading_language(s.title, s.title_cy, alias="shown"),
            Specification.status,
            Specification.bid_deadline_at,
            Specification.plan_priority,
            Specification.pcpg,
        )
        .where(condition)
        .order_by(Specification.reference)
    )
    clusters: dict[int, list[int]] = {}
    for link in await SpecificationCluster.select(
        SpecificationCluster.specification, SpecificationCluster.cluster
    ).where(SpecificationCluster.specification.is_in([row["id"] for row in rows] or [-1])):
        clusters.setdefault(link["specification"], []).append(link["cluster"])
    out = []
    for row in rows:
        status = rules.effective_status(row["status"], row["bid_deadline_at"], now)
        out.append(
            SpecificationSightOut(
                specification_id=row["id"],
                reference=row["reference"],
                title=row["shown"],
                status=status,
                status_label=gettext(status.label),
                status_tag=status.tag,
                plan_priority_id=row["plan_priority"],
                pcpg_id=row["pcpg"],
                cluster_ids=sorted(clusters.get(row["id"], [])),
            )
        )
    return out


class PrioritySightOut(msgspec.Struct, kw_only=True):
    plan_priority_id: int
    title: str
    plan: str  # the plan's title and years, in the reader's language
    pcpg_id: int
    cluster_ids: list[int]


async def priorities_in_sight(
    *, pcpg_ids: list[int], cluster_id: int | None, financial_year: int
) -> list[PrioritySightOut]:
    """The priorities of the PCPGs' plans covering the financial year (a plan runs three years from its first), those
    naming the cluster when one is asked for; in the order they were set. Two statements."""
    p: Any = PlanPriority
    condition = (
        p.plan.pcpg.is_in(pcpg_ids or [-1])
        & (p.plan.first_financial_year <= financial_year)
        & (p.plan.first_financial_year >= financial_year - PLAN_YEARS + 1)
    )
    if cluster_id is not None:
        condition &= PlanPriority.id.is_in(
            PlanPriorityCluster.select(PlanPriorityCluster.plan_priority).where(
                PlanPriorityCluster.cluster == cluster_id
            )
        )
    rows = (
        await PlanPriority.select(
            PlanPriority.id,
            in_reading_language(p.title, p.title_cy, alias="shown"),
            in_reading_language(p.plan.title, p.plan.title_cy, alias="plan_shown"),
            p.plan.first_financial_year.as_alias("first_year"),
            p.plan.pcpg.as_alias("pcpg"),
        )
        .where(condition)
        .order_by(PlanPriority.id)
    )
    clusters: dict[int, list[int]] = {}
    for link in await PlanPriorityCluster.select(PlanPriorityCluster.plan_priority, PlanPriorityCluster.cluster).where(
        PlanPriorityCluster.plan_priority.is_in([row["id"] for row in rows] or [-1])
    ):
        clusters.setdefault(link["plan_priority"], []).append(link["cluster"])
    return [
        PrioritySightOut(
            plan_priority_id=row["id"],
            title=row["shown"],
            plan=f"{row['plan_shown']}, {FinancialYear(row['first_year']).label} – "
            f"{FinancialYear(row['first_year'] + PLAN_YEARS - 1).label}",
            pcpg_id=row["pcpg"],
            cluster_ids=sorted(clusters.get(row["id"], [])),
        )
        for row in rows
    ]
