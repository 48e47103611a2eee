"""Recording, changing and linking needs: a commissioner writes their PCPG's, every refusal writes nothing, and each
write is one audited operation. Reads are scoped: national admins every PCPG, finance directors their board."""

from __future__ import annotations

import pytest

from audit.tables import AuditEvent
from core.errors import NotFound, RuleBroken
from needs.queries import needs as need_queries
from needs.rules import Collaborative, NeedPriority, NeedSource
from needs.schemas import NeedChangeIn, NeedPrioritiesIn
from needs.services import needs
from needs.tables import Need, NeedCluster, NeedPlanPriority
from tests import factories
from tests import needs_support as support
from tests.conftest import make_actor


async def _nothing_written() -> None:
    assert await Need.count() == 0
    assert await NeedCluster.count() == 0
    assert await AuditEvent.count().where(AuditEvent.action.like("need.%")) == 0


async def test_a_commissioner_records_a_need_of_their_pcpg_with_its_clusters_and_an_audit_event():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner, clusters=("Cardiff North", "Cardiff West"), population_affected=2100)
    assert need.title == "Adult obesity" and need.source is NeedSource.PNA and need.priority is NeedPriority.HIGH
    assert {c.name for c in need.clusters} == {"Cardiff North", "Cardiff West"}
    assert need.population_affected == 2100 and need.can_change
    event = await AuditEvent.select().where(AuditEvent.action == "need.recorded").first()
    assert event["entity_type"] == "Need" and event["entity_id"] == str(need.id)
    assert event["actor_username"] == commissioner.username


async def test_a_need_of_another_pcpg_is_refused_as_not_found_and_nothing_is_written():
    commissioner = await make_actor("commissioner")
    with pytest.raises(NotFound):
        await support.need(commissioner, pcpg="Swansea Bay", clusters=("CityHealth",))
    await _nothing_written()


@pytest.mark.parametrize("role", ["national_admin", "finance_director", "provider"])
async def test_only_commissioners_record_needs(role):
    actor = await make_actor(role)
    with pytest.raises(NotFound):
        await support.need(actor)
    await _nothing_written()


async def test_a_cluster_of_another_pcpg_is_refused_naming_the_field_and_nothing_is_written():
    commissioner = await make_actor("commissioner")
    with pytest.raises(RuleBroken) as refused:
        await support.need(commissioner, clusters=("Cardiff North", "CityHealth"))
    assert refused.value.field == "cluster_ids"
    with pytest.raises(RuleBroken) as refused:
        await support.need(commissioner, clusters=())
    assert refused.value.field == "cluster_ids"
    await _nothing_written()


async def test_a_pna_need_without_its_assessment_is_refused_naming_each_field():
    commissioner = await make_actor("commissioner")
    with pytest.raises(RuleBroken) as refused:
        await support.need(commissioner, pna_title="", pna_year=None)
    assert set(refused.value.params["problems"]) == {"pna_title", "pna_year"}
    await _nothing_written()


async def test_a_collaboratives_need_keeps_no_pna_details():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner, source=NeedSource.COLLABORATIVE, collaborative=Collaborative.PHARMACY)
    assert need.collaborative is Collaborative.PHARMACY and need.collaborative_label == "Pharmacy collaborative"
    assert need.pna_title == "" and need.pna_year is None


async def test_changing_a_need_changes_only_what_is_given_and_is_audited_with_before_and_after():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    changed = await needs.change_need(
        actor=commissioner,
        need_id=need.id,
        change=NeedChangeIn(priority=NeedPriority.LOW, cluster_ids=await factories.cluster_ids("Cardiff West")),
        now=support.NOW,
    )
    assert changed.priority is NeedPriority.LOW and changed.title == need.title
    assert [c.name for c in changed.clusters] == ["Cardiff West"]
    event = await AuditEvent.select().where(AuditEvent.action == "need.changed").output(load_json=True).first()
    assert event["before"]["priority"] == "high" and event["after"]["priority"] == "low"


async def test_changing_the_source_to_a_cluster_clears_the_assessments_details():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    changed = await needs.change_need(
        actor=commissioner, need_id=need.id, change=NeedChangeIn(source=NeedSource.CLUSTER), now=support.NOW
    )
    assert changed.pna_title == "" and changed.pna_year is None and changed.pna_section == ""


async def test_a_refused_change_writes_nothing():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    with pytest.raises(RuleBroken):
        await needs.change_need(
            actor=commissioner,
            need_id=need.id,
            change=NeedChangeIn(priority=NeedPriority.LOW, cluster_ids=await factories.cluster_ids("CityHealth")),
            now=support.NOW,
        )
    assert (await need_queries.get_need(actor=commissioner, need_id=need.id)).priority is NeedPriority.HIGH
    assert await AuditEvent.count().where(AuditEvent.action == "need.changed") == 0


async def test_another_pcpgs_commissioner_cannot_change_or_link_the_need():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    other = await make_actor("commissioner", pcpg_names=("Swansea Bay",))
    with pytest.raises(NotFound):
        await needs.change_need(actor=other, need_id=need.id, change=NeedChangeIn(title="X"), now=support.NOW)
    with pytest.raises(NotFound):
        await needs.link_plan_priorities(actor=other, need_id=need.id, data=NeedPrioritiesIn(), now=support.NOW)


async def test_plan_priorities_are_linked_and_unlinked_as_a_set():
    commissioner = await make_actor("commissioner")
    need = await support.need(commissioner)
    first = await support.priority(commissioner)
    second = await support.priority(commissioner, title="Safer use of medicines")
    linked = await needs.link_plan_priorities(
        actor=commissioner, need_id=need.id, data=NeedPrioritiesIn(plan_priority_ids=[first, second]), now=support.NOW
    )
    assert [p.id for p in linked.plan_priorities] == [first, second]
    linked = await needs.link_plan_priorities(
        actor=commissioner, need_id=need.id, data=NeedPrioritiesIn(plan_priority_ids=[second]), now=support.NOW
    )
    assert [p.title for p in linked.plan_priorities] == ["Safer use of medicines"]
    assert await NeedPlanPriority.count() == 1
    assert await AuditEvent.count().where(AuditEvent.action == "need.priorities_linked") == 2


async def test_a_priority_of_another_pcpgs_plan_is_refused_and_the_links_stay_as_they_were():
    commissioner = await make_actor("commissioner")
    other = await make_actor("commissioner", pcpg_names=("Swansea Bay",))
    need = await support.need(commissioner)
    mine = await support.priority(commissioner)
    theirs = await support.priority(other, pcpg="Swansea Bay")
    await needs.link_plan_priorities(
        actor=commissioner, need_id=need.id, data=NeedPrioritiesIn(plan_priority_ids=[mine]), now=support.NOW
    )
    with pytest.raises(RuleBroken) as refused:
        await needs.link_plan_priorities(
            actor=commissioner, need_id=need.id, data=NeedPrioritiesIn(plan_priority_ids=[theirs]), now=support.NOW
        )
    assert refused.value.field == "plan_priority_ids"
    rows = await NeedPlanPriority.select(NeedPlanPriority.plan_priority)
    assert [row["plan_priority"] for row in rows] == [mine]


async def test_reading_is_scoped_national_admins_all_finance_directors_their_board_others_none():
    cardiff = await make_actor("commissioner")
    swansea = await make_actor("commissioner", pcpg_names=("Swansea Bay",))
    in_cardiff = await support.need(cardiff)
    in_swansea = await support.need(swansea, pcpg="Swansea Bay", clusters=("CityHealth",))

    async def seen(actor):
        return {n.id for n in (await need_queries.list_needs(actor=actor)).items}

    assert await seen(await make_actor("national_admin")) == {in_cardiff.id, in_swansea.id}
    assert await seen(await make_actor("finance_director")) == {in_cardiff.id}
    assert await seen(cardiff) == {in_cardiff.id}
    assert await seen(await make_actor("provider")) == set()
    with pytest.raises(NotFound):
        await need_queries.get_need(actor=cardiff, need_id=in_swansea.id)
    admin_view = await need_queries.get_need(actor=await make_actor("national_admin"), need_id=in_swansea.id)
    assert not admin_view.can_change


async def test_the_list_filters_by_priority_and_source_and_counts_in_sql():
    commissioner = await make_actor("commissioner")
    await support.need(commissioner, title="B high", priority=NeedPriority.HIGH)
    await support.need(commissioner, title="A low", priority=NeedPriority.LOW, source=NeedSource.CLUSTER)
    await support.need(commissioner, title="C medium", priority=NeedPriority.MEDIUM)
    listed = await need_queries.list_needs(actor=commissioner)
    assert [n.title for n in listed.items] == ["B high", "C medium", "A low"]
    low = await need_queries.list_needs(actor=commissioner, priority=NeedPriority.LOW)
    assert [n.title for n in low.items] == ["A low"] and low.total == 1
    pna = await need_queries.list_needs(actor=commissioner, source=NeedSource.PNA, limit=1)
    assert pna.total == 2 and len(pna.items) == 1


async def test_the_line_of_sight_read_gives_each_need_its_priorities_in_two_statements():
    from tests.query_count import count_queries

    commissioner = await make_actor("commissioner")
    first = await support.need(commissioner, title="First")
    second = await support.need(commissioner, title="Second")
    priority = await support.priority(commissioner)
    await needs.link_plan_priorities(
        actor=commissioner, need_id=first.id, data=NeedPrioritiesIn(plan_priority_ids=[priority]), now=support.NOW
    )
    pcpg = await support.pcpg_id()
    with count_queries() as counted:
        found = await need_queries.needs_with_priorities([pcpg])
    assert counted.total == 2
    assert {n.id: n.plan_priority_ids for n in found} == {first.id: [priority], second.id: []}
    assert await need_queries.needs_with_priorities([await support.pcpg_id("Swansea Bay")]) == []
