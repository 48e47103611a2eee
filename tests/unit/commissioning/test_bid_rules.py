"""Rules of bids, evaluation and award: who sees a sealed bid, what is wrong with a bid's prices, the scoring
formulas on worked examples, the tie rule, and the standstill in Welsh working days (weekends and Welsh bank holidays
excluded)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from commissioning import rules
from commissioning.rules import BidResult
from core.errors import Conflict

DEADLINE = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(seconds=1)
AFTER = DEADLINE + timedelta(hours=1)
WEIGHTS = {0: 30, 1: 20, 2: 10}  # the default criteria, with a price weight of 40
SUBMITTED = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def _sees(*, now: datetime, deadline: datetime | None = DEADLINE, **who: bool) -> bool:
    kinds = {"own_vehicle": False, "is_pcpg_commissioner": False, "is_cleared_evaluator": False, "is_admin": False}
    return rules.can_see_bid(bid_deadline_at=deadline, now=now, **{**kinds, **who})


# Sealed bids


def test_the_bidding_vehicles_own_users_see_their_bid_before_and_after_the_deadline():
    assert _sees(now=BEFORE, own_vehicle=True)
    assert _sees(now=AFTER, own_vehicle=True)


@pytest.mark.parametrize("who", ["is_pcpg_commissioner", "is_cleared_evaluator", "is_admin"])
def test_nobody_else_sees_a_bid_before_the_deadline_however_senior(who):
    assert not _sees(now=BEFORE, **{who: True})


@pytest.mark.parametrize("who", ["is_pcpg_commissioner", "is_cleared_evaluator", "is_admin"])
def test_the_pcpgs_commissioners_cleared_evaluators_and_admins_see_bids_from_the_deadline_itself(who):
    assert _sees(now=DEADLINE, **{who: True})
    assert _sees(now=AFTER, **{who: True})


@pytest.mark.parametrize("now", [BEFORE, AFTER])
def test_another_provider_an_outside_commissioner_a_recused_evaluator_or_the_public_never_see_a_bid(now):
    assert not _sees(now=now)


def test_a_specification_without_a_deadline_keeps_every_bid_sealed_from_others():
    assert not _sees(now=AFTER, deadline=None, is_admin=True, is_pcpg_commissioner=True)
    assert _sees(now=AFTER, deadline=None, own_vehicle=True)


def test_bids_can_be_made_only_while_a_published_specification_is_before_its_deadline():
    assert rules.bids_open("published", DEADLINE, BEFORE)
    assert not rules.bids_open("published", DEADLINE, DEADLINE)
    assert not rules.bids_open("published", None, BEFORE)
    for status in ("draft", "closed", "under_evaluation", "awarded", "cancelled"):
        assert not rules.bids_open(status, DEADLINE, BEFORE), status


# Prices


MAXIMA = {2027: 80_000_00, 2028: 82_000_00}


def test_prices_within_every_years_maximum_have_no_problem():
    assert rules.price_problem({2027: 80_000_00, 2028: 1}, MAXIMA) is None


@pytest.mark.parametrize(
    ("prices", "message", "year"),
    [
        ({2027: 70_000_00}, "Give a price for %(year)s", 2028),
        ({2027: 70_000_00, 2028: 82_000_01}, "The price for %(year)s is above the maximum of %(maximum)s", 2028),
        ({2027: 0, 2028: 1}, "The price for %(year)s must be more than £0", 2027),
        ({2027: 1, 2028: 1, 2029: 1}, "%(year)s is not in the specification's term", 2029),
    ],
    ids=["a year missing", "above the year's maximum", "nothing", "a year outside the term"],
)
def test_a_price_problem_names_the_year_it_is_in(prices, message, year):
    assert rules.price_problem(prices, MAXIMA) == (message, year)


def test_a_missing_year_is_reported_before_a_price_above_the_maximum():
    assert rules.price_problem({2028: 99_000_00}, MAXIMA) == ("Give a price for %(year)s", 2027)


# Scores: price weight x lowest / this; quality = sum(weight x moderated / 5)


def test_the_lowest_price_gets_the_whole_price_weight():
    assert rules.price_score(40, 56_000_00, 56_000_00) == 40


def test_a_dearer_bid_gets_the_price_weight_pro_rata_to_the_lowest_price():
    assert rules.price_score(40, 56_000_00, 70_000_00) == 32  # 40 x 56,000 / 70,000
    assert rules.price_score(40, 50_000_00, 75_000_00) == Fraction(80, 3)  # 26.67, kept exact


def test_quality_scores_of_4_4_and_3_on_weights_30_20_10_make_46():
    assert rules.quality_score(WEIGHTS, {0: 4, 1: 4, 2: 3}) == 46  # 24 + 16 + 6


def test_full_marks_on_every_criterion_give_the_whole_quality_weight_and_a_missing_score_counts_0():
    assert rules.quality_score(WEIGHTS, {0: 5, 1: 5, 2: 5}) == 60
    assert rules.quality_score(WEIGHTS, {0: 5}) == 30


def _bid(bid_id: int, price: int, scores: tuple[int, int, int], minutes: int = 0) -> BidResult:
    return BidResult(
        bid_id=bid_id,
        total_price_pence=price,
        submitted_at=SUBMITTED + timedelta(minutes=minutes),
        moderated=dict(enumerate(scores)),
    )


def test_the_worked_example_ranks_the_better_quality_bid_first_despite_its_higher_price():
    ranked = rules.rank_bids(WEIGHTS, 40, [_bid(2, 56_000_00, (3, 3, 3)), _bid(1, 70_000_00, (4, 4, 3))])
    assert [(r.bid_id, r.rank, r.quality_score, r.price_score, r.total_score) for r in ranked] == [
        (1, 1, 46, 32, 78),
        (2, 2, 36, 40, 76),
    ]
    assert all(r.tie_note == "" for r in ranked)


def test_equal_totals_are_split_by_the_higher_quality_score_with_a_note_saying_so():
    # The cheaper bid: quality 36 + price 40 = 76. The better one at 80,000: quality 46 + 40 x 60,000 / 80,000 = 76.
    cheap = _bid(1, 60_000_00, (3, 3, 3))
    better = _bid(2, 80_000_00, (4, 4, 3))
    ranked = rules.rank_bids(WEIGHTS, 40, [cheap, better])
    assert [r.total_score for r in ranked] == [76, 76]
    assert [r.bid_id for r in ranked] == [2, 1]
    assert {r.tie_note for r in ranked} == {"Tied on total score; ranked by the higher quality score"}


def test_equal_totals_and_quality_are_split_by_the_lower_price_with_a_note_saying_so():
    # Totals equal to 2 decimal places, quality equal, prices a penny apart: the cheaper is ranked first.
    dearer = _bid(1, 50_000_01, (4, 4, 3), minutes=0)
    cheaper = _bid(2, 50_000_00, (4, 4, 3), minutes=5)
    ranked = rules.rank_bids(WEIGHTS, 40, [dearer, cheaper])
    assert [r.bid_id for r in ranked] == [2, 1]
    assert round(float(ranked[0].total_score), 2) == round(float(ranked[1].total_score), 2)
    assert {r.tie_note for r in ranked} == {"Tied on total and quality scores; ranked by the lower total price"}


def test_equal_totals_quality_and_price_are_split_by_the_earlier_submission_with_a_note_saying_so():
    later = _bid(1, 50_000_00, (4, 4, 3), minutes=30)
    earlier = _bid(2, 50_000_00, (4, 4, 3), minutes=10)
    ranked = rules.rank_bids(WEIGHTS, 40, [later, earlier])
    assert [(r.bid_id, r.rank) for r in ranked] == [(2, 1), (1, 2)]
    assert {r.tie_note for r in ranked} == {
        "Tied on total score, quality score and price; ranked by the earlier submission"
    }


def test_only_the_tied_bids_carry_a_tie_note():
    first = _bid(1, 50_000_00, (5, 5, 5))
    tied_a = _bid(2, 60_000_00, (3, 3, 3))
    tied_b = _bid(3, 60_000_00, (3, 3, 3), minutes=1)
    ranked = rules.rank_bids(WEIGHTS, 40, [tied_b, tied_a, first])
    assert [(r.bid_id, bool(r.tie_note)) for r in ranked] == [(1, False), (2, True), (3, True)]


def test_no_bids_make_an_empty_ranking():
    assert rules.rank_bids(WEIGHTS, 40, []) == []


# Standstill: 8 Welsh working days after the notice; the contract from the day after


def test_standstill_skips_a_weekend():
    # Wednesday 4 November 2026: Thu 5, Fri 6, (weekend), Mon 9 ... Mon 16 November.
    assert rules.standstill_ends_on(date(2026, 11, 4)) == date(2026, 11, 16)


def test_a_notice_given_on_a_friday_starts_counting_on_monday():
    # Friday 6 November 2026: 9, 10, 11, 12, 13, 16, 17, 18 November.
    assert rules.standstill_ends_on(date(2026, 11, 6)) == date(2026, 11, 18)


def test_standstill_skips_christmas_day_boxing_day_observed_on_monday_28_december_and_new_years_day():
    # Friday 18 December 2026: 21, 22, 23, 24, (25 Christmas, 26-27 weekend, 28 Boxing Day observed), 29, 30, 31
    # December, (1 January 2027), 4 January 2027.
    assert rules.standstill_ends_on(date(2026, 12, 18)) == date(2027, 1, 4)


def test_standstill_from_christmas_eve_ends_after_every_holiday_of_the_season():
    # Thursday 24 December 2026: 29, 30, 31 December, 4, 5, 6, 7, 8 January 2027.
    assert rules.standstill_ends_on(date(2026, 12, 24)) == date(2027, 1, 8)


def test_standstill_skips_good_friday_and_easter_monday_2027():
    # Wednesday 24 March 2027: Thu 25, (Fri 26 Good Friday, weekend, Mon 29 Easter Monday), 30, 31 March,
    # 1, 2, 5, 6, 7 April.
    assert rules.standstill_ends_on(date(2027, 3, 24)) == date(2027, 4, 7)


def test_standstill_without_a_bank_holiday_is_eight_weekdays():
    # Monday 8 March 2027 to Thursday 18 March 2027 (no holiday; St David's Day is not a bank holiday).
    assert rules.standstill_ends_on(date(2027, 3, 8)) == date(2027, 3, 18)


@pytest.mark.parametrize("route", ["direct_award_2", "most_suitable_provider", "competitive"])
def test_routes_with_standstill_can_confirm_the_day_after_standstill_ends(route):
    assert rules.earliest_confirmation_on(route, date(2026, 12, 18)) == date(2027, 1, 5)


def test_direct_award_1_has_no_standstill_and_can_confirm_on_the_day_of_the_notice():
    assert rules.earliest_confirmation_on("direct_award_1", date(2026, 12, 18)) == date(2026, 12, 18)


def test_the_contract_cannot_be_made_before_the_earliest_day():
    assert not rules.can_confirm(today=date(2027, 1, 4), earliest_on=date(2027, 1, 5), open_representations=0)
    assert rules.can_confirm(today=date(2027, 1, 5), earliest_on=date(2027, 1, 5), open_representations=0)
    assert rules.can_confirm(today=date(2027, 2, 1), earliest_on=date(2027, 1, 5), open_representations=0)


def test_an_unanswered_representation_keeps_standstill_open_past_the_earliest_day():
    assert not rules.can_confirm(today=date(2027, 2, 1), earliest_on=date(2027, 1, 5), open_representations=1)


def _refusal(**changes):
    values = {
        "route": "competitive",
        "award_status": "standstill",
        "standstill_ends_on": date(2027, 1, 4),
        "today": date(2027, 1, 4),
        "own_vehicle_id": 2,
        "winner_vehicle_id": 1,
        "submitted_a_bid": True,
    }
    return rules.representation_refusal(**{**values, **changes})


def test_a_losing_bidder_may_make_a_representation_up_to_the_last_day_of_standstill():
    assert _refusal() is None
    assert _refusal(today=date(2027, 1, 5)) is not None
    assert _refusal(submitted_a_bid=False) is not None
    assert _refusal(own_vehicle_id=1) is not None
    assert _refusal(award_status="confirmed") is not None
    assert _refusal(route="direct_award_1", standstill_ends_on=None) is not None
    assert _refusal(route="direct_award_2", submitted_a_bid=False) is None


# The tie rule reads totals as shown, to 2 decimal places


def test_totals_that_differ_only_past_the_second_decimal_are_a_tie_settled_by_quality():
    # Quality 44 + price 40 = 84.0000; quality 46 + 40 x 50,000 / 52,632.55 = 83.9993, shown as 84.00 too.
    cheaper = _bid(1, 50_000_00, (4, 4, 2))
    better = _bid(2, 52_632_55, (4, 4, 3))
    ranked = rules.rank_bids(WEIGHTS, 40, [cheaper, better])
    assert [r.total_score for r in ranked] == [46 + Fraction(40 * 50_000_00, 52_632_55), 84]
    assert [(r.bid_id, r.rank) for r in ranked] == [(2, 1), (1, 2)]
    assert {r.tie_note for r in ranked} == {"Tied on total score; ranked by the higher quality score"}


def test_totals_that_differ_at_the_second_decimal_are_no_tie():
    # 84.00 against 83.99 (quality 46 + 40 x 50,000 / 52,640 = 83.9939): the higher total wins despite its quality.
    cheaper = _bid(1, 50_000_00, (4, 4, 2))
    better = _bid(2, 52_640_00, (4, 4, 3))
    ranked = rules.rank_bids(WEIGHTS, 40, [better, cheaper])
    assert [(r.bid_id, r.rank, r.tie_note) for r in ranked] == [(1, 1, ""), (2, 2, "")]


def test_a_ranked_bid_carries_its_exact_quality_price_and_total_scores():
    ranked = rules.rank_bids(WEIGHTS, 40, [_bid(1, 50_000_00, (5, 0, 1)), _bid(2, 75_000_00, (0, 5, 5))])
    assert [(r.bid_id, r.quality_score, r.price_score, r.total_score) for r in ranked] == [
        (1, 32, 40, 72),
        (2, 30, Fraction(80, 3), Fraction(170, 3)),
    ]


def test_the_lowest_price_anywhere_in_the_field_sets_the_price_scores():
    # The cheapest bid is listed last: the price scores still use it, not the first bid's price.
    ranked = rules.rank_bids(
        WEIGHTS, 40, [_bid(1, 80_000_00, (0, 0, 0)), _bid(2, 60_000_00, (0, 0, 0)), _bid(3, 40_000_00, (0, 0, 0))]
    )
    assert [(r.bid_id, r.price_score) for r in ranked] == [(3, 40), (2, Fraction(80, 3)), (1, 20)]


def test_among_three_bids_only_the_two_with_equal_shown_totals_are_tied():
    top = _bid(1, 50_000_00, (5, 5, 5))  # 100
    cheaper = _bid(2, 50_000_00, (4, 4, 2))  # 84.0000
    better = _bid(3, 52_632_55, (4, 4, 3))  # 83.9993
    ranked = rules.rank_bids(WEIGHTS, 40, [cheaper, top, better])
    assert [(r.bid_id, r.rank, bool(r.tie_note)) for r in ranked] == [(1, 1, False), (3, 2, True), (2, 3, True)]


def test_a_bid_with_no_price_scores_nothing_for_price():
    assert rules.price_score(40, 0, 0) == 0
    assert rules.price_score(40, 50_000_00, -1) == 0


def test_the_price_score_holds_for_prices_of_a_penny_or_two():
    assert rules.price_score(40, 1, 1) == 40
    assert rules.price_score(40, 1, 2) == 20


def test_a_price_equal_to_a_years_maximum_is_allowed_and_a_penny_more_is_not():
    assert rules.price_problem({2027: 80_000_00, 2028: 82_000_00}, MAXIMA) is None
    assert rules.price_problem({2027: 80_000_01, 2028: 82_000_00}, MAXIMA) == (
        "The price for %(year)s is above the maximum of %(maximum)s",
        2027,
    )


def test_a_price_of_one_penny_is_allowed_and_a_negative_price_is_not():
    assert rules.price_problem({2027: 1, 2028: 1}, MAXIMA) is None
    assert rules.price_problem({2027: 1, 2028: -1}, MAXIMA) == ("The price for %(year)s must be more than £0", 2028)


def test_the_problem_reported_is_the_one_in_the_earliest_year():
    prices = {2028: 0, 2027: 90_000_00}
    assert rules.price_problem(prices, MAXIMA) == ("The price for %(year)s is above the maximum of %(maximum)s", 2027)


def test_a_bid_is_open_up_to_the_last_moment_before_the_deadline_only_while_published():
    assert rules.bids_open("published", DEADLINE, DEADLINE - timedelta(microseconds=1))
    assert not rules.bids_open("published", DEADLINE, AFTER)


def test_a_notice_on_a_saturday_counts_from_monday():
    # Saturday 7 November 2026: 9, 10, 11, 12, 13, 16, 17, 18 November.
    assert rules.standstill_ends_on(date(2026, 11, 7)) == date(2026, 11, 18)


def test_the_contract_can_be_made_on_the_earliest_day_only_when_no_representation_is_open():
    assert rules.can_confirm(today=date(2027, 1, 5), earliest_on=date(2027, 1, 5), open_representations=0)
    assert not rules.can_confirm(today=date(2027, 1, 5), earliest_on=date(2027, 1, 5), open_representations=2)


def test_equal_prices_read_from_separate_rows_are_equal_for_the_tie_rule():
    # Prices loaded from the database are separate int objects: equality, not identity, decides the tie note.
    first = _bid(1, int("5000000"), (4, 4, 3), minutes=30)
    second = _bid(2, int("5000000"), (4, 4, 3), minutes=10)
    assert first.total_price_pence is not second.total_price_pence
    ranked = rules.rank_bids(WEIGHTS, 40, [first, second])
    assert [r.bid_id for r in ranked] == [2, 1]
    assert {r.tie_note for r in ranked} == {
        "Tied on total score, quality score and price; ranked by the earlier submission"
    }


# What the evaluation pages offer (decided here, rendered by evaluation.html and evaluate.html)


def test_bids_are_sealed_until_the_deadline_and_while_there_is_none():
    assert rules.bids_sealed(DEADLINE, BEFORE)
    assert not rules.bids_sealed(DEADLINE, DEADLINE)
    assert rules.bids_sealed(None, AFTER)


@pytest.mark.parametrize(
    ("status", "awarded", "offered"),
    [
        ("published", False, {"name_panel", "direct_award"}),
        ("closed", False, {"name_panel", "direct_award"}),
        ("closed", True, {"name_panel"}),
        ("under_evaluation", False, {"name_panel", "score", "moderate", "award"}),
        ("under_evaluation", True, {"name_panel", "score"}),
        ("awarded", True, set()),
        ("cancelled", False, set()),
    ],
)
def test_the_evaluation_pages_offer_what_the_status_allows(status, awarded, offered):
    actions = rules.evaluation_actions(status=status, bid_deadline_at=DEADLINE, now=AFTER, awarded=awarded)
    assert {name for name, yes in actions.items() if yes and name != "sealed"} == offered
    assert not actions["sealed"]


def test_a_vehicle_serves_a_specification_when_it_serves_at_least_one_of_its_clusters():
    assert rules.serves_specification({1, 2}, {2, 3})
    assert rules.serves_specification({3}, {1, 2, 3})
    assert not rules.serves_specification({4, 5}, {1, 2, 3})
    assert not rules.serves_specification({1}, set()), "a specification without clusters is served by nobody"
    assert not rules.serves_specification(set(), {1})


def test_a_panel_member_declares_then_scores_unless_recused_and_nothing_is_asked_once_finished():
    task = rules.panel_task
    kw = {"specification_status": "under_evaluation", "conflict": False}
    assert task(**kw, declared=False, scores_given=0, scores_needed=6) is rules.PanelTask.DECLARE
    assert task(**{**kw, "conflict": True}, declared=True, scores_given=0, scores_needed=6) is rules.PanelTask.RECUSED
    assert task(**kw, declared=True, scores_given=5, scores_needed=6) is rules.PanelTask.SCORE
    assert task(**kw, declared=True, scores_given=6, scores_needed=6) is rules.PanelTask.DONE
    assert task(**kw, declared=True, scores_given=0, scores_needed=0) is rules.PanelTask.SCORE, "no bids yet"
    for ended in ("awarded", "cancelled"):
        assert task(**{**kw, "specification_status": ended}, declared=False, scores_given=0, scores_needed=6) is (
            rules.PanelTask.FINISHED
        )


def test_a_bids_outcome_comes_from_the_award_notice_once_there_is_one():
    outcome = rules.bid_outcome
    assert outcome(bid_status="draft", specification_status="awarded", awarded_vehicle_id=1, own_vehicle_id=1) is (
        rules.BidOutcome.DRAFT
    )
    assert outcome(
        bid_status="withdrawn", specification_status="published", awarded_vehicle_id=None, own_vehicle_id=1
    ) is (rules.BidOutcome.WITHDRAWN)
    assert outcome(
        bid_status="submitted", specification_status="under_evaluation", awarded_vehicle_id=None, own_vehicle_id=1
    ) is (rules.BidOutcome.SUBMITTED)
    assert outcome(
        bid_status="submitted", specification_status="under_evaluation", awarded_vehicle_id=1, own_vehicle_id=1
    ) is (rules.BidOutcome.AWARDED)
    assert outcome(bid_status="submitted", specification_status="awarded", awarded_vehicle_id=2, own_vehicle_id=1) is (
        rules.BidOutcome.UNSUCCESSFUL
    )
    assert outcome(
        bid_status="submitted", specification_status="cancelled", awarded_vehicle_id=None, own_vehicle_id=1
    ) is (rules.BidOutcome.CANCELLED)


def test_only_a_recusal_or_a_full_set_of_scores_lets_the_evaluation_finish():
    from commissioning.rules import PanelSeat, scoring_complete

    done, silent = PanelSeat(True, False, 6), PanelSeat(False, False, 0)
    assert scoring_complete([done], 6)
    assert not scoring_complete([done, silent], 6), "a member who has not declared holds it up"
    assert scoring_complete([done, PanelSeat(True, True, 0)], 6), "a recused member does not"
    assert not scoring_complete([done, PanelSeat(True, False, 5)], 6)
    assert not scoring_complete([PanelSeat(True, True, 0)], 6), "someone must score"
    assert not scoring_complete([done], 0), "no bids: nothing to finish"


def test_an_evaluator_has_scored_a_bid_only_once_every_criterion_has_their_score():
    assert rules.has_scored_bid([0, 1, 2], WEIGHTS)
    assert not rules.has_scored_bid([0, 2], WEIGHTS)
    assert not rules.has_scored_bid([], WEIGHTS)
    assert rules.has_scored_bid([2, 0, 1, 1], [0, 1, 2]), "in any order, a criterion rescored counts once"


# Refusals carry their facts (issue 10, item 20)


def test_a_bid_after_the_deadline_is_refused_with_the_deadline_as_a_fact():
    refusal = rules.bid_refusal(route="competitive", status="published", bid_deadline_at=DEADLINE, now=DEADLINE)
    assert isinstance(refusal, Conflict)
    assert refusal.params["bid_deadline_at"] == DEADLINE
    assert rules.bid_refusal(route="competitive", status="published", bid_deadline_at=DEADLINE, now=BEFORE) is None


def test_a_refusal_before_the_deadline_names_no_deadline():
    cancelled = rules.bid_refusal(route="competitive", status="cancelled", bid_deadline_at=DEADLINE, now=BEFORE)
    direct = rules.bid_refusal(route="direct_award_2", status="published", bid_deadline_at=DEADLINE, now=AFTER)
    assert cancelled is not None and "bid_deadline_at" not in cancelled.params
    assert direct is not None and direct.message == "This specification is a direct award: it takes no bids"
    assert "bid_deadline_at" not in direct.params


def test_a_contract_refused_during_standstill_names_the_first_day_it_can_be_made():
    refusal = rules.confirmation_refusal(today=date(2027, 1, 4), earliest_on=date(2027, 1, 5), open_representations=0)
    assert refusal is not None and refusal.params["earliest_confirmation_on"] == date(2027, 1, 5)
    assert refusal.params["date"] == date(2027, 1, 5)
    assert (
        rules.confirmation_refusal(today=date(2027, 1, 5), earliest_on=date(2027, 1, 5), open_representations=0) is None
    )


def test_an_open_representation_refuses_the_contract_with_its_count_and_no_date():
    refusal = rules.confirmation_refusal(today=date(2027, 1, 4), earliest_on=date(2027, 1, 5), open_representations=2)
    assert refusal is not None and refusal.params == {"count": 2}


def test_a_representation_after_standstill_names_the_last_day_of_standstill():
    refusal = rules.representation_refusal(
        route="competitive",
        award_status="standstill",
        standstill_ends_on=date(2027, 1, 4),
        today=date(2027, 1, 5),
        own_vehicle_id=2,
        winner_vehicle_id=1,
        submitted_a_bid=True,
    )
    assert refusal is not None and refusal.params["standstill_ends_on"] == date(2027, 1, 4)
