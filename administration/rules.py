"""Rules of the training clock: which times it may be set to, and a time typed on the page as the reader meant it
(Europe/London, whatever the season)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from core.clock import LONDON
from core.i18n import N_

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
MAX_ADVANCE_DAYS = 3650  # ten years: past any contract term
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def clock_time_problem(to: datetime) -> str | None:
    """A time with its offset (an API client's "09:00" alone could be any zone), within the years the service
    plans for."""
    if to.tzinfo is None:
        return N_("Give the time with its offset, like 2027-04-02T09:00:00+01:00")
    if not EARLIEST_YEAR <= to.year <= LATEST_YEAR:
        return N_("Give a time between the years 2000 and 2100")
    return None


def is_time_of_day(text: str) -> bool:
    """A 24-hour time as people type it: 9:30, 09:30 or 09.30."""
    return bool(_TIME.fullmatch(text.strip()))


def london_time(*, day: int, month: int, year: int, time: str) -> datetime | None:
    """The moment a reader means by a date and a 24-hour time on a page: London time, GMT or BST as that day has it.
    None when it is not a real date and time."""
    found = _TIME.fullmatch(time.strip())
    if found is None:
        return None
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    return datetime(when.year, when.month, when.day, int(found.group(1)), int(found.group(2)), tzinfo=LONDON)


def advanced(now: datetime, days: int) -> datetime:
    """The clock's time a number of days on (whole days of 24 hours)."""
    return now + timedelta(days=days)
