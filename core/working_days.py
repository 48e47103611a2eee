"""Working days in Wales: weekends and Welsh bank holidays (the `holidays` package, subdivision WLS) excluded."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _welsh_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="WLS", years=year)


def is_bank_holiday(day: date) -> bool:
    return day in _welsh_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (start itself never counts), as the standstill rule reads."""
    if days < 0:
        raise ValueError("days cannot be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def bank_holidays_between(first: date, last: date) -> list[tuple[date, str]]:
    """Welsh bank holidays in a range, with their (English) names, for explaining a computed date."""
    found: list[tuple[date, str]] = []
    for year in range(first.year, last.year + 1):
        for day, name in sorted(_welsh_holidays(year).items()):
            if first <= day <= last:
                found.append((day, name))
    return found
