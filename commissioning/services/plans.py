"""PCPG plans and their priorities: the need that specifications answer."""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor, Role
from audit.operation import operation
from commissioning.queries.plans import clusters_of
from commissioning.schemas import PlanIn, PlanPriorityIn
from commissioning.tables import Plan, PlanPriority, PlanPriorityCluster
from core.errors import NotFound, RuleBroken


def _check_pcpg(actor: Actor, pcpg_id: int) -> None:
    if actor.role is not Role.COMMISSIONER or pcpg_id not in actor.pcpg_ids:
        raise NotFound("No such PCPG")


async def create_plan(*, actor: Actor, data: PlanIn, now: datetime) -> int:
    _check_pcpg(actor, data.pcpg_id)
    async with operation("plan.created", actor=actor, now=now) as op:
        plan = Plan(
            pcpg=data.pcpg_id,
            first_financial_year=data.first_financial_year,
            title=data.title.strip(),
            title_cy=data.title_cy.strip(),
            created_at=now,
            created_by_username=actor.username,
        )
        await plan.save()
        op.record(
            "Plan",
            plan.id,
            after={"title": plan.title, "first_financial_year": data.first_financial_year},
            pcpg_id=data.pcpg_id,
        )
    return int(plan.id)


async def add_priority(*, actor: Actor, plan_id: int, data: PlanPriorityIn, now: datetime) -> int:
    async with operation("plan_priority.added", actor=actor, now=now) as op:
        plan = await Plan.select().where(Plan.id == plan_id).first()
        if plan is None:
            raise NotFound("No such plan")
        _check_pcpg(actor, plan["pcpg"])
        clusters = await clusters_of(data.cluster_ids)
        if not data.cluster_ids or len(clusters) != len(set(data.cluster_ids)):
            raise RuleBroken("Select the clusters concerned", field="cluster_ids")
        if any(c["pcpg"] != plan["pcpg"] for c in clusters.values()):
            raise RuleBroken("Every cluster must lie in the PCPG's footprint", field="cluster_ids")
        priority = PlanPriority(
            plan=plan_id,
            title=data.title.strip(),
            title_cy=data.title_cy.strip(),
            need=data.need.strip(),
            need_source=data.need_source.strip(),
            created_at=now,
            created_by_username=actor.username,
        )
        await priority.save()
        await PlanPriorityCluster.insert(
            *[PlanPriorityCluster(plan_priority=priority.id, cluster=c) for c in sorted(set(data.cluster_ids))]
        )
        op.record(
            "PlanPriority",
            priority.id,
            after={"title": priority.title, "need": priority.need, "cluster_ids": sorted(set(data.cluster_ids))},
            pcpg_id=plan["pcpg"],
        )
    return int(priority.id)
