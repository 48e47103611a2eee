"""The delivery returns a contract asks for: one per quarter of its term, up to a termination, each due N days after
the quarter ends (issue 12, items 1 and 6)."""

from __future__ import annotations

from datetime import date

from contracts.rules import return_schedule


def _due(**changes):
    values = {"start_on": date(2027, 4, 1), "end_on": date(2029, 3, 31), "terminated_on": None, "due_days": 30}
    return [(r.financial_year, r.quarter, r.due_on) for r in return_schedule(**{**values, **changes})]


def test_a_two_year_term_asks_for_eight_returns_each_due_30_days_after_its_quarter():
    due = _due()
    assert len(due) == 8
    assert due[0] == (2027, 1, date(2027, 7, 30))
    assert due[-1] == (2028, 4, date(2029, 4, 30))


def test_the_days_allowed_move_every_due_date():
    assert _due(due_days=14)[0] == (2027, 1, date(2027, 7, 14))


def test_a_termination_keeps_the_quarter_it_falls_in_and_drops_the_later_ones():
    assert _due(terminated_on=date(2027, 10, 1))[-1] == (2027, 3, date(2028, 1, 31))
    assert len(_due(terminated_on=date(2027, 9, 30))) == 2
    assert _due(terminated_on=date(2027, 3, 31)) == [], "terminated before it started: nothing to report"
