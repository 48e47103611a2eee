"""PCPG three-year plans and their priorities: written by the PCPG's commissioners, clusters from its footprint."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.queries import plans as plan_queries
from commissioning.schemas import PlanIn, PlanPriorityIn
from commissioning.services import plans
from commissioning.tables import Plan, PlanPriority, PlanPriorityCluster
from core.errors import NotFound, RuleBroken
from tests import commissioning_support as support
from tests import factories
from tests.conftest import make_actor


async def _plan(commissioner: Any, pcpg: str = "Cardiff") -> int:
    return await plans.create_plan(
        actor=commissioner,
        data=PlanIn(
            pcpg_id=await support.pcpg_id(pcpg),
            first_financial_year=2026,
            title="  Cardiff PCPG plan  ",
            title_cy="Cynllun GCC Caerdydd",
        ),
        now=support.now(),
    )


async def _priority_in(*clusters: str, **changes: Any) -> PlanPriorityIn:
    values: dict[str, Any] = {
        "title": "Healthy weight",
        "title_cy": "Pwysau iach",
        "need": "Adult obesity above the Welsh average",
        "need_source": "Cardiff and Vale PNA 2022, section 4",
        "cluster_ids": await factories.cluster_ids(*clusters),
    }
    return PlanPriorityIn(**{**values, **changes})


async def test_a_commissioner_writes_a_three_year_plan_for_their_pcpg(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    plan_id = await _plan(commissioner)
    [plan] = await plan_queries.list_plans()
    assert (plan.id, plan.pcpg, plan.title, plan.title_cy) == (
        plan_id,
        "Cardiff",
        "Cardiff PCPG plan",
        "Cynllun GCC Caerdydd",
    )
    assert plan.label == "2026-27 – 2028-29"
    assert plan.priorities == []
    [event] = await AuditEvent.select().where(AuditEvent.action == "plan.created")
    assert (event["entity_id"], event["pcpg_id"]) == (str(plan_id), await support.pcpg_id("Cardiff"))


async def test_a_priority_records_the_need_its_source_and_the_clusters_concerned():
    commissioner = await make_actor(Role.COMMISSIONER)
    plan_id = await _plan(commissioner)
    priority_id = await plans.add_priority(
        actor=commissioner, plan_id=plan_id, data=await _priority_in("Cardiff West", "Cardiff North"), now=support.now()
    )
    [plan] = await plan_queries.list_plans()
    [priority] = plan.priorities
    assert (priority.id, priority.title, priority.need, priority.need_source) == (
        priority_id,
        "Healthy weight",
        "Adult obesity above the Welsh average",
        "Cardiff and Vale PNA 2022, section 4",
    )
    assert sorted(priority.cluster_names) == ["Cardiff North", "Cardiff West"]
    assert len(await AuditEvent.select().where(AuditEvent.action == "plan_priority.added")) == 1


async def test_plans_can_be_listed_for_one_pcpg():
    await _plan(await make_actor(Role.COMMISSIONER))
    await _plan(await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",)), pcpg="Swansea Bay")
    swansea = await plan_queries.list_plans(pcpg_ids=[await support.pcpg_id("Swansea Bay")])
    assert [plan.pcpg for plan in swansea] == ["Swansea Bay"]
    assert len(await plan_queries.list_plans()) == 2


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.COMMISSIONER, {"pcpg_names": ("Swansea Bay",)}), (Role.NATIONAL_ADMIN, {}), (Role.FINANCE_DIRECTOR, {})],
)
async def test_only_a_commissioner_of_the_pcpg_writes_its_plan(role, scope):
    with pytest.raises(NotFound):
        await _plan(await make_actor(role, **scope))
    assert await Plan.count() == 0
    assert await AuditEvent.count() == 0


async def test_a_commissioner_of_another_pcpg_cannot_add_a_priority():
    plan_id = await _plan(await make_actor(Role.COMMISSIONER))
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    with pytest.raises(NotFound):
        await plans.add_priority(actor=swansea, plan_id=plan_id, data=await _priority_in("Afan"), now=support.now())
    assert await PlanPriority.count() == 0


async def test_a_priority_on_an_unknown_plan_is_not_found():
    commissioner = await make_actor(Role.COMMISSIONER)
    with pytest.raises(NotFound):
        await plans.add_priority(
            actor=commissioner, plan_id=999_999, data=await _priority_in("Cardiff North"), now=support.now()
        )


@pytest.mark.parametrize(
    ("clusters", "message"),
    [
        ((), "Select the clusters concerned"),
        (("Cardiff North", "Afan"), "Every cluster must lie in the PCPG's footprint"),
        (("Central Vale",), "Every cluster must lie in the PCPG's footprint"),
    ],
)
async def test_a_priority_needs_clusters_from_the_pcpgs_footprint_and_nothing_is_written_without(clusters, message):
    commissioner = await make_actor(Role.COMMISSIONER)
    plan_id = await _plan(commissioner)
    events_before = await AuditEvent.count()
    with pytest.raises(RuleBroken) as refused:
        await plans.add_priority(
            actor=commissioner, plan_id=plan_id, data=await _priority_in(*clusters), now=support.now()
        )
    assert (refused.value.field, refused.value.message) == ("cluster_ids", message)
    assert await PlanPriority.count() == 0
    assert await PlanPriorityCluster.count() == 0
    assert await AuditEvent.count() == events_before


async def test_an_unknown_cluster_is_refused():
    commissioner = await make_actor(Role.COMMISSIONER)
    plan_id = await _plan(commissioner)
    with pytest.raises(RuleBroken):
        await plans.add_priority(
            actor=commissioner,
            plan_id=plan_id,
            data=await _priority_in("Cardiff North", cluster_ids=[999_999]),
            now=support.now(),
        )
    assert await PlanPriority.count() == 0
