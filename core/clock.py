"""One clock for the whole app: real time, or real time moved by a training offset (demo and test only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_day(moment: datetime) -> date:
    """The day it is in Wales at a moment: dates in rules (start dates, due dates, standstill) are Welsh days."""
    return moment.astimezone(LONDON).date()


@dataclass(frozen=True)
class Clock:
    offset: timedelta = field(default=timedelta(0))

    def now(self) -> datetime:
        """Aware UTC; services take this as `now` and rules take dates derived from it."""
        return datetime.now(UTC) + self.offset

    def today(self) -> datetime:
        return self.now().astimezone(LONDON)

    @property
    def is_moved(self) -> bool:
        return self.offset != timedelta(0)


SYSTEM_CLOCK = Clock()
