"""Rules of specifications: the lifecycle by the clock, who may see and manage them, and what blocks publication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commissioning import rules
from commissioning.rules import CriterionPlan, YearPlan

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
PCPG = 7
OTHER_PCPG = 8
STATUSES = ("draft", "published", "closed", "under_evaluation", "awarded", "cancelled")


# The lifecycle: published closes by the clock when the deadline passes


def test_a_published_specification_is_open_until_its_deadline():
    assert rules.effective_status("published", NOW + timedelta(seconds=1), NOW) == "published"


def test_a_published_specification_closes_at_the_deadline_itself():
    assert rules.effective_status("published", NOW, NOW) == "closed"
    assert rules.effective_status("published", NOW - timedelta(days=3), NOW) == "closed"


@pytest.mark.parametrize("stored", ["draft", "under_evaluation", "awarded", "cancelled"])
def test_only_a_published_specification_is_closed_by_the_clock(stored):
    assert rules.effective_status(stored, NOW - timedelta(days=1), NOW) == stored


def test_a_published_specification_without_a_deadline_stays_open():
    assert rules.effective_status("published", None, NOW) == "published"


@pytest.mark.parametrize("status", STATUSES)
def test_only_a_draft_can_be_edited(status):
    assert rules.can_edit(status) is (status == "draft")


@pytest.mark.parametrize("status", STATUSES)
def test_anything_not_yet_awarded_or_cancelled_can_be_cancelled(status):
    assert rules.can_cancel(status) is (status not in ("awarded", "cancelled"))


@pytest.mark.parametrize("status", STATUSES)
def test_evaluation_begins_only_once_bids_have_closed(status):
    assert rules.can_begin_evaluation(status) is (status == "closed")


def test_the_years_of_a_term_run_from_the_first_year():
    assert rules.term_years(2027, 3) == [2027, 2028, 2029]
    assert rules.term_years(2026, 1) == [2026]


# Who sees and who manages


@pytest.mark.parametrize("role", [None, "provider", "evaluator", "finance_director", "commissioner"])
def test_a_published_specification_is_open_data(role):
    assert rules.can_see_specification(role=role, actor_pcpg_ids=(), status="published", pcpg_id=PCPG)


def test_a_draft_is_seen_by_its_pcpgs_commissioners_and_national_admins_only():
    def sees(role: str | None, pcpgs: tuple[int, ...] = ()) -> bool:
        return rules.can_see_specification(role=role, actor_pcpg_ids=pcpgs, status="draft", pcpg_id=PCPG)

    assert sees("commissioner", (PCPG,))
    assert sees("national_admin")
    assert not sees("commissioner", (OTHER_PCPG,))
    assert not sees(None)
    assert not sees("provider")
    assert not sees("finance_director")


def test_only_the_pcpgs_own_commissioners_manage_its_specifications():
    assert rules.can_manage_specification(role="commissioner", actor_pcpg_ids=(OTHER_PCPG, PCPG), pcpg_id=PCPG)
    assert not rules.can_manage_specification(role="commissioner", actor_pcpg_ids=(OTHER_PCPG,), pcpg_id=PCPG)
    assert not rules.can_manage_specification(role="national_admin", actor_pcpg_ids=(PCPG,), pcpg_id=PCPG)


# What blocks publication, field by field


def _criteria(*weights: int) -> list[CriterionPlan]:
    return [
        CriterionPlan(title=f"Criterion {w}", title_cy=f"Maen prawf {w}", weight=w, descriptor_count=6) for w in weights
    ]


def _year(year: int, value: int = 10_000_000, **changes: Any) -> YearPlan:
    values = {
        "financial_year": year,
        "max_value_pence": value,
        "budget_line_id": 100 + year,
        "budget_line_year": year,
        "budget_line_pcpg_id": PCPG,
    }
    return YearPlan(**{**values, **changes})


def _ready(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "route": "competitive",
        "title": "Obesity",
        "title_cy": "Gordewdra",
        "description": "A community weight management service",
        "description_cy": "Gwasanaeth rheoli pwysau cymunedol",
        "pcpg_id": PCPG,
        "cluster_pcpg_ids": [PCPG, PCPG],
        "start_financial_year": 2027,
        "term": 2,
        "years": [_year(2027), _year(2028)],
        "kpi_count": 3,
        "criteria": _criteria(30, 20, 10),
        "price_weight": 40,
        "bid_deadline_at": NOW + timedelta(days=30),
        "now": NOW,
    }
    return {**values, **changes}


def test_a_complete_specification_has_no_problems():
    problems = rules.publication_problems(**_ready())
    assert not problems
    assert problems.items == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter the title in English"),
        ({"title_cy": ""}, "title_cy", "Enter the title in Welsh"),
        ({"description": ""}, "description", "Enter the description in English"),
        ({"description_cy": " "}, "description_cy", "Enter the description in Welsh"),
        ({"cluster_pcpg_ids": []}, "cluster_ids", "Select the clusters the service covers"),
        ({"cluster_pcpg_ids": [PCPG, OTHER_PCPG]}, "cluster_ids", "Every cluster must lie in the PCPG's footprint"),
        ({"term": 6, "years": [_year(y) for y in range(2027, 2033)]}, "term_years", "The term must be 1 to 5 years"),
        ({"term": 0, "years": []}, "term_years", "The term must be 1 to 5 years"),
        ({"years": [_year(2027)]}, "years", "Give a maximum value for each financial year of the term"),
        ({"years": [_year(2027), _year(2029)]}, "years", "Give a maximum value for each financial year of the term"),
        ({"years": [_year(2027), _year(2028, 0)]}, "years", "Each year's maximum value must be more than £0"),
        (
            {"years": [_year(2027), _year(2028, budget_line_id=None, budget_line_year=None, budget_line_pcpg_id=None)]},
            "years",
            "Choose the budget line each year draws on",
        ),
        (
            {"years": [_year(2027), _year(2028, budget_line_year=2027)]},
            "years",
            "Each year must draw on a budget line of the same year and PCPG",
        ),
        (
            {"years": [_year(2027), _year(2028, budget_line_pcpg_id=OTHER_PCPG)]},
            "years",
            "Each year must draw on a budget line of the same year and PCPG",
        ),
        ({"kpi_count": 0}, "kpis", "Set at least one KPI"),
        ({"criteria": [], "price_weight": 100}, "criteria", "Set at least one quality criterion"),
        (
            {"criteria": [CriterionPlan("Quality", "Ansawdd", 0, 6)], "price_weight": 100},
            "criteria",
            "Each criterion needs a weight above 0",
        ),
        (
            {"criteria": [CriterionPlan("Quality", "", 60, 6)]},
            "criteria",
            "Each criterion needs a title in English and Welsh",
        ),
        (
            {"criteria": [CriterionPlan("Quality", "Ansawdd", 60, 5)]},
            "criteria",
            "Each criterion needs a descriptor for every score from 0 to 5",
        ),
        ({"price_weight": 35}, "criteria", "The quality weights and the price weight must add up to 100"),
        (
            {"criteria": _criteria(30, 20, 20)},
            "criteria",
            "The quality weights and the price weight must add up to 100",
        ),
        ({"bid_deadline_at": None}, "bid_deadline_at", "Set the bid deadline"),
        ({"bid_deadline_at": NOW}, "bid_deadline_at", "The bid deadline must be in the future"),
        ({"bid_deadline_at": NOW - timedelta(hours=1)}, "bid_deadline_at", "The bid deadline must be in the future"),
    ],
)
def test_each_gap_blocks_publication_with_a_message_beside_its_field(changes, field, message):
    problems = rules.publication_problems(**_ready(**changes))
    assert problems
    assert problems.items == {field: message}


def test_every_problem_is_listed_at_once_so_the_commissioner_sees_them_all():
    problems = rules.publication_problems(
        **_ready(title="", kpi_count=0, cluster_pcpg_ids=[], price_weight=50, bid_deadline_at=None)
    )
    assert set(problems.items) == {"title", "kpis", "cluster_ids", "criteria", "bid_deadline_at"}


def test_the_first_problem_of_a_field_is_the_one_shown():
    problems = rules.publication_problems(**_ready(years=[_year(2027, 0, budget_line_id=None)]))
    assert problems.items == {"years": "Give a maximum value for each financial year of the term"}


@pytest.mark.parametrize("route", ["direct_award_1", "direct_award_2", "most_suitable_provider"])
def test_a_route_without_competition_needs_neither_criteria_nor_a_deadline(route):
    problems = rules.publication_problems(**_ready(route=route, criteria=[], price_weight=0, bid_deadline_at=None))
    assert not problems


@pytest.mark.parametrize(("weights", "price"), [((30, 20, 10), 40), ((70,), 30), ((1,), 99), ((50, 50), 0)])
def test_weights_that_sum_to_100_with_the_price_weight_are_accepted(weights, price):
    assert not rules.publication_problems(**_ready(criteria=_criteria(*weights), price_weight=price))


def test_the_standard_criteria_and_price_weight_sum_to_100_with_a_descriptor_for_each_score():
    assert sum(weight for _, weight in rules.DEFAULT_CRITERIA) + rules.DEFAULT_PRICE_WEIGHT == 100
    assert len(rules.DEFAULT_DESCRIPTORS) == rules.SCORE_LEVELS == 6
    assert [d[0] for d in rules.DEFAULT_DESCRIPTORS] == ["0", "1", "2", "3", "4", "5"]


def test_the_four_procurement_routes_of_the_regulations_are_offered():
    assert set(rules.ROUTES) == {"direct_award_1", "direct_award_2", "most_suitable_provider", "competitive"}


# Edges the parametrised cases above do not reach


@pytest.mark.parametrize("term", [1, 5])
def test_a_term_of_1_or_5_years_is_allowed(term):
    years = [_year(2027 + offset) for offset in range(term)]
    assert not rules.publication_problems(**_ready(term=term, years=years))


def test_the_years_of_a_five_year_term_are_five_consecutive_financial_years():
    assert rules.term_years(2027, 5) == [2027, 2028, 2029, 2030, 2031]


def _criterion(title: str = "Quality", title_cy: str = "Ansawdd", weight: int = 30, descriptors: int = 6):
    return CriterionPlan(title=title, title_cy=title_cy, weight=weight, descriptor_count=descriptors)


@pytest.mark.parametrize(
    ("faulty", "message"),
    [
        (_criterion(weight=0), "Each criterion needs a weight above 0"),
        (_criterion(weight=-10), "Each criterion needs a weight above 0"),
        (_criterion(title=" "), "Each criterion needs a title in English and Welsh"),
        (_criterion(title_cy=""), "Each criterion needs a title in English and Welsh"),
        (_criterion(descriptors=7), "Each criterion needs a descriptor for every score from 0 to 5"),
    ],
    ids=["weight 0", "negative weight", "no English title", "no Welsh title", "too many descriptors"],
)
def test_one_faulty_criterion_among_good_ones_blocks_publication(faulty, message):
    criteria = [_criterion(weight=30), faulty, _criterion(weight=30)]
    price_weight = 100 - sum(c.weight for c in criteria)
    problems = rules.publication_problems(**_ready(criteria=criteria, price_weight=price_weight))
    assert problems.items == {"criteria": message}


def test_a_draft_is_hidden_from_other_roles_even_when_linked_to_its_pcpg():
    for role in ("evaluator", "provider", "finance_director", None):
        assert not rules.can_see_specification(role=role, actor_pcpg_ids=(PCPG,), status="draft", pcpg_id=PCPG), role


def test_a_national_admin_sees_a_draft_of_any_pcpg():
    assert rules.can_see_specification(
        role="national_admin", actor_pcpg_ids=(OTHER_PCPG,), status="draft", pcpg_id=PCPG
    )


@pytest.mark.parametrize("status", STATUSES)
def test_everything_but_a_draft_is_public(status):
    assert rules.is_public(status) is (status != "draft")
    assert rules.can_see_specification(role=None, actor_pcpg_ids=(), status=status, pcpg_id=PCPG) is (status != "draft")


@pytest.mark.parametrize("role", ["evaluator", "provider", "finance_director", None])
def test_no_other_role_manages_a_specification_even_when_linked_to_its_pcpg(role):
    assert not rules.can_manage_specification(role=role, actor_pcpg_ids=(PCPG,), pcpg_id=PCPG)


def test_a_draft_or_closed_specification_is_not_closed_again_by_the_clock_and_keeps_its_status():
    assert rules.effective_status("draft", None, NOW) == "draft"
    assert rules.effective_status("closed", NOW + timedelta(days=1), NOW) == "closed"


def test_a_deadline_a_moment_ahead_is_in_the_future():
    assert not rules.publication_problems(**_ready(bid_deadline_at=NOW + timedelta(microseconds=1)))


def test_a_year_with_a_value_of_one_penny_is_enough():
    assert not rules.publication_problems(**_ready(years=[_year(2027, 1), _year(2028, 1)]))


def test_a_negative_year_value_is_refused():
    problems = rules.publication_problems(**_ready(years=[_year(2027, -5), _year(2028)]))
    assert problems.items == {"years": "Each year's maximum value must be more than £0"}


def test_a_problem_list_is_true_only_when_it_holds_a_problem_and_keeps_the_first_message_of_a_field():
    problems = rules.Problems()
    assert not problems
    problems.add("years", "first")
    problems.add("years", "second")
    assert problems
    assert problems.items == {"years": "first"}


def test_a_cluster_or_budget_line_of_a_pcpg_with_a_lower_or_equal_but_separate_id_is_judged_by_value():
    # Ids and years read from rows are separate int objects; a lower id is as foreign as a higher one.
    assert rules.publication_problems(**_ready(cluster_pcpg_ids=[PCPG, PCPG - 1])).items == {
        "cluster_ids": "Every cluster must lie in the PCPG's footprint"
    }
    pcpg = int("70000")
    same = _ready(
        pcpg_id=pcpg,
        cluster_pcpg_ids=[int("70000")],
        years=[_year(y, budget_line_year=int(str(y)), budget_line_pcpg_id=int("70000")) for y in (2027, 2028)],
    )
    assert not rules.publication_problems(**same)
    wrong = "Each year must draw on a budget line of the same year and PCPG"
    for changes in ({"budget_line_pcpg_id": PCPG - 1}, {"budget_line_year": 2029}):
        problems = rules.publication_problems(**_ready(years=[_year(2027), _year(2028, **changes)]))
        assert problems.items == {"years": wrong}, changes
