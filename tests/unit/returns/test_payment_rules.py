"""The payment rules (issue 13, item 4): when a quarter's payment is due, what may be done with it, separation of
duties, the split of an approved payment across clusters (exact to the penny) and value for money."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returns import rules
from returns.rules import PaymentAction, PaymentStatus, ReturnStatus

Q2 = date(2027, 7, 1)


def test_in_advance_a_payment_is_due_from_its_quarters_first_day_not_the_day_before():
    assert rules.payment_state("in_advance", Q2, date(2027, 6, 30), None, None) is PaymentStatus.SCHEDULED
    assert rules.payment_state("in_advance", Q2, Q2, None, None) is PaymentStatus.PAYABLE
    assert rules.payment_state("in_advance", Q2, date(2027, 12, 1), ReturnStatus.DRAFT, None) is PaymentStatus.PAYABLE


@pytest.mark.parametrize("status", [None, *[s for s in ReturnStatus if s is not ReturnStatus.ACCEPTED]])
def test_in_arrears_a_payment_waits_for_its_return_to_be_accepted(status):
    assert rules.payment_state("in_arrears", Q2, date(2029, 1, 1), status, None) is PaymentStatus.SCHEDULED


def test_in_arrears_an_accepted_return_makes_the_payment_due_whatever_the_day():
    assert rules.payment_state("in_arrears", Q2, date(2027, 1, 1), "accepted", None) is PaymentStatus.PAYABLE


@pytest.mark.parametrize("decided", [PaymentStatus.APPROVED, PaymentStatus.WITHHELD, "approved", "withheld"])
def test_a_decision_stands_over_the_schedule(decided):
    for timing in ("in_advance", "in_arrears"):
        assert rules.payment_state(timing, Q2, date(2027, 1, 1), None, decided) is PaymentStatus(decided)


def test_a_released_payment_reads_as_the_schedule_says_again():
    assert rules.payment_state("in_arrears", Q2, Q2, "accepted", rules.PAYMENT_RELEASED) is PaymentStatus.PAYABLE
    assert rules.payment_state("in_arrears", Q2, Q2, "queried", rules.PAYMENT_RELEASED) is PaymentStatus.SCHEDULED


def test_only_a_due_payment_is_approved_or_withheld_and_only_a_withheld_one_released():
    allowed = {
        (action, state)
        for action in PaymentAction
        for state in PaymentStatus
        if rules.payment_move_refusal(action, state) is None
    }
    assert allowed == {
        (PaymentAction.APPROVE, PaymentStatus.PAYABLE),
        (PaymentAction.WITHHOLD, PaymentStatus.PAYABLE),
        (PaymentAction.RELEASE, PaymentStatus.WITHHELD),
    }
    assert "%(status)s" in (rules.payment_move_refusal(PaymentAction.APPROVE, PaymentStatus.APPROVED) or "")


def test_whoever_accepted_the_return_cannot_approve_its_payment():
    assert rules.approval_refusal("gareth", "gareth", ReturnStatus.ACCEPTED) == rules.SAME_PERSON_REFUSAL
    assert rules.approval_refusal("Gareth ", "gareth", "accepted") == rules.SAME_PERSON_REFUSAL
    assert rules.approval_refusal("catrin", "gareth", "accepted") is None
    assert rules.approval_refusal("gareth", "", "accepted") is None
    assert rules.approval_refusal("gareth", None, None) is None
    assert rules.approval_refusal("gareth", "gareth", "queried") is None  # queried, not accepted, by them


def test_a_payment_is_split_across_clusters_as_the_years_value_is():
    assert rules.payment_split(30_000_00, {7: 60_000_00, 3: 60_000_00}) == {3: 15_000_00, 7: 15_000_00}
    assert rules.payment_split(100, {1: 1, 2: 2}) == {1: 33, 2: 67}
    assert rules.payment_split(10, {1: 0, 2: 0}) == {1: 5, 2: 5}
    with pytest.raises(ValueError):
        rules.payment_split(10, {})


@given(
    st.integers(min_value=0, max_value=10**11),
    st.dictionaries(st.integers(1, 60), st.integers(0, 10**11), min_size=1, max_size=8),
)
def test_a_payments_split_sums_back_to_it_to_the_penny_each_part_within_a_penny_of_its_share(amount, allocations):
    split = rules.payment_split(amount, allocations)
    assert set(split) == set(allocations)
    assert sum(split.values()) == amount
    total = sum(allocations.values())
    if total:
        for cluster, part in split.items():
            assert abs(part * total - amount * allocations[cluster]) < total


def test_reported_spend_counts_once_the_return_is_submitted_and_cost_per_unit_rounds_half_up():
    assert rules.reported_spend("draft", 500) is None
    assert rules.reported_spend(None, 500) is None
    assert rules.reported_spend("submitted", 500) == 500
    assert rules.cost_per_unit(1000, 3) == 333
    assert rules.cost_per_unit(1001, 2) == 501  # 500.5 up
    assert rules.cost_per_unit(1000, 0) is None
    assert rules.cost_per_unit(None, 3) is None


def test_every_payment_status_has_words_and_a_tag():
    for status in PaymentStatus:
        assert status.label and status.tag.startswith("nhsuk-tag--")
    assert rules.PAYMENT_STATUS_ORDER[0] is PaymentStatus.PAYABLE
