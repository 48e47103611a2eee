"""The rules of needs and engagement, with plain values: what a need's source must say, what an engagement is about,
and the words a reader sees for each code."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import RuleBroken
from core.i18n import translate_in
from needs import rules
from needs.rules import Collaborative, EngagementKind, NeedPriority, NeedSource, Subject


def _problems(**changes):
    values = {
        "source": NeedSource.PNA,
        "pna_title": "Cardiff and Vale PNA",
        "pna_year": 2022,
        "collaborative": None,
        "this_year": 2027,
    }
    return rules.source_problems(**{**values, **changes})


def test_a_need_from_the_population_needs_assessment_names_it_and_its_year():
    assert _problems() == {}
    assert set(_problems(pna_title=" ", pna_year=None)) == {"pna_title", "pna_year"}


@pytest.mark.parametrize(("year", "fine"), [(2016, False), (2017, True), (2027, True), (2028, False)])
def test_the_assessments_year_is_from_2017_to_this_year(year, fine):
    assert (_problems(pna_year=year) == {}) is fine


def test_a_collaboratives_intelligence_names_the_collaborative_and_a_clusters_needs_nothing_more():
    assert set(_problems(source=NeedSource.COLLABORATIVE, pna_title="", pna_year=None)) == {"collaborative"}
    assert _problems(source=NeedSource.COLLABORATIVE, collaborative=Collaborative.DENTAL) == {}
    assert _problems(source=NeedSource.CLUSTER, pna_title="", pna_year=None) == {}


def test_check_source_refuses_naming_every_field_at_once():
    with pytest.raises(RuleBroken) as refused:
        rules.check_source(source=NeedSource.PNA, pna_title="", pna_year=None, collaborative=None, this_year=2027)
    assert refused.value.field == "pna_title"
    assert set(refused.value.params["problems"]) == {"pna_title", "pna_year"}


def test_a_need_keeps_only_its_own_sources_details():
    assert rules.kept_source_fields(NeedSource.PNA) == {"pna_title", "pna_year", "pna_section", "pna_link"}
    assert rules.kept_source_fields(NeedSource.COLLABORATIVE) == {"collaborative"}
    assert rules.kept_source_fields(NeedSource.CLUSTER) == set()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"need_id": 3}, (Subject.NEED, 3)),
        ({"plan_priority_id": 4}, (Subject.PLAN_PRIORITY, 4)),
        ({"specification_id": 5}, (Subject.SPECIFICATION, 5)),
    ],
)
def test_an_engagement_is_about_the_one_thing_named(given, expected):
    values = {"need_id": None, "plan_priority_id": None, "specification_id": None, **given}
    assert rules.engagement_subject(**values) == expected


@pytest.mark.parametrize(
    "given", [{}, {"need_id": 1, "plan_priority_id": 2}, {"need_id": 1, "plan_priority_id": 2, "specification_id": 3}]
)
def test_an_engagement_about_none_or_several_things_is_refused(given):
    values = {"need_id": None, "plan_priority_id": None, "specification_id": None, **given}
    with pytest.raises(RuleBroken):
        rules.engagement_subject(**values)


def test_engagement_is_recorded_once_held_not_before():
    rules.check_held_on(date(2027, 5, 10), date(2027, 5, 10))
    with pytest.raises(RuleBroken) as refused:
        rules.check_held_on(date(2027, 5, 11), date(2027, 5, 10))
    assert refused.value.field == "held_on"


def test_a_need_links_only_to_priorities_allowed():
    assert rules.link_problem({1, 2}, {1, 2, 3}) is None
    assert rules.link_problem(set(), set()) is None
    problem = rules.link_problem({1, 9}, {1, 2})
    assert problem is not None and problem.field == "plan_priority_ids"


def test_llais_is_named_as_the_body_that_replaced_the_community_health_councils():
    assert EngagementKind.LLAIS.label == "Llais (formerly Community Health Council) consultation"


@pytest.mark.parametrize("kind", [NeedSource, Collaborative, NeedPriority, EngagementKind])
def test_every_code_has_words_in_english_and_welsh_that_are_not_the_code(kind):
    for member in kind:
        english = translate_in("en", member.label)
        welsh = translate_in("cy", member.label)
        assert english and english != member.value
        assert welsh and welsh != english, member


def test_needs_are_listed_high_priority_first():
    assert sorted(NeedPriority, key=lambda p: p.rank) == [NeedPriority.HIGH, NeedPriority.MEDIUM, NeedPriority.LOW]
