from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.working_days import add_working_days, bank_holidays_between, is_bank_holiday, is_working_day

# The Welsh bank holidays on gov.uk for 2026 and 2027, weekdays only (what stops a working day).
WELSH_BANK_HOLIDAYS_2026_27 = {
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),  # Boxing Day, a Saturday, moves to Monday
    date(2027, 1, 1),
    date(2027, 3, 26),
    date(2027, 3, 29),
    date(2027, 5, 3),
    date(2027, 5, 31),
    date(2027, 8, 30),
    date(2027, 12, 27),  # Christmas Day, a Saturday, moves to Monday
    date(2027, 12, 28),  # Boxing Day, a Sunday, moves to Tuesday
}

_WALES = holidays.country_holidays("GB", subdiv="WLS", years=range(1999, 2102))


def _working(day: date) -> bool:
    return day.weekday() < 5 and day not in _WALES


def test_eight_working_days_from_before_christmas_2026_skip_christmas_boxing_day_and_new_year():
    # Fri 18 Dec 2026: 21, 22, 23, 24, 29, 30, 31 Dec, then 4 Jan (25, 28 Dec and 1 Jan are bank holidays).
    assert add_working_days(date(2026, 12, 18), 8) == date(2027, 1, 4)


def test_boxing_day_2026_is_observed_on_monday_28_december():
    assert not is_working_day(date(2026, 12, 28))
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_eight_working_days_from_the_thursday_before_easter_2027_skip_good_friday_and_easter_monday():
    # Thu 25 Mar 2027: 30, 31 Mar, 1, 2, 5, 6, 7, 8 Apr.
    assert add_working_days(date(2027, 3, 25), 8) == date(2027, 4, 8)


def test_the_working_days_of_2026_and_2027_miss_exactly_the_welsh_bank_holidays():
    day = date(2026, 1, 1)
    missed = set()
    while day <= date(2027, 12, 31):
        if day.weekday() < 5 and not is_working_day(day):
            missed.add(day)
        day += timedelta(days=1)
    assert missed == WELSH_BANK_HOLIDAYS_2026_27


@pytest.mark.parametrize(
    "day",
    [
        date(2027, 1, 4),  # 2 January holiday in Scotland (moved to Monday)
        date(2027, 8, 2),  # summer bank holiday in Scotland
        date(2027, 3, 17),  # St Patrick's Day in Northern Ireland
        date(2027, 7, 12),  # Battle of the Boyne in Northern Ireland
        date(2027, 11, 30),  # St Andrew's Day in Scotland
    ],
)
def test_holidays_of_other_uk_nations_are_working_days_in_wales(day):
    assert is_working_day(day)


def test_a_computed_date_can_be_explained_by_the_bank_holidays_it_skipped():
    assert bank_holidays_between(date(2026, 12, 18), date(2027, 1, 4)) == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 26), "Boxing Day"),
        (date(2026, 12, 28), "Boxing Day (observed)"),
        (date(2027, 1, 1), "New Year's Day"),
    ]


def test_zero_working_days_after_a_day_is_that_day():
    assert add_working_days(date(2026, 12, 26), 0) == date(2026, 12, 26)


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        add_working_days(date(2026, 12, 18), -1)


@settings(max_examples=200)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    count=st.integers(min_value=1, max_value=40),
)
def test_adding_working_days_never_lands_on_a_weekend_or_welsh_bank_holiday(start, count):
    end = add_working_days(start, count)
    assert end.weekday() < 5
    assert not is_bank_holiday(end)
    assert end not in _WALES


@settings(max_examples=200)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    count=st.integers(min_value=0, max_value=40),
)
def test_adding_n_working_days_passes_exactly_n_working_days(start, count):
    end = add_working_days(start, count)
    passed = [start + timedelta(days=offset) for offset in range(1, (end - start).days + 1)]
    assert sum(_working(day) for day in passed) == count


def test_one_working_day_after_a_friday_is_the_monday_and_after_a_thursday_the_friday():
    assert add_working_days(date(2027, 3, 12), 1) == date(2027, 3, 15)
    assert add_working_days(date(2027, 3, 11), 1) == date(2027, 3, 12)


def test_a_weekend_day_that_is_no_bank_holiday_is_not_a_working_day():
    assert not is_bank_holiday(date(2027, 3, 13))
    assert not is_working_day(date(2027, 3, 13))
    assert not is_working_day(date(2027, 3, 14))
    assert is_working_day(date(2027, 3, 15))


def test_bank_holidays_on_the_first_and_last_day_of_a_range_are_listed():
    assert bank_holidays_between(date(2026, 12, 25), date(2027, 1, 1)) == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 26), "Boxing Day"),
        (date(2026, 12, 28), "Boxing Day (observed)"),
        (date(2027, 1, 1), "New Year's Day"),
    ]


def test_a_range_with_no_bank_holiday_lists_none():
    assert bank_holidays_between(date(2027, 3, 8), date(2027, 3, 18)) == []
