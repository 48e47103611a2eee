"""The money rules of a contract: quarterly payments, splits by cluster and what a termination keeps. Every split
sums back exactly (DOMAIN.md, "Budgets and money")."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import rules
from contracts.rules import ClusterPopulation, PaymentTiming
from core.errors import RuleBroken

values = st.integers(min_value=0, max_value=10_000_000_000)
populations = st.lists(st.integers(min_value=1, max_value=500_000), min_size=1, max_size=12)


@given(years=st.dictionaries(st.integers(2025, 2035), values, min_size=1, max_size=5), people=populations)
def test_a_split_by_population_sums_back_to_each_years_value_exactly(years, people):
    clusters = [ClusterPopulation(n + 1, p, f"source {n}") for n, p in enumerate(people)]
    allocations = rules.allocate_by_population(years, clusters)
    for year, value in years.items():
        parts = [a for a in allocations if a.financial_year == year]
        assert sum(a.amount_pence for a in parts) == value
        assert [a.cluster_id for a in parts] == [c.cluster_id for c in clusters]
        # each cluster gets its share to within a penny
        total = sum(people)
        for a, c in zip(parts, clusters, strict=True):
            assert abs(a.amount_pence * total - value * c.population) < total
            assert a.population == c.population and a.population_source == c.source and a.method == "population"


def test_a_split_by_population_follows_the_populations():
    clusters = [ClusterPopulation(1, 30_000), ClusterPopulation(2, 10_000)]
    assert [a.amount_pence for a in rules.allocate_by_population({2027: 100_000_00}, clusters)] == [
        75_000_00,
        25_000_00,
    ]


def test_a_split_by_population_is_refused_when_a_population_is_not_known():
    clusters = [ClusterPopulation(1, 30_000), ClusterPopulation(2, None)]
    with pytest.raises(RuleBroken) as refused:
        rules.allocate_by_population({2027: 100_000_00}, clusters)
    assert refused.value.field == "split"
    assert rules.clusters_without_population(clusters) == [2]


def test_an_explicit_split_is_taken_when_it_sums_exactly():
    clusters = [ClusterPopulation(1, None), ClusterPopulation(2, 12_000)]
    made = rules.allocate_explicitly({2027: 100_00}, clusters, {2027: {1: 60_00, 2: 40_00}})
    assert [(a.cluster_id, a.amount_pence, a.method) for a in made] == [(1, 60_00, "explicit"), (2, 40_00, "explicit")]


@pytest.mark.parametrize(
    "split",
    [
        {2027: {1: 60_00, 2: 39_99}},  # a penny short
        {2027: {1: 60_00, 2: 40_01}},  # a penny over
        {2027: {1: 100_00}},  # a cluster left out
        {2027: {1: 50_00, 2: 40_00, 3: 10_00}},  # a cluster the contract does not cover
        {2027: {1: 110_00, 2: -10_00}},  # a negative part
        {},  # the year missing
    ],
)
def test_an_explicit_split_is_refused_unless_it_sums_exactly_over_the_covered_clusters(split):
    clusters = [ClusterPopulation(1, None), ClusterPopulation(2, 12_000)]
    with pytest.raises(RuleBroken) as refused:
        rules.allocate_explicitly({2027: 100_00}, clusters, split)
    assert refused.value.field == "split"


def test_percentages_that_total_100_become_an_exact_split_for_every_year():
    split = rules.split_from_percentages({2027: 100_000_01, 2028: 7}, {1: "33.33", 2: "33.33", 3: "33.34"})
    assert sum(split[2027].values()) == 100_000_01 and sum(split[2028].values()) == 7
    assert split[2027][3] > split[2027][1]


@pytest.mark.parametrize("shares", [{1: "50", 2: "49.99"}, {1: "50", 2: "50.01"}, {1: "50.005", 2: "49.995"}])
def test_percentages_are_refused_unless_they_total_exactly_100_to_two_places(shares):
    with pytest.raises(RuleBroken):
        rules.split_from_percentages({2027: 100_00}, shares)


@given(years=st.dictionaries(st.integers(2025, 2035), values, min_size=1, max_size=5))
def test_each_years_quarterly_payments_sum_back_to_its_value(years):
    for timing in PaymentTiming:
        payments = rules.payment_schedule(years, timing)
        assert len(payments) == 4 * len(years)
        for year, value in years.items():
            assert sum(p.amount_pence for p in payments if p.financial_year == year) == value


def test_payments_in_advance_fall_on_the_quarters_first_day_and_in_arrears_on_the_day_after_it_ends():
    advance = rules.payment_schedule({2027: 4_00}, PaymentTiming.IN_ADVANCE)
    arrears = rules.payment_schedule({2027: 4_00}, PaymentTiming.IN_ARREARS)
    assert [p.due_on for p in advance] == [date(2027, 4, 1), date(2027, 7, 1), date(2027, 10, 1), date(2028, 1, 1)]
    assert [p.due_on for p in arrears] == [date(2027, 7, 1), date(2027, 10, 1), date(2028, 1, 1), date(2028, 4, 1)]


def test_termination_keeps_the_quarter_it_falls_in_and_releases_later_quarters_and_years_in_full():
    years = {2027: 100_000_03, 2028: 120_000_00, 2029: 130_000_00}
    kept = rules.retained_values(years, date(2027, 8, 15))  # in Q2 of the first year
    q = rules.payment_schedule(years, PaymentTiming.IN_ARREARS)
    assert kept == {2027: q[0].amount_pence + q[1].amount_pence, 2028: 0, 2029: 0}
    assert rules.retained_values(years, date(2027, 9, 30))[2027] == kept[2027]  # the quarter's last day
    assert rules.retained_values(years, date(2027, 10, 1))[2027] > kept[2027]  # the next quarter's first day
    assert rules.retained_values(years, date(2028, 3, 31)) == {2027: 100_000_03, 2028: 0, 2029: 0}
    cut = rules.payment_schedule(years, PaymentTiming.IN_ADVANCE, terminated_on=date(2027, 8, 15))
    assert [(p.financial_year, p.quarter) for p in cut] == [(2027, 1), (2027, 2)]


@pytest.mark.parametrize(
    ("services", "value", "expected"),
    [
        (3, 100_000_00, rules.Viability.AT_RISK),  # exactly at both minimums
        (3, 99_999_99, rules.Viability.BELOW),  # a penny below the value
        (2, 500_000_00, rules.Viability.BELOW),  # one service short
        (3, 500_000_00, rules.Viability.AT_RISK),  # the count exactly at its minimum, whatever the value
        (4, 120_000_00, rules.Viability.VIABLE),  # 4 > 3 x 1.2 services and exactly 120 % of the value
        (5, 119_999_99, rules.Viability.AT_RISK),  # a penny within 20 % of the value
        (5, 120_000_00, rules.Viability.VIABLE),  # exactly 20 % above both
    ],
)
def test_viability_at_the_threshold_edges(services, value, expected):
    assert rules.viability(services=services, value_pence=value, min_services=3, min_value_pence=100_000_00) is expected


def test_only_a_move_in_the_table_is_allowed_and_a_refusal_names_where_the_contract_stands():
    assert rules.move_refusal(rules.ContractStatus.LIVE, rules.ContractStatus.SUSPENDED) is None
    refusal = rules.move_refusal(rules.ContractStatus.EXPIRED, rules.ContractStatus.LIVE)
    assert refusal is not None and refusal.params["status"] is rules.ContractStatus.EXPIRED


def test_a_service_goes_live_from_its_start_date_and_not_the_day_before():
    kwargs = {"current": rules.ContractStatus.MOBILISING, "start_on": date(2027, 4, 1), "end_on": date(2030, 3, 31)}
    assert rules.mobilisation_refusal(today=date(2027, 3, 31), **kwargs) is not None
    assert rules.mobilisation_refusal(today=date(2027, 4, 1), **kwargs) is None


def test_a_contract_expires_the_day_after_its_last_day():
    assert not rules.is_due_to_expire(rules.ContractStatus.LIVE, date(2030, 3, 31), date(2030, 3, 31))
    assert rules.is_due_to_expire(rules.ContractStatus.LIVE, date(2030, 3, 31), date(2030, 4, 1))
    assert not rules.is_due_to_expire(rules.ContractStatus.TERMINATED, date(2030, 3, 31), date(2030, 4, 1))


def test_the_proposer_of_a_variation_cannot_decide_it():
    assert rules.decision_refusal(proposer="ann", decider="ann", status=rules.VariationStatus.PROPOSED) is not None
    assert rules.decision_refusal(proposer="ann", decider="bob", status=rules.VariationStatus.PROPOSED) is None
    assert rules.decision_refusal(proposer="ann", decider="bob", status=rules.VariationStatus.APPROVED) is not None


def test_changes_between_versions_are_listed_field_by_field():
    before = {"end_on": "2030-03-31", "annual_values": {"2027-28": 1}, "clusters": ["A"]}
    after = {"end_on": "2031-03-31", "annual_values": {"2027-28": 1}, "clusters": ["A", "B"]}
    assert [(c.field, c.before, c.after) for c in rules.changes_between(before, after)] == [
        ("end_on", "2030-03-31", "2031-03-31"),
        ("clusters", ["A"], ["A", "B"]),
    ]
