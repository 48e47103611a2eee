"""The training clock's rules: which times it takes, and a page's date and time read as London time."""

from datetime import UTC, datetime, timedelta

import pytest

from administration.rules import advanced, clock_time_problem, is_time_of_day, london_time


def test_a_time_needs_its_offset_and_a_year_from_2000_to_2100():
    assert clock_time_problem(datetime(2027, 4, 2, 9, 0)) == (
        "Give the time with its offset, like 2027-04-02T09:00:00+01:00"
    )
    assert clock_time_problem(datetime(2027, 4, 2, 9, 0, tzinfo=UTC)) is None
    assert clock_time_problem(datetime(2000, 1, 1, tzinfo=UTC)) is None
    assert clock_time_problem(datetime(2100, 12, 31, tzinfo=UTC)) is None
    for year in (1999, 2101):
        assert clock_time_problem(datetime(year, 6, 1, tzinfo=UTC)) == "Give a time between the years 2000 and 2100"


def test_a_summer_time_on_the_page_is_bst_and_a_winter_one_gmt():
    assert london_time(day=2, month=4, year=2027, time="09:00") == datetime(2027, 4, 2, 8, 0, tzinfo=UTC)
    assert london_time(day=2, month=1, year=2027, time="9:00") == datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
    assert london_time(day=2, month=1, year=2027, time="17.30") == datetime(2027, 1, 2, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(("day", "month", "year"), [(30, 2, 2027), (31, 4, 2027), (29, 2, 2027), (0, 1, 2027)])
def test_a_date_that_does_not_exist_is_not_a_time(day, month, year):
    assert london_time(day=day, month=month, year=year, time="09:00") is None


@pytest.mark.parametrize("text", ["24:00", "9", "09:60", "noon", "", "09:30:00", "-1:00"])
def test_only_a_24_hour_time_of_day_is_read(text):
    assert not is_time_of_day(text)
    assert london_time(day=2, month=4, year=2027, time=text) is None


@pytest.mark.parametrize("text", ["0:00", "09:30", "9:30", "23:59", " 12.15 "])
def test_24_hour_times_as_people_type_them_are_read(text):
    assert is_time_of_day(text)


def test_moving_on_adds_whole_days_to_the_clocks_time():
    now = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    assert advanced(now, 1) == now + timedelta(hours=24)
    assert advanced(now, 8) == datetime(2027, 4, 4, 12, 0, tzinfo=UTC)
