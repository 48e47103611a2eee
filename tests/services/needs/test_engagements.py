"""Recording engagement activities about exactly one need, plan priority or specification of the commissioner's
PCPG; changing them; and the "you said, we did" a specification publishes (its own, its priority's, its needs')."""

from __future__ import annotations

from datetime import date

import pytest

from audit.tables import AuditEvent
from core.errors import NotFound, RuleBroken
from needs.queries import engagements as engagement_queries
from needs.rules import EngagementKind
from needs.schemas import EngagementChangeIn, NeedPrioritiesIn
from needs.services import engagements, needs
from needs.tables import Engagement
from tests import commissioning_support as commissioning
from tests import needs_support as support
from tests.conftest import make_actor


async def test_an_engagement_about_a_need_is_recorded_with_its_pcpg_and_audited():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    recorded = await support.engagement(commissioner, need_id=need.id, kind=EngagementKind.LLAIS)
    assert recorded.need_id == need.id and recorded.pcpg_id == need.pcpg_id
    assert recorded.kind_label == "Llais (formerly Community Health Council) consultation"
    assert recorded.about == "Adult obesity"
    event = await AuditEvent.select().where(AuditEvent.action == "engagement.recorded").first()
    assert event["entity_type"] == "Engagement" and event["actor_username"] == commissioner.username


async def test_an_engagement_about_two_things_or_none_is_refused_and_nothing_is_written():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    priority = await support.priority(commissioner)
    for subject in ({}, {"need_id": need.id, "plan_priority_id": priority}):
        with pytest.raises(RuleBroken):
            await support.engagement(commissioner, **subject)
    assert await Engagement.count() == 0


async def test_an_engagement_about_another_pcpgs_priority_or_a_missing_need_is_refused_alike():
    commissioner = await make_actor("commissioner")
    other = await make_actor("commissioner", pcpg_names=("Swansea Bay",))
    theirs = await support.priority(other, pcpg="Swansea Bay")
    with pytest.raises(RuleBroken) as refused:
        await support.engagement(commissioner, plan_priority_id=theirs)
    assert refused.value.field == "plan_priority_id"
    with pytest.raises(RuleBroken) as missing:
        await support.engagement(commissioner, need_id=999_999)
    assert missing.value.field == "need_id"
    assert await Engagement.count() == 0
    assert await AuditEvent.count().where(AuditEvent.action == "engagement.recorded") == 0


async def test_an_engagement_held_in_the_future_is_refused():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    with pytest.raises(RuleBroken) as refused:
        await support.engagement(commissioner, need_id=need.id, held_on=date(2027, 5, 11))
    assert refused.value.field == "held_on"
    assert await Engagement.count() == 0


async def test_changing_an_engagement_changes_what_is_given_and_only_its_commissioner_may():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    recorded = await support.engagement(commissioner, need_id=need.id)
    changed = await engagements.change_engagement(
        actor=commissioner,
        engagement_id=recorded.id,
        change=EngagementChangeIn(people_reached=40, what_changed_cy="Ychwanegwyd sesiynau"),
        now=support.NOW,
    )
    assert changed.people_reached == 40 and changed.what_they_said == recorded.what_they_said
    assert changed.what_changed_cy == "Ychwanegwyd sesiynau"
    for actor in (await make_actor("commissioner", pcpg_names=("Swansea Bay",)), await make_actor("national_admin")):
        with pytest.raises(NotFound):
            await engagements.change_engagement(
                actor=actor, engagement_id=recorded.id, change=EngagementChangeIn(people_reached=1), now=support.NOW
            )
    assert (await engagement_queries.get_engagement(actor=commissioner, engagement_id=recorded.id)).people_reached == 40


async def test_engagements_are_read_in_scope_only():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    recorded = await support.engagement(commissioner, need_id=need.id)
    swansea = await make_actor("commissioner", pcpg_names=("Swansea Bay",))
    with pytest.raises(NotFound):
        await engagement_queries.get_engagement(actor=swansea, engagement_id=recorded.id)
    assert (await engagement_queries.list_engagements(actor=swansea)).total == 0
    assert (await engagement_queries.list_engagements(actor=await make_actor("finance_director"))).total == 1
    admin = await make_actor("national_admin")
    assert (await engagement_queries.list_engagements(actor=admin, need_id=need.id)).total == 1
    assert (await engagement_queries.list_engagements(actor=admin, need_id=need.id + 1)).total == 0


@pytest.mark.usefixtures("menu")
async def test_a_specification_publishes_its_own_its_priorities_and_its_needs_engagement_and_no_other():
    commissioner = await make_actor("commissioner")
    priority = await support.priority(commissioner)
    other_priority = await support.priority(commissioner, title="Safer use of medicines")
    answered = await support.need(commissioner, title="Answered need")
    unrelated = await support.need(commissioner, title="Unrelated need")
    await needs.link_plan_priorities(
        actor=commissioner, need_id=answered.id, data=NeedPrioritiesIn(plan_priority_ids=[priority]), now=support.NOW
    )
    spec = await commissioning.published(commissioner, await commissioning.lines_for_term(), plan_priority_id=priority)
    own = await support.engagement(commissioner, specification_id=spec.id, what_they_said="About the service")
    of_priority = await support.engagement(commissioner, plan_priority_id=priority, what_they_said="About the aim")
    of_need = await support.engagement(commissioner, need_id=answered.id, what_they_said="About the need")
    await support.engagement(commissioner, need_id=unrelated.id, what_they_said="Elsewhere")
    await support.engagement(commissioner, plan_priority_id=other_priority, what_they_said="Elsewhere too")
    published = (await engagement_queries.you_said_we_did([spec.id]))[spec.id]
    assert {e.id for e in published} == {own.id, of_priority.id, of_need.id}
