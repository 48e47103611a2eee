"""The ledger of a budget line: headroom, the over-commit refusal, the 90 % warning and the smallest budget."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.rules import WARNING_SHARE_PERCENT, Ledger, crosses_warning, shortfall, smallest_budget

POUND = 100


def _ledger(budget: int, earmarked: int = 0, committed: int = 0, actual: int = 0) -> Ledger:
    return Ledger(budget_pence=budget, earmarked_pence=earmarked, committed_pence=committed, actual_pence=actual)


def test_headroom_is_the_budget_less_what_is_earmarked_and_committed():
    assert _ledger(100_000 * POUND, earmarked=30_000 * POUND, committed=20_000 * POUND).headroom_pence == (
        50_000 * POUND
    )


def test_spend_within_the_commitments_does_not_count_twice():
    ledger = _ledger(100_000 * POUND, committed=40_000 * POUND, actual=25_000 * POUND)
    assert ledger.headroom_pence == 60_000 * POUND


def test_spend_beyond_the_commitments_reduces_the_headroom():
    ledger = _ledger(100_000 * POUND, committed=40_000 * POUND, actual=55_000 * POUND)
    assert ledger.headroom_pence == 45_000 * POUND


def test_an_untouched_line_has_all_its_budget_as_headroom_and_is_0_percent_used():
    ledger = _ledger(250_000 * POUND)
    assert ledger.headroom_pence == 250_000 * POUND
    assert ledger.used_percent == 0


def test_used_percent_rounds_down_so_89_point_9_percent_is_not_yet_90():
    ledger = _ledger(1_000_000, earmarked=899_999)
    assert ledger.used_percent == 89


def test_a_zero_budget_with_nothing_held_is_0_percent_used_and_with_money_held_100_percent():
    assert _ledger(0).used_percent == 0
    assert _ledger(0, earmarked=1).used_percent == 100


def test_an_earmark_that_fits_exactly_has_no_shortfall():
    ledger = _ledger(300_000 * POUND, earmarked=100_000 * POUND)
    assert shortfall(ledger, 200_000 * POUND) == 0


def test_one_penny_past_the_headroom_is_a_shortfall_of_one_penny():
    ledger = _ledger(300_000 * POUND, earmarked=100_000 * POUND)
    assert shortfall(ledger, 200_000 * POUND + 1) == 1


def test_the_shortfall_is_what_the_new_amount_exceeds_the_headroom_by():
    ledger = _ledger(300_000 * POUND, earmarked=200_000 * POUND)
    assert shortfall(ledger, 150_000 * POUND) == 50_000 * POUND


def test_an_overspent_line_is_short_by_the_whole_new_amount_and_more():
    ledger = _ledger(100 * POUND, committed=150 * POUND)
    assert ledger.headroom_pence == -50 * POUND
    assert shortfall(ledger, 10 * POUND) == 60 * POUND


@pytest.mark.parametrize(
    ("earmarked", "new", "warns"),
    [
        (0, 89_999, False),
        (0, 90_000, True),
        (50_000, 39_999, False),
        (50_000, 40_000, True),
        (95_000, 0, True),
        (0, 0, False),
    ],
)
def test_the_warning_starts_when_the_line_would_be_90_percent_used(earmarked, new, warns):
    assert crosses_warning(_ledger(100_000, earmarked=earmarked), new) is warns


def test_a_line_with_no_budget_never_warns():
    assert crosses_warning(_ledger(0), 1_000) is False


def test_the_budget_cannot_go_below_earmarks_plus_the_larger_of_commitments_and_spend():
    assert smallest_budget(_ledger(500, earmarked=100, committed=200, actual=150)) == 300
    assert smallest_budget(_ledger(500, earmarked=100, committed=200, actual=260)) == 360
    assert smallest_budget(_ledger(500)) == 0


amounts = st.integers(min_value=0, max_value=10**12)


@settings(max_examples=200, deadline=None)
@given(budget=amounts, earmarked=amounts, committed=amounts, actual=amounts, new=amounts)
def test_an_amount_fits_exactly_when_there_is_no_shortfall(budget, earmarked, committed, actual, new):
    ledger = _ledger(budget, earmarked, committed, actual)
    missing = shortfall(ledger, new)
    assert missing >= 0
    assert (missing == 0) == (new <= ledger.headroom_pence)
    if missing:
        assert new - missing == ledger.headroom_pence, "taking off the shortfall leaves exactly the headroom"


@settings(max_examples=200, deadline=None)
@given(budget=amounts, earmarked=amounts, committed=amounts, actual=amounts)
def test_a_budget_set_to_its_smallest_allowed_amount_has_no_headroom_left(budget, earmarked, committed, actual):
    floor = smallest_budget(_ledger(budget, earmarked, committed, actual))
    assert _ledger(floor, earmarked, committed, actual).headroom_pence == 0


def test_a_line_exactly_90_percent_used_shows_90_percent():
    assert _ledger(1_000_000, earmarked=900_000).used_percent == 90
    assert _ledger(1_000_000, committed=899_999, actual=900_000).used_percent == 90


def test_used_percent_counts_earmarks_and_the_larger_of_commitments_and_spend():
    assert _ledger(1_000, earmarked=100, committed=300, actual=200).used_percent == 40
    assert _ledger(1_000, earmarked=100, committed=200, actual=300).used_percent == 40


def test_an_overspent_line_is_more_than_100_percent_used():
    assert _ledger(1_000, committed=1_500).used_percent == 150


def test_a_negative_budget_with_nothing_held_is_0_percent_used_and_with_money_held_100_percent():
    assert _ledger(-100).used_percent == 0
    assert _ledger(-100, committed=1).used_percent == 100


def test_a_new_amount_counts_towards_the_warning_with_what_is_committed_or_spent():
    assert crosses_warning(_ledger(1_000, committed=800), 100) is True
    assert crosses_warning(_ledger(1_000, committed=800), 99) is False
    assert crosses_warning(_ledger(1_000, committed=100, actual=800), 100) is True


def test_a_line_with_a_negative_budget_never_warns():
    assert crosses_warning(_ledger(-1), 1_000) is False


def test_the_warning_starts_at_90_percent():
    assert WARNING_SHARE_PERCENT == 90
    assert crosses_warning(_ledger(1_000), 900) is True
    assert crosses_warning(_ledger(1_000), 899) is False


def test_a_one_penny_budget_is_used_and_warned_on_like_any_other():
    assert _ledger(1, committed=2).used_percent == 200
    assert crosses_warning(_ledger(1), 1) is True
    assert crosses_warning(_ledger(1), 0) is False


def test_a_ledger_is_a_snapshot_that_cannot_be_changed_after_it_is_read():
    ledger = _ledger(1_000)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ledger.committed_pence = 5  # type: ignore[misc]


def test_committed_on_the_ledger_is_what_contracts_hold_less_what_has_been_paid():
    assert _ledger(1_000, committed=600, actual=250).committed_unspent_pence == 350
    assert _ledger(1_000, committed=600).committed_unspent_pence == 600


def test_spend_beyond_the_commitments_leaves_nothing_committed_and_comes_out_of_the_headroom():
    ledger = _ledger(1_000, earmarked=100, committed=300, actual=450)
    assert ledger.committed_unspent_pence == 0
    assert ledger.headroom_pence == 450


def test_an_over_committed_line_adds_up_with_a_headroom_below_nothing():
    ledger = _ledger(1_000, earmarked=200, committed=1_500)
    assert (ledger.committed_unspent_pence, ledger.headroom_pence) == (1_500, -700)
    assert (
        ledger.earmarked_pence + ledger.committed_unspent_pence + ledger.actual_pence + ledger.headroom_pence == 1_000
    )


@settings(max_examples=500, deadline=None)
@given(budget=amounts, earmarked=amounts, committed=amounts, actual=amounts)
def test_every_line_adds_up_to_its_budget_to_the_penny(budget, earmarked, committed, actual):
    """README, "The ledger": budget = earmarked + committed (not yet spent) + actual + headroom, always, also when the
    line is over-committed or the spend exceeds the commitments."""
    ledger = _ledger(budget, earmarked, committed, actual)
    parts = ledger.earmarked_pence + ledger.committed_unspent_pence + ledger.actual_pence + ledger.headroom_pence
    assert parts == ledger.budget_pence
    assert ledger.committed_unspent_pence >= 0
    assert ledger.committed_unspent_pence + ledger.actual_pence == max(committed, actual)
