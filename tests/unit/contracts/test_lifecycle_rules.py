"""The lifecycle's own rules: which move starts from which status, the dates around the term, KPI thresholds in the
KPI's direction, and the split after a termination summing exactly (issue 12, items 2 and 4)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.rules import (
    CONTRACT_MOVES,
    MOVE_FROM,
    MOVE_TO,
    Allocation,
    ContractMove,
    ContractStatus,
    kpi_thresholds,
    lifecycle_refusal,
    resplit,
)
from core.errors import Conflict, RuleBroken

START, END = date(2027, 4, 1), date(2030, 3, 31)
MID = date(2028, 6, 1)


@pytest.mark.parametrize("move", list(ContractMove))
@pytest.mark.parametrize("status", list(ContractStatus))
def test_a_move_from_a_status_outside_its_own_is_refused_as_a_conflict(move, status):
    today = date(2030, 4, 1) if move is ContractMove.EXPIRE else MID
    refusal = lifecycle_refusal(move, current=status, today=today, start_on=START, end_on=END)
    if status in MOVE_FROM[move]:
        assert refusal is None
        assert MOVE_TO[move] in CONTRACT_MOVES[status]  # never allows what the status table does not
    else:
        assert isinstance(refusal, Conflict)


def test_live_is_reached_by_mobilising_only_from_mobilising_and_by_resuming_only_from_suspended():
    assert isinstance(
        lifecycle_refusal(
            ContractMove.MOBILISE, current=ContractStatus.SUSPENDED, today=MID, start_on=START, end_on=END
        ),
        Conflict,
    )
    assert isinstance(
        lifecycle_refusal(
            ContractMove.RESUME, current=ContractStatus.MOBILISING, today=MID, start_on=START, end_on=END
        ),
        Conflict,
    )


@pytest.mark.parametrize(
    ("today", "refused"), [(date(2027, 3, 31), True), (START, False), (END, False), (date(2030, 4, 1), True)]
)
def test_mobilisation_is_refused_before_the_start_date_and_after_the_term(today, refused):
    refusal = lifecycle_refusal(
        ContractMove.MOBILISE, current=ContractStatus.MOBILISING, today=today, start_on=START, end_on=END
    )
    assert isinstance(refusal, RuleBroken) is refused


@pytest.mark.parametrize(("today", "refused"), [(END, True), (date(2030, 4, 1), False)])
def test_expiry_comes_the_day_after_the_last_day(today, refused):
    refusal = lifecycle_refusal(
        ContractMove.EXPIRE, current=ContractStatus.LIVE, today=today, start_on=START, end_on=END
    )
    assert (refusal is not None) is refused


def test_suspending_or_resuming_after_the_term_is_refused():
    for move, status in ((ContractMove.SUSPEND, ContractStatus.LIVE), (ContractMove.RESUME, ContractStatus.SUSPENDED)):
        assert lifecycle_refusal(move, current=status, today=END, start_on=START, end_on=END) is None
        refusal = lifecycle_refusal(move, current=status, today=date(2030, 4, 1), start_on=START, end_on=END)
        assert isinstance(refusal, RuleBroken)


@pytest.mark.parametrize(
    ("direction", "green", "red", "shown"),
    [
        ("higher_is_better", "85", "70", ("85", "70")),
        ("higher_is_better", "70.0", "70", ("70", "70")),
        ("lower_is_better", "5", "12.50", ("5", "12.5")),
        ("lower_is_better", " 1,000 ", "2000", ("1000", "2000")),
    ],
)
def test_thresholds_consistent_with_the_direction_are_kept_as_plain_decimals(direction, green, red, shown):
    assert kpi_thresholds(direction, green, red) == shown


@pytest.mark.parametrize(
    ("direction", "green", "red", "field"),
    [
        ("higher_is_better", "69.99", "70", "green_from"),
        ("lower_is_better", "12.51", "12.5", "green_from"),
        ("higher_is_better", "lots", "70", "green_from"),
        ("higher_is_better", "85", "", "red_from"),
        ("higher_is_better", "NaN", "70", "green_from"),
        ("higher_is_better", "85", "Infinity", "red_from"),
    ],
)
def test_thresholds_that_are_not_numbers_or_contradict_the_direction_are_refused_on_their_field(
    direction, green, red, field
):
    with pytest.raises(RuleBroken) as refused:
        kpi_thresholds(direction, green, red)
    assert refused.value.field == field


def test_a_resplit_follows_the_stored_populations_not_the_old_amounts():
    stored = [
        Allocation(2027, 1, 50_00, "population", 300, "src"),
        Allocation(2027, 2, 50_00, "population", 100, "src"),
    ]
    assert [(a.cluster_id, a.amount_pence, a.population) for a in resplit(stored, {2027: 100_00})] == [
        (1, 75_00, 300),
        (2, 25_00, 100),
    ]


def test_a_resplit_of_an_explicit_split_keeps_its_proportions_and_a_released_year_is_zero():
    stored = [
        Allocation(2027, 1, 90_00, "explicit", None, ""),
        Allocation(2027, 2, 10_00, "explicit", None, ""),
        Allocation(2028, 1, 50_00, "explicit", None, ""),
        Allocation(2028, 2, 50_00, "explicit", None, ""),
    ]
    kept = resplit(stored, {2027: 50_00, 2028: 0})
    assert [(a.financial_year, a.cluster_id, a.amount_pence, a.method) for a in kept] == [
        (2027, 1, 45_00, "explicit"),
        (2027, 2, 5_00, "explicit"),
        (2028, 1, 0, "explicit"),
        (2028, 2, 0, "explicit"),
    ]


@given(
    amounts=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=8),
    share=st.integers(min_value=0, max_value=1000),
)
def test_a_resplit_always_sums_exactly_to_the_new_value(amounts, share):
    stored = [Allocation(2027, index, amount, "explicit", None, "") for index, amount in enumerate(amounts)]
    new_value = sum(amounts) * share // 1000
    assert sum(a.amount_pence for a in resplit(stored, {2027: new_value})) == new_value
