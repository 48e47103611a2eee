"""Dates have sensible ranges (issue 11, item 7): a bid deadline ahead and within two years; a service starting
within the specification's term."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from commissioning import rules

NOW = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)


def test_a_deadline_is_ahead_and_within_two_years():
    assert rules.deadline_problem(NOW + timedelta(minutes=1), NOW) is None
    assert rules.deadline_problem(NOW + timedelta(days=730), NOW) is None
    assert rules.deadline_problem(NOW, NOW) == "The bid deadline must be in the future"
    assert rules.deadline_problem(NOW - timedelta(days=1), NOW) == "The bid deadline must be in the future"
    assert rules.deadline_problem(NOW + timedelta(days=730, seconds=1), NOW) == (
        "The bid deadline must be within two years from now"
    )
    assert rules.deadline_problem(datetime(2207, 1, 5, tzinfo=UTC), NOW) is not None  # a mistyped year


def test_a_term_runs_from_the_first_april_to_the_last_march():
    assert rules.term_span(2027, 1) == (date(2027, 4, 1), date(2028, 3, 31))
    assert rules.term_span(2027, 3) == (date(2027, 4, 1), date(2030, 3, 31))


@pytest.mark.parametrize(
    ("start_on", "fits"),
    [
        (date(2027, 4, 1), True),
        (date(2029, 3, 31), True),
        (date(2028, 1, 15), True),
        (date(2027, 3, 31), False),
        (date(2029, 4, 1), False),
        (date(1999, 4, 1), False),
    ],
)
def test_a_service_starts_within_the_specifications_term(start_on, fits):
    problem = rules.start_on_problem(start_on, 2027, 2)
    assert (problem is None) is fits
    if not fits:
        assert "within the specification's term" in problem


def test_a_deadline_too_far_ahead_stops_publication():
    problems = rules.publication_problems(
        route="competitive",
        title="t",
        title_cy="t",
        description="d",
        description_cy="d",
        pcpg_id=1,
        cluster_pcpg_ids=[1],
        start_financial_year=2027,
        term=1,
        years=[rules.YearPlan(2027, 100, 1, 2027, 1)],
        kpi_count=1,
        criteria=[],
        price_weight=100,
        bid_deadline_at=NOW + timedelta(days=800),
        now=NOW,
    )
    assert problems.items["bid_deadline_at"] == "The bid deadline must be within two years from now"
