"""The scale generator's shared parts: the plan's shapes, rows with their columns' defaults, and the context."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from piccolo.table import Table

from api.scale.bulk import BulkWriter, as_json
from api.scale.profiles import PROFILES, Profile
from commissioning.rules import ProcurementRoute, SpecificationStatus
from contracts.rules import PaymentTiming
from core.periods import FinancialYear

PROFILE_NAMES = tuple(PROFILES)
STREAMS = ("cluster_funding", "regional_integration_fund", "hb_core")
CHUNK_CONTRACTS = 500
COMMISSIONER = "scale.commissioner"
FINANCE = "scale.finance"
PROVIDER = "scale.provider"
KPI_THRESHOLDS = {
    ("%", "higher_is_better"): ("85", "70"),
    ("%", "lower_is_better"): ("10", "20"),
    ("count", "higher_is_better"): ("120", "90"),
    ("weeks", "lower_is_better"): ("8", "12"),
    ("score 0-5", "higher_is_better"): ("4.5", "4"),
}


@dataclass(frozen=True)
class ClusterRow:
    id: int
    pcpg: int
    health_board: int
    name: str
    population: int | None
    source: str
    as_of: str


@dataclass(frozen=True)
class MenuChoice:
    version_id: int
    name: str
    name_cy: str
    unit: str
    kpis: tuple[tuple[str, str, str, str], ...]  # name, name_cy, unit, direction


@dataclass
class PlannedContract:
    number: int
    pcpg: int
    health_board: int
    clusters: list[ClusterRow]
    years: dict[int, int]
    lines: dict[int, int]
    timing: PaymentTiming
    vehicle: int
    menu: MenuChoice
    route: ProcurementRoute


@dataclass
class PlannedSpecification:
    number: int
    pcpg: int
    clusters: list[ClusterRow]
    years: dict[int, int]
    lines: dict[int, int]
    menu: MenuChoice
    status: SpecificationStatus


@dataclass
class Summary:
    profile: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def line(self) -> str:
        keys = ("cluster", "budget_line", "specification", "contract", "delivery_return", "payment")
        counts = ", ".join(f"{self.rows[k]:,} {k.replace('_', ' ')}s" for k in keys if self.rows.get(k))
        return f"scale {self.profile}: {sum(self.rows.values()):,} rows in {self.seconds:.1f} s ({counts})"


class Rows:
    """A table's columns in order, each row given as a dict with the columns' defaults filled in."""

    def __init__(self, table: type[Table]) -> None:
        self.table = table
        self.columns = [c for c in table._meta.columns if c._meta.name != "id"]
        self.names = ["id", *(c._meta.db_column_name for c in self.columns)]
        self.defaults = []
        for column in self.columns:
            value = column.get_default_value()
            if hasattr(value, "python"):  # Piccolo's TimestamptzNow and the like
                value = value.python()
            if isinstance(value, list | dict):
                value = as_json(value)
            self.defaults.append((column._meta.name, value))

    def row(self, row_id: int, values: dict[str, Any]) -> tuple[Any, ...]:
        return (row_id, *(values.get(name, default) for name, default in self.defaults))


_ROWS: dict[type[Table], Rows] = {}


def _rows(table: type[Table]) -> Rows:
    if table not in _ROWS:
        _ROWS[table] = Rows(table)
    return _ROWS[table]


class Context:
    """What every part of the generation shares: the profile, the clock, the seeded random numbers and the writer."""

    def __init__(self, profile: Profile, *, now: datetime, seed: int, writer: BulkWriter) -> None:
        self.profile = profile
        self.now = now
        self.today = now.date()
        self.random = random.Random(seed)
        self.writer = writer
        this_year = FinancialYear.containing(self.today).start_year
        first = this_year + profile.years_ahead - profile.financial_years + 1
        self.years = list(range(first, first + profile.financial_years))
        self.line_keys: dict[int, tuple[int, int, int, str]] = {}

    async def put(self, table: type[Table], values: dict[str, Any], row_id: int | None = None) -> int:
        if row_id is None:
            row_id = (await self.writer.ids(table, 1))[0]
        shape = _rows(table)
        await self.writer.add(table, shape.names, [shape.row(row_id, values)])
        return row_id

    def at(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=UTC)
