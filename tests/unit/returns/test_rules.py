"""A KPI value's RAG status at each threshold edge, both directions (returns/rules.py `kpi_rag`, thresholds as
contracts/tables.py ContractKpi states them), and the day a quarter's return is due (issue 13, item 1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts.rules import return_due_on
from returns.rules import RAG, Direction, kpi_rag, threshold

HAIR = Decimal("0.0001")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal(90), RAG.GREEN),
        (Decimal(80), RAG.GREEN),  # exactly green_from
        (Decimal(80) - HAIR, RAG.AMBER),  # a hair worse
        (Decimal(70), RAG.AMBER),
        (Decimal(60), RAG.AMBER),  # exactly red_from
        (Decimal(60) - HAIR, RAG.RED),  # a hair worse
        (Decimal(0), RAG.RED),
    ],
)
def test_higher_is_better_edges(value, expected):
    assert kpi_rag(value, "higher_is_better", Decimal(80), Decimal(60)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal(1), RAG.GREEN),
        (Decimal(5), RAG.GREEN),  # exactly green_from
        (Decimal(5) + HAIR, RAG.AMBER),  # a hair worse (higher)
        (Decimal(10), RAG.AMBER),  # exactly red_from
        (Decimal(10) + HAIR, RAG.RED),  # a hair worse
        (Decimal(50), RAG.RED),
    ],
)
def test_lower_is_better_edges(value, expected):
    assert kpi_rag(value, Direction.LOWER_IS_BETTER, Decimal(5), Decimal(10)) is expected


def test_thresholds_stored_as_text_rate_the_same_as_numbers():
    assert kpi_rag(Decimal("95.5"), "higher_is_better", "95.5%", " 90 ") is RAG.GREEN
    assert kpi_rag(Decimal("95.4"), "higher_is_better", "95.5%", " 90 ") is RAG.AMBER
    assert kpi_rag(Decimal("89.9"), "higher_is_better", "95.5%", " 90 ") is RAG.RED


def test_equal_thresholds_leave_no_amber():
    assert kpi_rag(Decimal(70), "higher_is_better", Decimal(70), Decimal(70)) is RAG.GREEN
    assert kpi_rag(Decimal(70) - HAIR, "higher_is_better", Decimal(70), Decimal(70)) is RAG.RED


@pytest.mark.parametrize(
    ("green_from", "red_from", "value"),
    [
        ("", "", Decimal(80)),
        ("", "60", Decimal(80)),
        ("80", "", Decimal(80)),
        (None, None, Decimal(80)),
        ("n/a", "60", Decimal(80)),
        ("80", "60", None),
    ],
)
def test_empty_thresholds_or_no_value_are_not_rated(green_from, red_from, value):
    assert kpi_rag(value, "higher_is_better", green_from, red_from) is RAG.NOT_RATED
    assert kpi_rag(Decimal(80), "higher_is_better", "80", "60") is RAG.GREEN


def test_a_rag_reads_as_a_word_and_a_tag():
    assert RAG.AMBER.label == "Amber" and RAG.AMBER.tag == "nhsuk-tag--yellow"
    assert RAG.NOT_RATED.label == "Not rated" and RAG.NOT_RATED.tag == "nhsuk-tag--grey"
    assert {rag.tag for rag in RAG} == {"nhsuk-tag--green", "nhsuk-tag--yellow", "nhsuk-tag--red", "nhsuk-tag--grey"}


def test_threshold_text():
    assert threshold("") is None and threshold("  ") is None
    assert threshold("1,250") == Decimal(1250)
    assert threshold("NaN") is None and threshold("Infinity") is None


# Due dates. -----------------------------------------------------------------------------------------------------


def test_a_due_day_on_a_working_day_stays():
    assert return_due_on(date(2027, 3, 31), 30) == date(2027, 4, 30)  # a Friday


def test_a_due_day_on_a_saturday_moves_to_monday():
    assert return_due_on(date(2027, 9, 30), 30) == date(2027, 11, 1)  # Saturday 30 October 2027


def test_a_due_day_on_the_august_bank_holiday_moves_to_the_tuesday():
    # 61 days after 30 June 2027 is Monday 30 August 2027, the late summer bank holiday.
    assert return_due_on(date(2027, 6, 30), 61) == date(2027, 8, 31)
    assert return_due_on(date(2027, 6, 30), 60) == date(2027, 8, 31), "Sunday 29 August moves past the Monday too"
    assert return_due_on(date(2027, 6, 30), 62) == date(2027, 8, 31), "the Tuesday itself stays"


def test_a_sunday_before_a_bank_holiday_monday_moves_to_the_tuesday():
    # 30 days after 31 March 2028 is Sunday 30 April; Monday 1 May 2028 is the early May bank holiday.
    assert return_due_on(date(2028, 3, 31), 30) == date(2028, 5, 2)


def test_christmas_and_its_observed_days_are_skipped():
    # 86 days after 30 September 2027 is Saturday 25 December; 27 and 28 December are the days off in lieu.
    assert return_due_on(date(2027, 9, 30), 86) == date(2027, 12, 29)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        return_due_on(date(2027, 3, 31), -1)
