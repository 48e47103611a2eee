from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.periods import FinancialYear

# Four-digit start years, so every label has the "2026-27" shape.
days = st.dates(min_value=date(1000, 4, 1), max_value=date(9998, 12, 31))


def test_the_last_day_of_march_2027_is_in_2026_27():
    assert FinancialYear.containing(date(2027, 3, 31)).label == "2026-27"


def test_the_first_day_of_april_2027_is_in_2027_28():
    assert FinancialYear.containing(date(2027, 4, 1)).label == "2027-28"


def test_a_financial_year_runs_from_1_april_to_31_march():
    year = FinancialYear.parse("2026-27")
    assert (year.first_day, year.last_day) == (date(2026, 4, 1), date(2027, 3, 31))


def test_the_quarters_run_april_july_october_january():
    assert FinancialYear(2026).quarters() == [
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 3, 31)),
    ]


def test_a_year_that_crosses_a_century_is_labelled_with_two_digits():
    assert FinancialYear(1999).label == "1999-00"
    assert FinancialYear.parse("1999-00") == FinancialYear(1999)


@pytest.mark.parametrize("label", ["2026-28", "2026/27", "26-27", "2026-2027", "", "next year"])
def test_a_label_that_is_not_a_financial_year_is_refused(label):
    with pytest.raises(ValueError, match="not a financial year label"):
        FinancialYear.parse(label)


def test_a_day_outside_the_year_has_no_quarter():
    with pytest.raises(ValueError, match="not in 2026-27"):
        FinancialYear(2026).quarter_of(date(2027, 4, 1))


def test_financial_years_sort_in_time_order_and_print_as_their_label():
    years = [FinancialYear(2028), FinancialYear(2026), FinancialYear(2027)]
    assert [str(year) for year in sorted(years)] == ["2026-27", "2027-28", "2028-29"]
    assert FinancialYear(2026).next() == FinancialYear(2027)


@settings(max_examples=200)
@given(day=days)
def test_any_day_lies_between_the_first_and_last_day_of_its_financial_year(day):
    year = FinancialYear.containing(day)
    assert year.first_day <= day <= year.last_day
    assert day in year
    assert day not in year.next()


@settings(max_examples=200)
@given(day=days)
def test_the_label_of_any_day_s_financial_year_reads_back_as_the_same_year(day):
    year = FinancialYear.containing(day)
    assert FinancialYear.parse(year.label) == year


@settings(max_examples=200)
@given(day=days)
def test_the_quarters_of_any_year_cover_it_without_gaps_or_overlaps(day):
    year = FinancialYear.containing(day)
    quarters = year.quarters()
    assert quarters[0][0] == year.first_day
    assert quarters[-1][1] == year.last_day
    for (_, end), (start, _) in pairwise(quarters):
        assert start == end + timedelta(days=1)
    number = year.quarter_of(day)
    first, last = quarters[number - 1]
    assert first <= day <= last


@settings(max_examples=200)
@given(day=days)
def test_the_day_after_a_financial_year_ends_starts_the_next_one(day):
    year = FinancialYear.containing(day)
    assert FinancialYear.containing(year.last_day + timedelta(days=1)) == year.next()
    assert year.next().first_day == year.last_day + timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 3, 31), False),
        (date(2026, 4, 1), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), True),
        (date(2027, 3, 31), True),
        (date(2027, 4, 1), False),
    ],
)
def test_1_april_and_31_march_are_inside_the_financial_year_and_the_days_beyond_are_not(day, inside):
    assert (day in FinancialYear(2026)) is inside
    assert (FinancialYear.containing(day) == FinancialYear(2026)) is inside


def test_something_that_is_not_a_date_is_in_no_financial_year():
    assert "2026-06-01" not in FinancialYear(2026)
    assert None not in FinancialYear(2026)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2026, 4, 1), 1),
        (date(2026, 6, 30), 1),
        (date(2026, 7, 1), 2),
        (date(2026, 9, 30), 2),
        (date(2026, 10, 1), 3),
        (date(2026, 12, 31), 3),
        (date(2027, 1, 1), 4),
        (date(2027, 3, 31), 4),
    ],
)
def test_the_first_and_last_day_of_each_quarter_belong_to_it(day, quarter):
    assert FinancialYear(2026).quarter_of(day) == quarter


def test_the_day_before_a_year_starts_has_no_quarter_in_it():
    with pytest.raises(ValueError, match="2026-03-31 is not in 2026-27"):
        FinancialYear(2026).quarter_of(date(2026, 3, 31))


def test_a_label_is_read_with_spaces_around_it_and_shown_with_a_leading_zero():
    assert FinancialYear.parse(" 2008-09 ") == FinancialYear(2008)
    assert FinancialYear(2008).label == "2008-09"
    assert str(FinancialYear(2030)) == "2030-31"


def test_a_label_whose_second_half_is_the_same_year_or_the_year_before_is_refused():
    for label in ("2026-26", "2026-25"):
        with pytest.raises(ValueError, match="not a financial year label"):
            FinancialYear.parse(label)


def test_a_financial_year_can_key_a_table_of_amounts():
    totals = {FinancialYear(2026): 5, FinancialYear(2027): 7}
    assert totals[FinancialYear.parse("2026-27")] == 5
    assert len({FinancialYear(2026), FinancialYear.containing(date(2027, 3, 31))}) == 1
