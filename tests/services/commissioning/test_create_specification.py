"""Creating a draft specification from a menu service: the menu's texts and KPIs and the standard criteria are
copied in; what a draft must get right (clusters, priority, years, budget lines, deadline) is checked on save."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning import rules
from commissioning.schemas import CriterionIn, DescriptorIn, KpiIn, PlanIn, PlanPriorityIn, YearIn
from commissioning.services import plans, specifications
from commissioning.tables import (
    EvaluationCriterion,
    Specification,
    SpecificationCluster,
    SpecificationKpi,
    SpecificationYear,
)
from core.errors import NotFound, RuleBroken
from core.i18n import translate_in
from menu import queries as menu_queries
from tests import commissioning_support as support
from tests import factories
from tests.conftest import make_actor


async def _nothing_written(events_before: int) -> None:
    assert await Specification.count() == 0
    for table in (SpecificationCluster, SpecificationYear, SpecificationKpi, EvaluationCriterion):
        assert await table.count() == 0, table.__name__
    assert await AuditEvent.count() == events_before


async def _refused(commissioner: Any, lines: list[Any], **options: Any) -> RuleBroken:
    events_before = await AuditEvent.count()
    with pytest.raises(RuleBroken) as refused:
        await support.draft(commissioner, lines, **options)
    await _nothing_written(events_before)
    return refused.value


async def _priority(pcpg: str, clusters: tuple[str, ...], title: str = "Healthy weight") -> int:
    commissioner = await make_actor(Role.COMMISSIONER, pcpg_names=(pcpg,))
    plan_id = await plans.create_plan(
        actor=commissioner,
        data=PlanIn(pcpg_id=await support.pcpg_id(pcpg), first_financial_year=2026, title=f"{pcpg} plan"),
        now=support.now(),
    )
    return await plans.add_priority(
        actor=commissioner,
        plan_id=plan_id,
        data=PlanPriorityIn(
            title=title,
            need="Adult obesity above the Welsh average",
            cluster_ids=await factories.cluster_ids(*clusters),
            need_source="Population needs assessment 2022, section 4",
        ),
        now=support.now(),
    )


async def test_a_draft_takes_its_texts_and_kpis_from_the_current_menu_version(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    spec = await support.draft(commissioner, lines)
    service = await menu_queries.get_menu_service(await support.service_id("obesity"))
    assert spec.status == "draft"
    assert (spec.title, spec.title_cy) == (service.name, service.name_cy)
    assert (spec.description, spec.description_cy) == (service.description, service.description_cy)
    assert (spec.menu_service_id, spec.menu_service_version, spec.menu_service_version_id) == (
        service.id,
        1,
        service.version_id,
    )
    assert [(k.name, k.name_cy, k.unit, k.direction) for k in spec.kpis] == [
        (k.name, k.name_cy, k.unit, k.direction) for k in service.kpis
    ]
    assert [k.target for k in spec.kpis] == [k.typical_target[:100] for k in service.kpis]
    assert (spec.pcpg, spec.health_board) == ("Cardiff", "Cardiff and Vale University Health Board")
    assert [c.name for c in spec.clusters] == ["Cardiff North", "Cardiff West"]
    assert [(y.label, y.max_value_pence, y.budget_line_id) for y in spec.years] == [
        ("2027-28", 20_000_000, lines[0].id),
        ("2028-29", 20_000_000, lines[1].id),
    ]
    assert spec.total_max_value_pence == 40_000_000


async def test_a_draft_gets_the_standard_criteria_in_both_languages_weighted_to_100_with_price(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.draft(commissioner, await support.lines_for_term())
    assert [(c.title, c.weight) for c in spec.criteria] == [(title, weight) for title, weight in rules.DEFAULT_CRITERIA]
    assert spec.price_weight == rules.DEFAULT_PRICE_WEIGHT
    assert sum(c.weight for c in spec.criteria) + spec.price_weight == 100
    for criterion in spec.criteria:
        assert criterion.title_cy == translate_in("cy", criterion.title)
        assert [d.en for d in criterion.descriptors] == rules.DEFAULT_DESCRIPTORS
        assert all(d.cy for d in criterion.descriptors)


async def test_texts_kpis_and_criteria_given_replace_the_menus(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    descriptors = [DescriptorIn(en=f"{n} - level", cy=f"{n} - lefel") for n in range(6)]
    spec = await support.draft(
        commissioner,
        await support.lines_for_term(),
        title="  Weight management for Cardiff North  ",
        title_cy="Rheoli pwysau i Ogledd Caerdydd",
        kpis=[
            KpiIn(
                name="Adults completing",
                name_cy="Oedolion",
                unit="%",
                direction="higher_is_better",
                baseline="40",
                target="60",
            )
        ],
        criteria=[CriterionIn(title="Model", title_cy="Model", weight=65, descriptors=descriptors)],
        price_weight=35,
    )
    assert (spec.title, spec.title_cy) == ("Weight management for Cardiff North", "Rheoli pwysau i Ogledd Caerdydd")
    assert spec.description.startswith("A community weight management service"), (
        "the description left out is the menu's"
    )
    assert [(k.name, k.baseline, k.target) for k in spec.kpis] == [("Adults completing", "40", "60")]
    assert [(c.title, c.weight) for c in spec.criteria] == [("Model", 65)]
    assert spec.price_weight == 35


async def test_each_draft_gets_its_own_reference_from_its_first_year(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    first = await support.draft(commissioner, lines)
    second = await support.draft(commissioner, lines)
    assert (first.reference, second.reference) == ("CDV-2027-0001", "CDV-2027-0002")


async def test_creating_a_draft_is_audited_against_the_pcpg(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.draft(commissioner, await support.lines_for_term())
    [event] = await AuditEvent.select().where(AuditEvent.action == "specification.created").output(load_json=True)
    assert (event["entity_type"], event["entity_id"], event["actor_username"]) == (
        "Specification",
        str(spec.id),
        commissioner.username,
    )
    assert event["pcpg_id"] == spec.pcpg_id
    assert event["after"]["status"] == "draft"
    assert event["after"]["menu_service_version_id"] == spec.menu_service_version_id


async def test_a_draft_may_be_incomplete_and_is_finished_before_publication(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await specifications.create_specification(
        actor=commissioner,
        data=await support.specification_in([], cluster_ids=[], years=[], bid_deadline_at=None),
        now=support.now(),
    )
    assert (spec.status, spec.clusters, spec.years, spec.bid_deadline_at) == ("draft", [], [], None)


async def test_a_plan_priority_of_the_pcpg_is_linked_with_its_need(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    priority_id = await _priority("Cardiff", ("Cardiff North",))
    spec = await support.draft(commissioner, await support.lines_for_term(), plan_priority_id=priority_id)
    assert (spec.plan_priority_id, spec.plan_priority, spec.plan_need) == (
        priority_id,
        "Healthy weight",
        "Adult obesity above the Welsh average",
    )


async def test_a_priority_from_another_pcpgs_plan_is_refused(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    vale_priority = await _priority("Vale of Glamorgan", ("Central Vale",))
    refused = await _refused(commissioner, lines, plan_priority_id=vale_priority)
    assert (refused.field, refused.message) == ("plan_priority_id", "Choose a priority from this PCPG's plan")
    refused = await _refused(commissioner, lines, plan_priority_id=999_999)
    assert refused.field == "plan_priority_id"


@pytest.mark.parametrize("clusters", [("Cardiff North", "Central Vale"), ("Afan",)])
async def test_clusters_outside_the_pcpgs_footprint_are_refused(menu, clusters):
    commissioner = await make_actor(Role.COMMISSIONER)
    refused = await _refused(commissioner, await support.lines_for_term(), clusters=clusters)
    assert (refused.field, refused.message) == ("cluster_ids", "Every cluster must lie in the PCPG's footprint")


async def test_an_unknown_cluster_is_refused(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    cardiff_north = await factories.cluster_ids("Cardiff North")
    refused = await _refused(commissioner, await support.lines_for_term(), cluster_ids=[*cardiff_north, 999_999])
    assert refused.field == "cluster_ids"


@pytest.mark.parametrize("deadline", [timedelta(0), timedelta(minutes=-1), timedelta(days=-30)])
async def test_a_bid_deadline_that_is_not_in_the_future_is_refused(menu, deadline):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    at = support.now()
    events_before = await AuditEvent.count()
    with pytest.raises(RuleBroken) as refused:
        await specifications.create_specification(
            actor=commissioner, data=await support.specification_in(lines, deadline=at + deadline), now=at
        )
    assert (refused.value.field, refused.value.message) == ("bid_deadline_at", "The bid deadline must be in the future")
    await _nothing_written(events_before)


async def test_a_deadline_without_a_time_zone_is_refused(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    naive = datetime(2030, 1, 31, 17, 0)
    refused = await _refused(commissioner, await support.lines_for_term(), deadline=naive)
    assert refused.field == "bid_deadline_at"


async def test_a_year_outside_the_term_is_refused(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term(years=3)
    refused = await _refused(commissioner, lines, term_years=2)
    assert (refused.field, refused.message) == ("years", "Each year must fall within the term")


async def test_the_same_year_twice_is_refused(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    [line] = await support.lines_for_term(years=1)
    twice = [YearIn(financial_year=2027, max_value_pence=1_000_000, budget_line_id=line.id)] * 2
    refused = await _refused(commissioner, [line], years=twice)
    assert (refused.field, refused.message) == ("years", "Give each financial year once")


@pytest.mark.parametrize(("pcpg", "year"), [("Vale of Glamorgan", 2027), ("Cardiff", 2028)])
async def test_a_budget_line_of_another_pcpg_or_year_is_refused(menu, pcpg, year):
    commissioner = await make_actor(Role.COMMISSIONER)
    wrong = await support.budget_line(pcpg=pcpg, year=year)
    years = [YearIn(financial_year=2027, max_value_pence=1_000_000, budget_line_id=wrong.id)]
    refused = await _refused(commissioner, [], start_financial_year=2027, term_years=1, years=years)
    assert (refused.field, refused.message) == (
        "years",
        "Each year must draw on a budget line of the same year and PCPG",
    )


async def test_quality_and_price_weights_that_do_not_sum_to_100_are_refused(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    descriptors = [DescriptorIn(en=str(n), cy=str(n)) for n in range(6)]
    refused = await _refused(
        commissioner,
        await support.lines_for_term(),
        criteria=[CriterionIn(title="Model", title_cy="Model", weight=50, descriptors=descriptors)],
        price_weight=40,
    )
    assert (refused.field, refused.message) == (
        "criteria",
        "The quality weights and the price weight must add up to 100",
    )


async def test_a_service_not_on_the_menu_is_refused(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    refused = await _refused(commissioner, await support.lines_for_term(), menu_service_id=999_999)
    assert refused.field == "menu_service_id"


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.COMMISSIONER, {"pcpg_names": ("Swansea Bay",)}),
        (Role.NATIONAL_ADMIN, {}),
        (Role.FINANCE_DIRECTOR, {}),
        (Role.PROVIDER, {}),
    ],
)
async def test_only_a_commissioner_of_the_pcpg_can_create_its_specifications(menu, role, scope):
    outsider = await make_actor(role, **scope)
    lines = await support.lines_for_term()
    events_before = await AuditEvent.count()
    with pytest.raises(NotFound):
        await support.draft(outsider, lines)
    await _nothing_written(events_before)
