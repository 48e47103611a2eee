"""Earned autonomy's rules (issue 15, item 5): which tier a vehicle earns at the edges, how red-free quarters are
counted, which decision is in force, and the return schedule each tier makes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from contracts import autonomy_rules as rules
from contracts.autonomy_rules import DEFAULT_SETTINGS, AutonomyTier, TierDecision, TierSource
from contracts.rules import return_schedule

EARNED_LEVELS = {"governance": 3, "finance": 3, "data_and_reporting": 3}
HIGH_LEVELS = {"governance": 4, "finance": 4, "data_and_reporting": 4, "service_delivery": 4}


def test_a_vehicle_with_no_confirmed_levels_has_the_standard_tier_however_well_it_performs():
    assert rules.tier_for(DEFAULT_SETTINGS, {}, 20) is AutonomyTier.STANDARD


def test_earned_autonomy_needs_the_level_in_every_named_domain_and_enough_red_free_quarters():
    assert rules.tier_for(DEFAULT_SETTINGS, EARNED_LEVELS, 4) is AutonomyTier.EARNED
    assert rules.tier_for(DEFAULT_SETTINGS, EARNED_LEVELS, 3) is AutonomyTier.STANDARD  # one quarter short
    assert rules.tier_for(DEFAULT_SETTINGS, EARNED_LEVELS | {"finance": 2}, 4) is AutonomyTier.STANDARD
    assert rules.tier_for(DEFAULT_SETTINGS, {"governance": 3, "finance": 3}, 4) is AutonomyTier.STANDARD


def test_high_autonomy_is_the_highest_tier_met_and_falls_back_to_earned_at_its_edges():
    assert rules.tier_for(DEFAULT_SETTINGS, HIGH_LEVELS, 6) is AutonomyTier.HIGH
    assert rules.tier_for(DEFAULT_SETTINGS, HIGH_LEVELS, 5) is AutonomyTier.EARNED
    assert rules.tier_for(DEFAULT_SETTINGS, HIGH_LEVELS | {"service_delivery": 3}, 6) is AutonomyTier.EARNED
    assert rules.tier_for(DEFAULT_SETTINGS, HIGH_LEVELS, 3) is AutonomyTier.STANDARD


def test_requirements_say_in_words_what_is_met_and_what_is_missing():
    lines = rules.requirements(DEFAULT_SETTINGS[AutonomyTier.EARNED], {"governance": 3, "finance": 1}, 2)
    assert [line.met for line in lines] == [True, False, False, False]
    assert lines[1].params["domain"] == "Finance" and lines[1].params["confirmed"] == 1
    assert "no level confirmed yet" in lines[2].message and "confirmed: " in lines[1].message


def test_red_free_quarters_count_back_from_the_last_quarter_and_stop_at_red_or_silence():
    accepted = {(2027, 1), (2027, 2), (2027, 3), (2027, 4), (2028, 1)}
    assert rules.red_free_quarters((2028, 1), accepted, set()) == 5
    assert rules.red_free_quarters((2028, 1), accepted, {(2027, 3)}) == 2
    assert rules.red_free_quarters((2028, 1), accepted, {(2028, 1)}) == 0
    assert rules.red_free_quarters((2028, 2), accepted, set()) == 0  # no accepted return in the last quarter
    assert rules.red_free_quarters((2028, 1), accepted - {(2027, 4)}, set()) == 1
    assert rules.red_free_quarters((2028, 1), accepted, set(), limit=3) == 3


def test_the_decision_in_force_is_the_latest_effective_on_or_before_the_quarter():
    history = [
        TierDecision(AutonomyTier.EARNED, (2027, 2), TierSource.COMPUTED, 1),
        TierDecision(AutonomyTier.HIGH, (2027, 4), TierSource.COMPUTED, 2),
        TierDecision(AutonomyTier.STANDARD, (2027, 4), TierSource.OVERRIDE, 3),
    ]
    assert rules.tier_in_force(history, (2027, 1)) is AutonomyTier.STANDARD
    assert rules.tier_in_force(history, (2027, 3)) is AutonomyTier.EARNED
    assert rules.tier_in_force(history, (2028, 1)) is AutonomyTier.STANDARD  # the later decision on Q4 wins
    assert rules.tier_in_force([], (2027, 1)) is AutonomyTier.STANDARD


def test_the_recompute_keeps_an_override_and_writes_nothing_when_the_tier_stays():
    override = [TierDecision(AutonomyTier.HIGH, (2027, 2), TierSource.OVERRIDE, 1)]
    assert rules.recomputed_tier(override, (2027, 3), AutonomyTier.STANDARD) is None
    computed = [TierDecision(AutonomyTier.EARNED, (2027, 2), TierSource.COMPUTED, 1)]
    assert rules.recomputed_tier(computed, (2027, 3), AutonomyTier.EARNED) is None
    assert rules.recomputed_tier(computed, (2027, 3), AutonomyTier.HIGH) is AutonomyTier.HIGH
    assert rules.recomputed_tier([], (2027, 3), AutonomyTier.STANDARD) is None
    lifted = [*override, TierDecision(AutonomyTier.EARNED, (2027, 3), TierSource.COMPUTED, 2)]
    assert rules.recomputed_tier(lifted, (2027, 4), AutonomyTier.STANDARD) is AutonomyTier.STANDARD


def test_settings_refuse_a_high_tier_that_asks_less_than_earned_and_unknown_domains():
    settings = dict(DEFAULT_SETTINGS)
    assert rules.settings_refusal(settings) is None
    easier = settings | {AutonomyTier.HIGH: replace(settings[AutonomyTier.HIGH], red_free_quarters=2)}
    refusal = rules.settings_refusal(easier)
    assert refusal is not None and refusal.field == "high_min_level"
    unknown = settings | {AutonomyTier.EARNED: replace(settings[AutonomyTier.EARNED], domains=("cooking",))}
    refusal = rules.settings_refusal(unknown)
    assert refusal is not None and refusal.field == "earned_domains"
    no_level = settings | {AutonomyTier.EARNED: replace(settings[AutonomyTier.EARNED], min_level=5)}
    refusal = rules.settings_refusal(no_level)
    assert refusal is not None and refusal.field == "earned_min_level"


def test_settings_survive_their_stored_form():
    assert rules.settings_from_json(rules.settings_to_json(DEFAULT_SETTINGS)) == DEFAULT_SETTINGS


def _year(burden=None, taken=()):  # type: ignore[no-untyped-def]
    return return_schedule(
        start_on=date(2027, 4, 1),
        end_on=date(2028, 3, 31),
        terminated_on=None,
        due_days=30,
        burden=burden,
        taken=taken,
    )


def test_a_standard_tier_reports_every_quarter_as_before():
    assert [(d.quarter, d.quarters, d.light) for d in _year()] == [
        (1, 1, False),
        (2, 1, False),
        (3, 1, False),
        (4, 1, False),
    ]


def test_a_half_yearly_tier_reports_after_q2_and_q4_covering_both_quarters():
    returns = _year(lambda q: ("half_yearly", True))
    assert [(d.quarter, d.quarters, d.light) for d in returns] == [(2, 2, True), (4, 2, True)]
    assert returns[0].period_from == date(2027, 4, 1) and returns[0].period_to == date(2027, 9, 30)
    assert returns[1].due_on == _year()[3].due_on  # due as the quarterly Q4 return would be


def test_the_schedule_follows_the_tier_from_the_quarter_it_changes():
    def burden(quarter: tuple[int, int]) -> tuple[str, bool]:
        return ("half_yearly", True) if quarter >= (2027, 2) else ("quarterly", False)

    assert [(d.quarter, d.quarters, d.light) for d in _year(burden)] == [(1, 1, False), (2, 1, True), (4, 2, True)]


def test_a_return_under_way_keeps_its_quarter_out_of_a_half_year():
    returns = _year(lambda q: ("half_yearly", False), taken={(2027, 3)})
    assert [(d.quarter, d.quarters) for d in returns] == [(2, 2), (4, 1)]


def test_a_term_ending_mid_half_reports_its_last_quarter_alone():
    returns = return_schedule(
        start_on=date(2027, 4, 1),
        end_on=date(2027, 12, 31),
        terminated_on=None,
        due_days=30,
        burden=lambda q: ("half_yearly", False),
    )
    assert [(d.quarter, d.quarters) for d in returns] == [(2, 2), (3, 1)]


def test_a_variation_within_the_limit_is_one_the_vehicle_may_agree():
    assert rules.within_variation_limit(5_000_00, 5_000_00)
    assert rules.within_variation_limit(-5_000_00, 5_000_00)
    assert not rules.within_variation_limit(5_000_01, 5_000_00)
    assert not rules.within_variation_limit(0, 0)
