"""The reading rules: a delivery return per quarter of the term up to a termination, and when a split is missing."""

from __future__ import annotations

from datetime import date

from contracts.rules import is_split_missing, return_schedule


def test_a_two_year_term_owes_eight_returns_each_due_n_days_after_its_quarter():
    returns = return_schedule(start_on=date(2027, 4, 1), end_on=date(2029, 3, 31), terminated_on=None, due_days=30)
    assert len(returns) == 8
    assert (returns[0].period_to, returns[0].due_on) == (date(2027, 6, 30), date(2027, 7, 30))
    assert (returns[3].financial_year, returns[3].quarter, returns[3].due_on) == (
        2027,
        4,
        date(2028, 5, 2),
    )  # Sunday, then the May bank holiday
    assert (returns[-1].period_to, returns[-1].due_on) == (date(2029, 3, 31), date(2029, 4, 30))


def test_the_due_days_are_the_contracts_own():
    returns = return_schedule(start_on=date(2027, 4, 1), end_on=date(2028, 3, 31), terminated_on=None, due_days=10)
    assert [r.due_on for r in returns] == [
        date(2027, 7, 12),
        date(2027, 10, 11),
        date(2028, 1, 10),
        date(2028, 4, 10),
    ]  # weekends move on


def test_a_termination_keeps_the_returns_up_to_the_quarter_it_falls_in():
    def quarters(terminated_on: date) -> list[tuple[int, int]]:
        found = return_schedule(
            start_on=date(2027, 4, 1), end_on=date(2029, 3, 31), terminated_on=terminated_on, due_days=30
        )
        return [(r.financial_year, r.quarter) for r in found]

    assert quarters(date(2027, 6, 30)) == [(2027, 1)]
    assert quarters(date(2027, 7, 1)) == [(2027, 1), (2027, 2)]
    assert quarters(date(2028, 4, 1)) == [(2027, 1), (2027, 2), (2027, 3), (2027, 4), (2028, 1)]
    assert quarters(date(2027, 3, 31)) == []  # terminated the day before it started


def test_a_split_is_missing_while_some_year_lacks_a_cluster():
    assert is_split_missing(clusters=2, years=2, allocations=0)
    assert is_split_missing(clusters=2, years=2, allocations=3)
    assert not is_split_missing(clusters=2, years=2, allocations=4)
    assert not is_split_missing(clusters=0, years=2, allocations=0)
