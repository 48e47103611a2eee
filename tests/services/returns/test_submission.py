"""Filling in and submitting a delivery return (issue 13, item 2), on the real database: what is saved, what is
refused (and that a refusal saves nothing), the version and its snapshot, the audit trail."""

from __future__ import annotations

import json

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from core.errors import Conflict, NotFound, RuleBroken
from returns.rules import ReturnStatus
from returns.schemas.returns import ActivityIn, KpiValueIn, WorkforceIn
from returns.services.submission import save_draft, submit_return
from returns.tables import DeliveryReturn, ReturnActivity, ReturnKpiValue, ReturnVersion
from tests import contracts_support_lifecycle as cs
from tests import returns_support_submission as rs
from tests.conftest import make_actor

NOW = cs.at(rs.AFTER_Q1)


async def test_a_draft_keeps_the_figures_and_submitting_makes_version_1_with_its_snapshot():
    s = await rs.setting()
    actor = await rs.provider(s)
    assert await save_draft(actor=actor, return_id=s.return_id, figures=rs.figures(s), now=NOW) is ReturnStatus.DRAFT
    row = await rs.status_of(s.return_id)
    assert (row["status"], row["version"], row["spend_pence"]) == ("draft", 0, 30_000_00)
    units = await ReturnActivity.select(ReturnActivity.cluster, ReturnActivity.units).where(
        ReturnActivity.delivery_return == s.return_id
    )
    assert sorted((u["cluster"], u["units"]) for u in units) == list(zip(s.cluster_ids, (120, 80), strict=True))

    assert await submit_return(actor=actor, return_id=s.return_id, now=NOW) == 1
    row = await rs.status_of(s.return_id)
    assert (row["status"], row["version"], row["submitted_by_username"]) == ("submitted", 1, actor.username)
    version = await ReturnVersion.select().where(ReturnVersion.delivery_return == s.return_id).first()
    assert version is not None and (version["version"], version["kind"]) == (1, "submitted")
    snapshot = version["figures"] if isinstance(version["figures"], dict) else json.loads(version["figures"])
    assert snapshot["spend_pence"] == 30_000_00
    assert {k["value"] for k in snapshot["kpi_values"]} == {"87.5", "12"}
    actions = [e["action"] for e in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.sequence)]
    assert actions[-2:] == ["delivery_return.saved", "delivery_return.submitted"]


async def test_a_submitted_return_can_no_longer_be_saved_or_submitted_again():
    s = await rs.setting()
    actor = await rs.provider(s)
    await save_draft(actor=actor, return_id=s.return_id, figures=rs.figures(s), now=NOW)
    await submit_return(actor=actor, return_id=s.return_id, now=NOW)
    with pytest.raises(Conflict):
        await save_draft(actor=actor, return_id=s.return_id, figures=rs.figures(s), now=NOW)
    with pytest.raises(Conflict):
        await submit_return(actor=actor, return_id=s.return_id, now=NOW)
    assert (await rs.status_of(s.return_id))["version"] == 1


async def test_bad_figures_are_refused_each_by_name_and_nothing_is_saved():
    s = await rs.setting()
    actor = await rs.provider(s)
    bad = rs.figures(
        s,
        kpi_values=[
            KpiValueIn(contract_kpi_id=s.kpi_ids[0], value="eighty"),
            KpiValueIn(contract_kpi_id=999999, value="1"),
        ],
        workforce=[WorkforceIn(staff_group="allied_health", wte="-1"), WorkforceIn(staff_group="wizards", wte="1")],
        activity=[ActivityIn(cluster_id=999999, units=3)],
    )
    with pytest.raises(RuleBroken) as refused:
        await save_draft(actor=actor, return_id=s.return_id, figures=bad, now=NOW)
    problems = refused.value.params["problems"]
    assert set(problems) == {
        f"kpi:{s.kpi_ids[0]}",
        "kpi:999999",
        "workforce:allied_health",
        "workforce:wizards",
        "activity:999999",
    }
    assert "KPI 1" in problems[f"kpi:{s.kpi_ids[0]}"]
    assert (await rs.status_of(s.return_id))["status"] == "not_started"
    assert await ReturnKpiValue.count().where(ReturnKpiValue.delivery_return == s.return_id) == 0


async def test_submitting_needs_every_kpi_every_clusters_activity_and_the_spend():
    s = await rs.setting()
    actor = await rs.provider(s)
    partial = rs.figures(
        s,
        activity=[ActivityIn(cluster_id=s.cluster_ids[0], units=5)],
        kpi_values=[KpiValueIn(contract_kpi_id=s.kpi_ids[0], value="90")],
        spend_pence=None,
    )
    await save_draft(actor=actor, return_id=s.return_id, figures=partial, now=NOW)
    with pytest.raises(RuleBroken) as refused:
        await submit_return(actor=actor, return_id=s.return_id, now=NOW)
    problems = refused.value.params["problems"]
    assert set(problems) == {f"activity:{s.cluster_ids[1]}", "spend_pence", f"kpi:{s.kpi_ids[1]}"}
    assert "KPI 2" in problems[f"kpi:{s.kpi_ids[1]}"]
    row = await rs.status_of(s.return_id)
    assert (row["status"], row["version"]) == ("draft", 0)
    assert await ReturnVersion.count().where(ReturnVersion.delivery_return == s.return_id) == 0


async def test_a_return_cannot_be_submitted_before_its_quarter_is_over():
    s = await rs.setting(today=rs.IN_Q1)
    actor = await rs.provider(s)
    now = cs.at(rs.IN_Q1)
    await save_draft(actor=actor, return_id=s.return_id, figures=rs.figures(s), now=now)
    with pytest.raises(RuleBroken) as refused:
        await submit_return(actor=actor, return_id=s.return_id, now=now)
    assert refused.value.message.startswith("You can submit this return once its quarter is over")
    assert (await rs.status_of(s.return_id))["status"] == "draft"
    # the day after the quarter ends, it can
    assert await submit_return(actor=actor, return_id=s.return_id, now=cs.at(rs.AFTER_Q1)) == 1


async def test_another_vehicles_user_and_a_commissioner_find_no_such_return():
    s = await rs.setting()
    other = await make_actor(Role.PROVIDER, delivery_vehicle_id=(await rs.setting(second=True)).vehicle_id)
    commissioner = await make_actor(Role.COMMISSIONER)
    for actor in (other, commissioner):
        with pytest.raises(NotFound):
            await save_draft(actor=actor, return_id=s.return_id, figures=rs.figures(s), now=NOW)
        with pytest.raises(NotFound):
            await submit_return(actor=actor, return_id=s.return_id, now=NOW)
    assert (await rs.status_of(s.return_id))["status"] == "not_started"


async def test_a_queried_return_stays_queried_while_it_is_corrected_then_is_version_2():
    s = await rs.setting()
    actor = await rs.provider(s)
    await save_draft(actor=actor, return_id=s.return_id, figures=rs.figures(s), now=NOW)
    await submit_return(actor=actor, return_id=s.return_id, now=NOW)
    await DeliveryReturn.update({DeliveryReturn.status: "queried"}).where(DeliveryReturn.id == s.return_id)
    corrected = rs.figures(s, spend_pence=31_000_00)
    assert await save_draft(actor=actor, return_id=s.return_id, figures=corrected, now=NOW) is ReturnStatus.QUERIED
    assert await submit_return(actor=actor, return_id=s.return_id, now=NOW) == 2
    assert await ReturnVersion.count().where(ReturnVersion.delivery_return == s.return_id) == 2
