"""Financial years run 1 April to 31 March; stored as the start year, shown as "2026-27"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Accept "2026-27"; refuse a label whose second half does not follow the first."""
        match = _LABEL.match(label.strip())
        if not match:
            raise ValueError(f"not a financial year label: {label!r}")
        start = int(match.group(1))
        if (start + 1) % 100 != int(match.group(2)):
            raise ValueError(f"not a financial year label: {label!r}")
        return cls(start)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def quarters(self) -> list[tuple[date, date]]:
        """Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March."""
        y = self.start_year
        return [
            (date(y, 4, 1), date(y, 6, 30)),
            (date(y, 7, 1), date(y, 9, 30)),
            (date(y, 10, 1), date(y, 12, 31)),
            (date(y + 1, 1, 1), date(y + 1, 3, 31)),
        ]

    def quarter_of(self, day: date) -> int:
        for number, (first, last) in enumerate(self.quarters(), start=1):
            if first <= day <= last:
                return number
        raise ValueError(f"{day} is not in {self.label}")

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return self.label
