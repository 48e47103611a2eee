"""Viability of delivery vehicles (issue 12, item 7): the status at the thresholds' edges, what a contract holds each
year, and the decision preview. Plain values, no database."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import rules
from contracts.rules import ContractStatus, Thresholds, VehicleYear, Viability

MIN_SERVICES = 5
MIN_VALUE = 100_000_00  # £100,000.00
VIABLE_SERVICES = 6  # 120 % of 5
VIABLE_VALUE = 120_000_00


def status(services: int = 10, value: int = 1_000_000_00) -> Viability:
    return rules.viability(services=services, value_pence=value, min_services=MIN_SERVICES, min_value_pence=MIN_VALUE)


def test_exactly_the_minimum_value_is_at_risk_and_one_penny_less_is_below():
    assert status(value=MIN_VALUE) is Viability.AT_RISK
    assert status(value=MIN_VALUE - 1) is Viability.BELOW


def test_exactly_120_percent_of_the_value_is_viable_and_one_penny_less_at_risk():
    assert status(value=VIABLE_VALUE) is Viability.VIABLE
    assert status(value=VIABLE_VALUE - 1) is Viability.AT_RISK


def test_exactly_the_minimum_count_is_at_risk_and_one_fewer_is_below():
    assert status(services=MIN_SERVICES) is Viability.AT_RISK
    assert status(services=MIN_SERVICES - 1) is Viability.BELOW


def test_exactly_120_percent_of_the_count_is_viable_and_one_fewer_at_risk():
    assert status(services=VIABLE_SERVICES) is Viability.VIABLE
    assert status(services=VIABLE_SERVICES - 1) is Viability.AT_RISK


def test_either_threshold_decides_alone():
    assert status(services=MIN_SERVICES - 1, value=10 * MIN_VALUE) is Viability.BELOW
    assert status(services=10 * MIN_SERVICES, value=MIN_VALUE) is Viability.AT_RISK


def test_viable_from_is_where_the_rule_turns_viable_rounded_up():
    edge = rules.viable_from(Thresholds(2, 100_000_01))
    assert edge == Thresholds(3, 120_000_02)  # 2.4 services -> 3; £120,000.012 -> £120,000.02
    for services, value in [(edge.min_services, edge.min_value_pence)]:
        found = rules.viability(services=services, value_pence=value, min_services=2, min_value_pence=100_000_01)
        assert found is Viability.VIABLE
        assert (
            rules.viability(services=services, value_pence=value - 1, min_services=2, min_value_pence=100_000_01)
            is Viability.AT_RISK
        )


@pytest.mark.parametrize(
    ("services", "value", "field"),
    [(0, 0, "min_live_services"), (1001, 0, "min_live_services"), (1, -1, "min_annual_value_pence")],
)
def test_thresholds_out_of_range_are_refused_naming_the_field(services, value, field):
    refusal = rules.thresholds_refusal(min_services=services, min_value_pence=value)
    assert refusal is not None and refusal.field == field
    assert rules.thresholds_refusal(min_services=1, min_value_pence=0) is None


def test_the_window_is_the_year_and_the_three_after_it():
    assert rules.viability_window(2027) == [2027, 2028, 2029, 2030]


YEARS = {2027: 100_003, 2028: 200_000, 2029: 300_000}


def test_a_holding_contract_holds_each_year_of_its_term_and_nothing_after():
    held = rules.held_values(YEARS, ContractStatus.LIVE, None)
    assert held == YEARS
    assert 2030 not in held  # the forecast drops it after its last year


def test_a_terminated_contract_stops_after_its_termination_year_keeping_the_quarters_delivered():
    held = rules.held_values(YEARS, ContractStatus.TERMINATED, date(2028, 8, 15))  # in 2028-29's second quarter
    assert held == {2027: 100_003, 2028: 100_000}
    assert rules.held_values(YEARS, ContractStatus.TERMINATED, date(2028, 3, 31)) == {2027: 100_003}
    # a termination on the year's first day keeps that day's quarter: the year still counts
    assert rules.held_values(YEARS, ContractStatus.TERMINATED, date(2028, 4, 1)) == {2027: 100_003, 2028: 50_000}


def test_an_award_adds_a_service_and_its_value_in_each_year_of_the_term():
    deltas = rules.deltas_between({}, {2027: 50_000_00, 2028: 60_000_00})
    assert deltas == {2027: VehicleYear(2027, 1, 50_000_00), 2028: VehicleYear(2028, 1, 60_000_00)}


def test_a_termination_takes_the_later_years_and_the_released_quarters():
    before = rules.held_values(YEARS, ContractStatus.LIVE, None)
    after = rules.held_values(YEARS, ContractStatus.TERMINATED, date(2028, 8, 15))
    assert rules.deltas_between(before, after) == {
        2028: VehicleYear(2028, 0, -100_000),
        2029: VehicleYear(2029, -1, -300_000),
    }


THRESHOLDS = Thresholds(2, 100_000_00)


def test_the_preview_shows_each_year_now_and_after_the_decision():
    rows = [VehicleYear(2027, 1, 90_000_00), VehicleYear(2028, 2, 150_000_00)]
    preview = rules.decision_preview(rows, rules.deltas_between({}, {2027: 30_000_00, 2029: 30_000_00}), THRESHOLDS)
    assert [(p.financial_year, p.status_now, p.status_after) for p in preview] == [
        (2027, Viability.BELOW, Viability.AT_RISK),  # 2 services is exactly the minimum: at risk
        (2029, Viability.BELOW, Viability.BELOW),  # nothing there yet: one service is still below
    ]
    assert preview[0].after == VehicleYear(2027, 2, 120_000_00)
    assert preview[0].changes and not preview[1].changes


def test_a_preview_of_a_year_the_decision_does_not_touch_is_not_shown():
    preview = rules.decision_preview([VehicleYear(2027, 3, 500_000_00)], {}, THRESHOLDS)
    assert preview == []


@given(
    st.dictionaries(st.integers(2025, 2035), st.integers(0, 10**9), min_size=1, max_size=6),
    st.dates(date(2025, 1, 1), date(2037, 1, 1)),
)
def test_what_a_terminated_contract_holds_is_what_its_schedule_still_pays(years, terminated_on):
    held = rules.held_values(years, ContractStatus.TERMINATED, terminated_on)
    paid: dict[int, int] = {}
    for payment in rules.payment_schedule(years, rules.PaymentTiming.IN_ADVANCE, terminated_on=terminated_on):
        paid[payment.financial_year] = paid.get(payment.financial_year, 0) + payment.amount_pence
    assert set(held) == {year for year in years if date(year, 4, 1) <= terminated_on}
    assert held == {year: paid.get(year, 0) for year in held}
