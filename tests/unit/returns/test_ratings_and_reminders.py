"""The annual performance rating's suggestion and the years that may be rated (issue 13, item 6), and which days a
return is reminded on (item 7): pure rules, at their edges."""

from __future__ import annotations

from datetime import date

import pytest

from returns.rules import (
    RAG,
    PerformanceRatingKind,
    ReminderKind,
    ReturnStatus,
    rateable_years,
    reminder_due_days,
    reminder_for,
    suggested_rating,
)

G, A, R, N = RAG.GREEN, RAG.AMBER, RAG.RED, RAG.NOT_RATED


@pytest.mark.parametrize(
    ("rags", "expected"),
    [
        ([G, G, G, G], PerformanceRatingKind.GOOD),
        ([G, N, N, N], PerformanceRatingKind.GOOD),  # quarters not rated say nothing
        ([G, G, G, A], PerformanceRatingKind.APPROACHING_TARGET),
        ([A, A, A, A], PerformanceRatingKind.APPROACHING_TARGET),
        ([G, G, G, R], PerformanceRatingKind.REQUIRES_IMPROVEMENT),
        ([G, G, R, R], PerformanceRatingKind.REQUIRES_IMPROVEMENT),  # exactly half red
        ([A, A, R, R], PerformanceRatingKind.REQUIRES_IMPROVEMENT),
        ([G, R, R, R], PerformanceRatingKind.INADEQUATE),  # more than half red
        ([R], PerformanceRatingKind.INADEQUATE),
        ([R, N, N, G], PerformanceRatingKind.REQUIRES_IMPROVEMENT),
        ([], None),
        ([N, N], None),
    ],
)
def test_the_years_rag_suggests_a_rating(rags, expected):
    assert suggested_rating(rags) is expected


def test_every_rating_has_words_and_a_tag():
    assert [kind.label for kind in PerformanceRatingKind] == [
        "Good",
        "Approaching target",
        "Requires improvement",
        "Inadequate",
    ]
    assert all(kind.tag.startswith("nhsuk-tag--") for kind in PerformanceRatingKind)


def test_a_year_is_rated_once_it_has_ended():
    term = {"start_on": date(2027, 4, 1), "end_on": date(2030, 3, 31), "terminated_on": None}
    assert rateable_years(**term, today=date(2028, 3, 31)) == []  # its last day: not yet over
    assert rateable_years(**term, today=date(2028, 4, 1)) == [2027]
    assert rateable_years(**term, today=date(2029, 6, 1)) == [2027, 2028]


def test_a_terminated_contracts_last_year_is_rated_at_once_and_later_years_never():
    term = {"start_on": date(2027, 4, 1), "end_on": date(2030, 3, 31), "terminated_on": date(2028, 8, 15)}
    assert rateable_years(**term, today=date(2027, 9, 1)) == [2028]  # terminated ahead: rated on termination
    assert rateable_years(**term, today=date(2028, 5, 1)) == [2027, 2028]
    assert rateable_years(**term, today=date(2031, 5, 1)) == [2027, 2028]


def test_a_term_ending_within_a_year_is_rated_after_its_last_day():
    term = {"start_on": date(2027, 4, 1), "end_on": date(2027, 9, 30), "terminated_on": None}
    assert rateable_years(**term, today=date(2027, 9, 30)) == []
    assert rateable_years(**term, today=date(2027, 10, 1)) == [2027]


DUE = date(2027, 7, 30)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 7, 23), ReminderKind.DUE_SOON),  # 7 days before
        (date(2027, 7, 24), None),  # 6 days before
        (date(2027, 7, 22), None),  # 8 days before
        (date(2027, 7, 30), None),  # the due day itself
        (date(2027, 7, 31), ReminderKind.OVERDUE),
        (date(2027, 8, 1), ReminderKind.OVERDUE),
        (date(2027, 8, 2), ReminderKind.OVERDUE),
        (date(2027, 8, 3), None),  # the fourth day overdue
    ],
)
def test_a_return_not_yet_submitted_is_reminded_7_days_before_and_on_its_first_3_days_overdue(today, expected):
    assert reminder_for(ReturnStatus.DRAFT, DUE, today) is expected
    assert reminder_for(ReturnStatus.NOT_STARTED, DUE, today) is expected
    assert (DUE in reminder_due_days(today)) is (expected is not None)


@pytest.mark.parametrize("status", [ReturnStatus.SUBMITTED, ReturnStatus.QUERIED, ReturnStatus.ACCEPTED])
def test_a_submitted_return_is_never_reminded(status):
    assert reminder_for(status, DUE, date(2027, 7, 23)) is None
    assert reminder_for(status, DUE, date(2027, 7, 31)) is None
