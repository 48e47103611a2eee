"""The NHS "Making Data Count" SPC reading of a KPI's quarters (returns/spc.py), against the worked example and the
rules of /work/shared/SPC.md (copied here: the app never reads that file)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returns.spc import (
    Assurance,
    LimitsStatus,
    Rule,
    Variation,
    VariationIcon,
    process_limits,
    spc,
    special_causes,
)

# SPC.md "Worked example: 16 quarterly values, higher is better", 2022/23 Q1 ... 2025/26 Q4.
WORKED = [80, 82, 79, 81, 83, 80, 66, 81, 79, 82, 84, 83, 85, 84, 86, 85]
PERIODS = [f"{year}/{str(year + 1)[2:]} Q{quarter}" for year in range(2022, 2026) for quarter in range(1, 5)]
CENT = Decimal("0.01")


def series(values, periods=None):
    periods = periods or [f"Q{i + 1}" for i in range(len(values))]
    return [(period, None if v is None else Decimal(str(v))) for period, v in zip(periods, values, strict=True)]


def labels(reading):
    return [(p.rule, p.side, p.variation) if p.rule else None for p in reading.points]


def flagged(reading, rule=None):
    return [i for i, p in enumerate(reading.points) if p.rule is not None and (rule is None or p.rule is rule)]


def test_the_worked_example_unscreened_has_the_limits_spc_md_gives():
    limits = spc(series(WORKED, PERIODS), "higher_is_better").limits
    assert limits.mean == Decimal("81.25")
    assert limits.mean_moving_range.quantize(Decimal("0.0001")) == Decimal("3.6667")
    assert limits.upper.quantize(CENT) == Decimal("91.00")
    assert limits.lower.quantize(CENT) == Decimal("71.50")
    assert limits.near_lower.quantize(CENT) == Decimal("74.75")
    assert limits.near_upper.quantize(CENT) == Decimal("87.75")


def test_the_worked_example_screened_drops_the_moving_ranges_14_and_15():
    limits = spc(series(WORKED, PERIODS), "higher_is_better", screen_outliers=True).limits
    assert limits.mean == Decimal("81.25")
    assert limits.mean_moving_range == Decimal("2")
    assert limits.upper == Decimal("86.57")
    assert limits.lower == Decimal("75.93")
    assert limits.near_lower.quantize(CENT) == Decimal("77.70")
    assert limits.near_upper.quantize(CENT) == Decimal("84.80")


def test_the_worked_example_unscreened_signals_are_spc_md_s_table():
    reading = spc(series(WORKED, PERIODS), "higher_is_better", target=Decimal(85))
    by_period = {p.period: p for p in reading.points}
    assert by_period["2023/24 Q3"].rule is Rule.OUTSIDE_LIMITS
    assert by_period["2023/24 Q3"].variation is Variation.CONCERN
    assert by_period["2023/24 Q3"].signal == "below the lower process limit"
    last_seven = PERIODS[-7:]
    assert all(by_period[p].rule is Rule.SHIFT and by_period[p].variation is Variation.IMPROVEMENT for p in last_seven)
    common = [p for p in PERIODS if p not in last_seven and p != "2023/24 Q3"]
    assert all(by_period[p].variation is Variation.COMMON_CAUSE and by_period[p].rule is None for p in common)
    assert flagged(reading, Rule.TREND) == [], "no 7 strictly increasing values"
    assert reading.variation_icon is VariationIcon.IMPROVEMENT_HIGH
    assert reading.assurance is Assurance.INCONSISTENT
    assert reading.limits_status is LimitsStatus.SETTLED


def test_the_worked_example_screened_labels_85_86_85_two_in_three_before_the_shift():
    reading = spc(series(WORKED, PERIODS), "higher_is_better", target=Decimal(85), screen_outliers=True)
    rules = {p.period: p.rule for p in reading.points}
    assert rules["2023/24 Q3"] is Rule.OUTSIDE_LIMITS
    assert [rules[p] for p in PERIODS[-7:]] == [
        Rule.SHIFT,  # 2024/25 Q2 82
        Rule.SHIFT,  # Q3 84
        Rule.SHIFT,  # Q4 83
        Rule.TWO_IN_THREE,  # 2025/26 Q1 85
        Rule.SHIFT,  # Q2 84
        Rule.TWO_IN_THREE,  # Q3 86
        Rule.TWO_IN_THREE,  # Q4 85
    ]
    assert all(p.variation is Variation.IMPROVEMENT for p in reading.points[-7:])
    assert reading.variation_icon is VariationIcon.IMPROVEMENT_HIGH
    assert reading.assurance is Assurance.INCONSISTENT


def test_a_target_of_75_passes_when_screened_but_is_inconsistent_unscreened():
    assert spc(series(WORKED), "higher_is_better", target=Decimal(75), screen_outliers=True).assurance is Assurance.PASS
    assert spc(series(WORKED), "higher_is_better", target=Decimal(75)).assurance is Assurance.INCONSISTENT


def test_the_deviations_vignette_example_gives_its_captions_limits():
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    screened = spc(series(values), "higher_is_better", screen_outliers=True).limits
    unscreened = spc(series(values), "higher_is_better").limits
    assert [round(x, 2) for x in (screened.upper, screened.mean, screened.lower)] == [
        Decimal("4.60"),
        Decimal("1.94"),
        Decimal("-0.72"),
    ]
    assert [round(x, 2) for x in (unscreened.upper, unscreened.mean, unscreened.lower)] == [
        Decimal("6.95"),
        Decimal("1.94"),
        Decimal("-3.06"),
    ]


# Each rule: a minimal series that triggers it, and a negative control one point short. -------------------------

# A flat, wobbling background: mean 10, moving range 2, limits 10 +/- 5.32, near band beyond 10 +/- 3.55.
WOBBLE = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11]


def _after_wobble(tail):
    """Signals among `tail` quarters judged against the wobble's limits (mean 10, near band beyond 10 +/- 3.55,
    limits 10 +/- 5.32), as positions in the tail."""
    values = [Decimal(v) for v in WOBBLE]
    limits, _ = process_limits(values)
    found = special_causes([*values, *(None if v is None else Decimal(v) for v in tail)], limits)
    return {index - len(values): label for index, label in found.items() if index >= len(values)}


def test_a_point_beyond_a_limit_is_flagged_and_one_inside_is_not():
    assert _after_wobble([16]) == {0: (Rule.OUTSIDE_LIMITS, 1)}
    assert _after_wobble([15]) == {}
    assert _after_wobble([4]) == {0: (Rule.OUTSIDE_LIMITS, -1)}
    assert _after_wobble([5]) == {}


def test_outside_the_limits_is_strict():
    # mean 10, moving ranges all 2 -> limits 10 +/- 5.32; a value equal to a limit stays common cause.
    values = [Decimal(v) for v in WOBBLE]
    limits, _ = process_limits(values)
    assert limits.upper == Decimal("15.32")
    assert special_causes([*values, limits.upper], limits).get(12, (None,))[0] is not Rule.OUTSIDE_LIMITS
    assert special_causes([*values, limits.upper + Decimal("0.0001")], limits)[12][0] is Rule.OUTSIDE_LIMITS
    assert special_causes([*values, limits.lower - Decimal("0.0001")], limits)[12] == (Rule.OUTSIDE_LIMITS, -1)


def test_seven_points_each_higher_than_the_last_are_a_trend_and_six_are_not():
    # 7 to 13 cross the mean and stay clear of the near-limit band, so only the trend rule can flag them.
    assert _after_wobble([7, 8, 9, 10, 11, 12, 13]) == {i: (Rule.TREND, 1) for i in range(7)}
    assert _after_wobble([8, 9, 10, 11, 12, 13]) == {}


def test_an_equal_value_breaks_a_trend():
    assert _after_wobble([7, 8, 9, 9, 10, 11, 12, 13]) == {}


def test_seven_points_each_lower_than_the_last_are_a_falling_trend_a_concern_when_higher_is_better():
    assert _after_wobble([13, 12, 11, 10, 9, 8, 7]) == {i: (Rule.TREND, -1) for i in range(7)}
    assert _after_wobble([12, 11, 10, 9, 8, 7]) == {}
    reading = spc(series([*WOBBLE, 13, 12, 11, 10, 9, 8, 7]), "higher_is_better", baseline_points=12)
    assert {p.variation for p in reading.points[12:]} == {Variation.CONCERN}


def test_a_trend_takes_precedence_over_a_shift():
    # 11 to 13.5 are all above the mean and each higher than the last: a trend, labelled so, not a shift.
    tail = [11, 11.5, 12, 12.5, 13, 13.25, 13.5]
    assert {label for label in _after_wobble(tail).values()} == {(Rule.TREND, 1)}


def test_seven_points_on_one_side_of_the_mean_are_a_shift_and_six_are_not():
    # The wobble ends 9, 11: a 9 first, so the run starts in the tail. Neither rising nor near a limit.
    assert _after_wobble([9, 11, 12, 11, 12, 11, 12, 11]) == {i: (Rule.SHIFT, 1) for i in range(1, 8)}
    assert _after_wobble([9, 11, 12, 11, 12, 11, 12]) == {}
    assert _after_wobble([11, 8, 9, 8, 9, 8, 9, 8]) == {i: (Rule.SHIFT, -1) for i in range(1, 8)}
    assert _after_wobble([11, 8, 9, 8, 9, 8, 9]) == {}


def test_a_point_exactly_on_the_mean_breaks_a_shift():
    assert _after_wobble([9, 11, 12, 11, 10, 12, 11, 12, 11]) == {}
    assert _after_wobble([9, 11, 12, 11, 10.5, 12, 11, 12, 11]) == {i: (Rule.SHIFT, 1) for i in range(1, 9)}


def test_a_missing_quarter_breaks_a_shift_and_a_trend():
    assert _after_wobble([9, 11, 12, 11, None, 12, 11, 12, 11]) == {}
    assert _after_wobble([7, 8, 9, None, 10, 11, 12, 13]) == {}


def test_two_of_three_near_the_upper_limit_on_one_side_are_flagged_and_only_those():
    # Limits from the wobble: mean 10, near band beyond 13.55, limits at 15.32.
    values = [Decimal(v) for v in WOBBLE]
    limits, _ = process_limits(values)
    tail = [Decimal(14), Decimal(11), Decimal(14)]
    found = special_causes([*values, *tail], limits)
    assert found[12] == (Rule.TWO_IN_THREE, 1) and found[14] == (Rule.TWO_IN_THREE, 1)
    assert 13 not in found, "the point between them is not near the limit"
    one_near = [Decimal(14), Decimal(11), Decimal(13)]
    assert 12 not in special_causes([*values, *one_near], limits)


def test_two_of_three_needs_all_three_on_one_side_of_the_mean():
    values = [Decimal(v) for v in WOBBLE]
    limits, _ = process_limits(values)
    crossing = [Decimal(14), Decimal(9), Decimal(14)]  # 9 is below the mean 10
    assert not {12, 13, 14} & special_causes([*values, *crossing], limits).keys()


def test_points_outside_the_limits_do_not_count_towards_two_of_three():
    values = [Decimal(v) for v in WOBBLE]
    limits, _ = process_limits(values)
    found = special_causes([*values, Decimal(20), Decimal(11), Decimal(14)], limits)
    assert found[12] == (Rule.OUTSIDE_LIMITS, 1)
    assert 14 not in found, "one near point and one beyond the limit are not 2 in 3"


def test_outside_the_limits_takes_precedence_over_a_shift():
    values = [8, 8, 8, 8, 8, 8, 8, 12, 12, 12, 40, 12, 12, 12]
    reading = spc(series(values), "higher_is_better")
    assert reading.points[10].rule is Rule.OUTSIDE_LIMITS


# Direction: the same signal is improvement one way and concern the other. ----------------------------------------


def test_lower_is_better_turns_an_improvement_into_a_concern():
    higher = spc(series(WORKED), "higher_is_better")
    lower = spc(series(WORKED), "lower_is_better")
    assert higher.points[6].variation is Variation.CONCERN and lower.points[6].variation is Variation.IMPROVEMENT
    assert higher.points[-1].variation is Variation.IMPROVEMENT and lower.points[-1].variation is Variation.CONCERN
    assert lower.variation_icon is VariationIcon.CONCERN_HIGH
    assert [p.rule for p in higher.points] == [p.rule for p in lower.points]


def test_a_falling_series_is_improvement_low_when_lower_is_better():
    falling = [12, 12, 12, 12, 12, 12, 12, 8, 9, 8, 9, 8, 9, 8]
    assert spc(series(falling), "lower_is_better").variation_icon is VariationIcon.IMPROVEMENT_LOW
    assert spc(series(falling), "higher_is_better").variation_icon is VariationIcon.CONCERN_LOW


def test_common_cause_at_the_latest_point_gives_the_common_cause_icon():
    assert spc(series(WOBBLE), "higher_is_better").variation_icon is VariationIcon.COMMON_CAUSE


def test_assurance_turns_with_the_direction():
    limits = spc(series(WOBBLE), "higher_is_better").limits  # 4.68 .. 15.32
    assert spc(series(WOBBLE), "higher_is_better", target=Decimal(16)).assurance is Assurance.FAIL
    assert spc(series(WOBBLE), "lower_is_better", target=Decimal(16)).assurance is Assurance.PASS
    assert spc(series(WOBBLE), "higher_is_better", target=Decimal(4)).assurance is Assurance.PASS
    assert spc(series(WOBBLE), "lower_is_better", target=Decimal(4)).assurance is Assurance.FAIL
    assert spc(series(WOBBLE), "higher_is_better", target=limits.upper).assurance is Assurance.INCONSISTENT
    assert spc(series(WOBBLE), "higher_is_better").assurance is None, "no target, no assurance"


# How many points. ---------------------------------------------------------------------------------------------


def test_one_value_has_no_limits_and_says_so():
    reading = spc(series([80]), "higher_is_better")
    assert reading.limits is None and reading.limits_status is LimitsStatus.NONE
    assert reading.variation_icon is None and reading.assurance is None
    (message, _params), *_ = reading.notes()
    assert message.startswith("Too few values for process limits")
    assert all(p.variation is Variation.COMMON_CAUSE for p in reading.points)


def test_values_with_a_gap_between_every_pair_have_no_moving_range_and_no_limits():
    reading = spc(series([80, None, 82, None, 79]), "higher_is_better", target=Decimal(80))
    assert reading.limits is None and reading.assurance is None


def test_two_to_eleven_values_give_trial_limits_and_twelve_settle_them():
    eleven = spc(series(WORKED[:11]), "higher_is_better")
    assert eleven.limits is not None and eleven.limits_status is LimitsStatus.TRIAL
    assert eleven.notes()[0] == (
        "Trial limits: based on %(count)s quarters, fewer than %(settled)s, so they will change with each new quarter.",
        {"count": 11, "settled": 12},
    )
    assert spc(series(WORKED[:2]), "higher_is_better").limits_status is LimitsStatus.TRIAL
    assert spc(series(WORKED[:12]), "higher_is_better").limits_status is LimitsStatus.SETTLED
    assert spc(series([*WORKED[:11], None]), "higher_is_better").limits_status is LimitsStatus.TRIAL, (
        "a quarter without a value does not count"
    )


def test_a_fixed_baseline_takes_the_limits_from_its_first_points_only():
    values = [10, 12] * 6 + [30, 30]
    fixed = spc(series(values), "higher_is_better", baseline_points=12)
    assert fixed.limits.mean == Decimal(11)
    assert fixed.points[-1].rule is Rule.OUTSIDE_LIMITS
    assert spc(series(values), "higher_is_better").limits.mean > Decimal(11)
    with pytest.raises(ValueError):
        spc(series(values), "higher_is_better", baseline_points=11)


def test_the_notes_say_which_way_the_limits_were_worked_out():
    assert "no quarter left out" in spc(series(WORKED), "higher_is_better").notes()[0][0]
    assert "3.267" in spc(series(WORKED), "higher_is_better", screen_outliers=True).notes()[0][0]


# Properties. --------------------------------------------------------------------------------------------------

values_strategy = st.lists(
    st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False),
    min_size=2,
    max_size=30,
)


@given(values_strategy, st.booleans())
def test_limits_are_symmetric_around_a_mean_that_lies_between_the_lowest_and_highest_value(values, screen):
    limits, _ = process_limits(values, screen_outliers=screen)
    assert limits is not None
    assert min(values) <= limits.mean <= max(values)
    assert abs((limits.upper - limits.mean) - (limits.mean - limits.lower)) <= Decimal("1e-30")
    assert abs((limits.near_upper - limits.mean) - (limits.mean - limits.near_lower)) <= Decimal("1e-30")
    assert limits.lower <= limits.near_lower <= limits.mean <= limits.near_upper <= limits.upper


@given(values_strategy)
def test_flipping_the_direction_swaps_improvement_and_concern_and_nothing_else(values):
    pairs = [(str(i), v) for i, v in enumerate(values)]
    higher = spc(pairs, "higher_is_better").points
    lower = spc(pairs, "lower_is_better").points
    swap = {
        Variation.IMPROVEMENT: Variation.CONCERN,
        Variation.CONCERN: Variation.IMPROVEMENT,
        Variation.COMMON_CAUSE: Variation.COMMON_CAUSE,
    }
    assert [swap[p.variation] for p in higher] == [p.variation for p in lower]
