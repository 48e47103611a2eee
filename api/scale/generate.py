"""`cdv demo --scale NAME`: budgets, specifications, awards, contracts, delivery returns and payments at scale,
written in bulk (api/scale/bulk.py), exact to the penny as the services make them:

- each contract year's value is split across its clusters by population share (contracts.rules, largest remainder),
  or evenly in pence when a cluster has no known population (an explicit split, as a commissioner would give);
- each year is committed on a budget line with that split (BudgetCommitment + BudgetCommitmentCluster);
- the payment schedule is contracts.rules.payment_schedule, the returns contracts.rules.return_schedule;
- a payment is approved only when the app would let it be (returns.rules.is_payable), for the scheduled amount,
  split by returns.rules.payment_split, on the year's budget line, so it moves from committed to actual as the
  ledger (finance/queries.py) computes it;
- each budget line is set above what is held on it, so no line is over-committed.

No audit events are written for the generated rows (the trail's hash chain is left as it was, and
`cdv audit verify` still passes): the rows are synthetic, not changes anybody made."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from piccolo.table import Table

from api.scale.bulk import BulkWriter, Progress, as_json
from api.scale.profiles import PROFILES, SYNTHETIC_SOURCE, Profile
from commissioning.rules import AwardStatus, ProcurementRoute, SpecificationStatus
from commissioning.tables import Award, Specification, SpecificationCluster, SpecificationKpi, SpecificationYear
from contracts import rules as contract_rules
from contracts.rules import ContractStatus, PaymentTiming
from contracts.tables import (
    Contract,
    ContractActivity,
    ContractAllocation,
    ContractCluster,
    ContractKpi,
    ContractPayment,
    ContractVersion,
    ContractYear,
)
from core.money import split_exact
from core.periods import FinancialYear
from finance.tables import BudgetCommitment, BudgetCommitmentCluster, BudgetEarmark, BudgetLine
from menu.tables import MenuKpi, MenuServiceVersion
from organisations.tables import (
    Cluster,
    DeliveryVehicle,
    DeliveryVehicleCluster,
    HealthBoard,
    LocalAuthority,
    Pcpg,
    RegionalPartnershipBoard,
)
from returns import rules as return_rules
from returns.rules import PaymentStatus, ReturnStatus
from returns.tables import DeliveryReturn, Payment, PaymentCluster, ReturnActivity, ReturnKpiValue, ReturnQuery

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


class AlreadyGenerated(Exception):
    """This scale's data is already in the database: `cdv demo --reset --scale NAME` starts again."""


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
        keys = ("contract", "delivery_return", "payment", "budget_line", "cluster", "specification")
        counts = ", ".join(f"{self.rows.get(k, 0):,} {k.replace('_', ' ')}s" for k in keys)
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


class Generator:
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

    # --- organisations ---

    async def organisations(self) -> list[ClusterRow]:
        if not self.profile.is_synthetic:
            rows = await Cluster.select(
                Cluster.id,
                Cluster.pcpg,
                Cluster.health_board,
                Cluster.name,
                Cluster.population,
                Cluster.population_source,
                Cluster.population_as_of,
            ).where(Cluster.effective_to_on.is_null())
            return [
                ClusterRow(
                    r["id"],
                    r["pcpg"],
                    r["health_board"],
                    r["name"],
                    r["population"],
                    r["population_source"] or "",
                    r["population_as_of"] or "",
                )
                for r in rows
            ]
        p = self.profile
        tag = p.name
        since = date(2019, 7, 1)  # primary care networks began in July 2019
        groups: list[tuple[int, int, int]] = []  # pcpg, health board, local authority
        for b in range(1, p.synthetic_boards + 1):
            board = await self.put(
                HealthBoard,
                {
                    "name": f"Synthetic integrated care board {b:02d} ({tag})",
                    "name_cy": f"Bwrdd gofal integredig synthetig {b:02d} ({tag})",
                    "short_name": f"SYN{tag[:3].upper()}{b:02d}",
                },
            )
            rpb = await self.put(
                RegionalPartnershipBoard,
                {
                    "name": f"Synthetic partnership {b:02d} ({tag})",
                    "name_cy": f"Partneriaeth synthetig {b:02d} ({tag})",
                    "health_board": board,
                },
            )
            for g in range(1, p.synthetic_groups_per_board + 1):
                group = await self.put(
                    Pcpg,
                    {
                        "name": f"Synthetic planning group {b:02d}-{g} ({tag})",
                        "name_cy": f"Grŵp cynllunio synthetig {b:02d}-{g} ({tag})",
                        "health_board": board,
                        "effective_from_on": since,
                    },
                )
                authority = await self.put(
                    LocalAuthority,
                    {
                        "name": f"Synthetic place {b:02d}-{g} ({tag})",
                        "name_cy": f"Lle synthetig {b:02d}-{g} ({tag})",
                        "health_board": board,
                        "regional_partnership_board": rpb,
                        "pcpg": group,
                    },
                )
                groups.append((group, board, authority))
        await self.writer.flush()
        first_seed = 100_000 * (1 + sorted(PROFILE_NAMES).index(tag))  # clear of the 60 Welsh seed numbers
        clusters = []
        for n in range(1, p.synthetic_clusters + 1):
            group, board, authority = groups[(n - 1) % len(groups)]
            known = n % 10 != 5  # one in ten unknown, the fifth among them (so even the tiny scale has one)
            population = self.random.randrange(28_000, 95_000) if known else None
            name = f"Synthetic primary care network {n:04d} ({tag})"
            cluster = await self.put(
                Cluster,
                {
                    "name": name,
                    "seed_number": first_seed + n,
                    "local_authority": authority,
                    "pcpg": group,
                    "health_board": board,
                    "population": population,
                    "population_is_estimate": known,
                    "population_source": SYNTHETIC_SOURCE if known else "",
                    "effective_from_on": since,
                },
            )
            clusters.append(ClusterRow(cluster, group, board, name, population, SYNTHETIC_SOURCE if known else "", ""))
        await self.writer.flush()
        return clusters

    async def vehicles(self, clusters: list[ClusterRow]) -> dict[int, list[int]]:
        """Approved delivery vehicles, about one for every three clusters of a PCPG, serving a run of them."""
        by_pcpg: dict[int, list[ClusterRow]] = defaultdict(list)
        for c in clusters:
            by_pcpg[c.pcpg].append(c)
        found: dict[int, list[int]] = {}
        number = 0
        for pcpg, members in sorted(by_pcpg.items()):
            count = max(1, len(members) // 3)
            found[pcpg] = []
            for k in range(count):
                number += 1
                vehicle = await self.put(
                    DeliveryVehicle,
                    {
                        "name": f"Synthetic Community Health CIC {number:04d} ({self.profile.name})",
                        "legal_form": "cic",
                        "contact_name": "Synthetic contact",
                        "contact_email": f"vehicle{number}@scale.example.org",
                        "status": "approved",
                        "registered_at": self.now - timedelta(days=3_000),
                        "registered_by_username": PROVIDER,
                        "decided_at": self.now - timedelta(days=2_990),
                        "decided_by_username": COMMISSIONER,
                        "decision_reason": "Synthetic data (cdv demo --scale)",
                    },
                )
                found[pcpg].append(vehicle)
                served = members[k::count]
                for c in served:
                    await self.put(DeliveryVehicleCluster, {"delivery_vehicle": vehicle, "cluster": c.id})
        return found

    async def menu(self) -> list[MenuChoice]:
        versions = await MenuServiceVersion.select(
            MenuServiceVersion.id,
            MenuServiceVersion.version,
            MenuServiceVersion.name,
            MenuServiceVersion.name_cy,
            MenuServiceVersion.unit_of_activity,
            MenuServiceVersion.menu_service.current_version.as_alias("current"),
        ).where(MenuServiceVersion.menu_service.retired_at.is_null())
        current = [v for v in versions if v["version"] == v["current"]]
        kpis: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
        for k in (
            await MenuKpi.select()
            .where(MenuKpi.menu_service_version.is_in([v["id"] for v in current] or [-1]))
            .order_by(MenuKpi.position)
        ):
            kpis[k["menu_service_version"]].append((k["name"], k["name_cy"], k["unit"], k["direction"]))
        if not current:
            raise RuntimeError("the national menu is not loaded: run cdv load-reference")
        return [
            MenuChoice(v["id"], v["name"], v["name_cy"], v["unit_of_activity"], tuple(kpis[v["id"]][:3]))
            for v in current
        ]

    # --- budget lines and the plan ---

    async def line_ids(self, pcpgs: dict[int, int]) -> dict[tuple[int, int], list[int]]:
        """Ids for a line per PCPG, year and funding stream, but those already there (the small demo's): the
        generated contracts draw only on lines made here, so their amounts can be set above what is held."""
        existing = {
            (r["pcpg"], r["financial_year"], r["funding_stream"])
            for r in await BudgetLine.select(BudgetLine.pcpg, BudgetLine.financial_year, BudgetLine.funding_stream)
        }
        found: dict[tuple[int, int], list[int]] = {}
        for pcpg, board in sorted(pcpgs.items()):
            for year in self.years:
                for stream in STREAMS:
                    if (pcpg, year, stream) in existing:
                        continue
                    line = (await self.writer.ids(BudgetLine, 1))[0]
                    self.line_keys[line] = (pcpg, board, year, stream)
                    found.setdefault((pcpg, year), []).append(line)
        return found

    def _years(self, start: int, term: int, per_year: int) -> dict[int, int]:
        return {start + offset: per_year + per_year * 3 * offset // 100 for offset in range(term)}

    def plan(
        self,
        clusters: list[ClusterRow],
        vehicles: dict[int, list[int]],
        menu: list[MenuChoice],
        lines: dict[tuple[int, int], list[int]],
    ) -> tuple[list[PlannedContract], list[PlannedSpecification]]:
        r = self.random
        by_pcpg: dict[int, list[ClusterRow]] = defaultdict(list)
        for c in clusters:
            by_pcpg[c.pcpg].append(c)
        pcpgs = sorted(by_pcpg)
        weights = [len(by_pcpg[p]) for p in pcpgs]
        last = self.years[-1]
        this_year = FinancialYear.containing(self.today).start_year

        def pick(number: int, start: int, term: int) -> tuple[int, list[ClusterRow], dict[int, int], dict[int, int]]:
            pcpg = r.choices(pcpgs, weights)[0]
            members = by_pcpg[pcpg]
            chosen = r.sample(members, min(len(members), r.choices([1, 2, 3], [6, 3, 1])[0]))
            per_year = sum(r.randrange(15_000, 120_000) for _ in chosen) * 100 + r.randrange(100)
            years = self._years(start, term, per_year)
            return pcpg, chosen, years, {y: lines[(pcpg, y)][number % len(lines[(pcpg, y)])] for y in years}

        contracts = []
        for number in range(1, self.profile.contracts + 1):
            start = r.choice(self.years)
            term = min(r.choices([1, 2, 3, 4, 5], [15, 20, 35, 15, 15])[0], last - start + 1)
            pcpg, chosen, years, year_lines = pick(number, start, term)
            contracts.append(
                PlannedContract(
                    number=number,
                    pcpg=pcpg,
                    health_board=chosen[0].health_board,
                    clusters=chosen,
                    years=years,
                    lines=year_lines,
                    timing=PaymentTiming.IN_ARREARS if r.random() < 0.7 else PaymentTiming.IN_ADVANCE,
                    vehicle=r.choice(vehicles[pcpg]),
                    menu=r.choice(menu),
                    route=r.choices(
                        [
                            ProcurementRoute.DIRECT_AWARD_1,
                            ProcurementRoute.DIRECT_AWARD_2,
                            ProcurementRoute.MOST_SUITABLE_PROVIDER,
                        ],
                        [6, 2, 2],
                    )[0],
                )
            )
        specifications = []
        open_count = max(1, self.profile.contracts // 30)
        draft_count = max(1, self.profile.contracts // 60)
        future = [y for y in self.years if y >= this_year + 1] or [last]
        for number in range(1, open_count + draft_count + 1):
            start = r.choice(future)
            term = min(r.choice([1, 2, 3]), last - start + 1)
            pcpg, chosen, years, year_lines = pick(number, start, term)
            specifications.append(
                PlannedSpecification(
                    number=number,
                    pcpg=pcpg,
                    clusters=chosen,
                    years=years,
                    lines=year_lines,
                    menu=r.choice(menu),
                    status=SpecificationStatus.PUBLISHED if number <= open_count else SpecificationStatus.DRAFT,
                )
            )
        return contracts, specifications

    async def write_lines(self, contracts: list[PlannedContract], specifications: list[PlannedSpecification]) -> None:
        """Each line's budget above what is held on it: 5 % to 35 % headroom, in whole thousands of pounds."""
        held: dict[int, int] = defaultdict(int)
        for c in contracts:
            for year, line in c.lines.items():
                held[line] += c.years[year]
        for s in specifications:
            if s.status is SpecificationStatus.PUBLISHED:
                for year, line in s.lines.items():
                    held[line] += s.years[year]
        for line, (pcpg, board, year, stream) in sorted(self.line_keys.items()):
            if held[line]:
                wanted = held[line] * self.random.randrange(105, 136) // 100
                amount = -(-wanted // 100_000) * 100_000
            else:
                amount = self.random.randrange(50, 500) * 100_000
            await self.put(
                BudgetLine,
                {
                    "health_board": board,
                    "pcpg": pcpg,
                    "financial_year": year,
                    "funding_stream": stream,
                    "amount_pence": amount,
                    "note": "Synthetic (cdv demo --scale)",
                    "updated_at": self.now - timedelta(days=400),
                    "updated_by_username": FINANCE,
                },
                row_id=line,
            )
        await self.writer.flush()

    # --- specifications, awards and contracts ---

    def _at(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=UTC)

    async def specification(
        self,
        *,
        reference: str,
        pcpg: int,
        clusters: list[ClusterRow],
        years: dict[int, int],
        lines: dict[int, int],
        menu: MenuChoice,
        status: SpecificationStatus,
        route: ProcurementRoute,
        created_at: datetime,
        published_at: datetime | None,
        deadline: datetime | None,
        released_at: datetime | None,
    ) -> int:
        spec = await self.put(
            Specification,
            {
                "pcpg": pcpg,
                "menu_service_version": menu.version_id,
                "reference": reference,
                "title": f"{menu.name}: {clusters[0].name}"[:200],
                "title_cy": f"{menu.name_cy}: {clusters[0].name}"[:200],
                "description": "Synthetic specification made by cdv demo --scale.",
                "description_cy": "Manyleb synthetig a wnaed gan cdv demo --scale.",
                "procurement_route": route.value,
                "start_financial_year": min(years),
                "term_years": len(years),
                "price_weight": 40,
                "bid_deadline_at": deadline,
                "status": status.value,
                "created_at": created_at,
                "created_by_username": COMMISSIONER,
                "updated_at": published_at or created_at,
                "published_at": published_at,
            },
        )
        for c in clusters:
            await self.put(SpecificationCluster, {"specification": spec, "cluster": c.id})
        for year, value in sorted(years.items()):
            await self.put(
                SpecificationYear,
                {"specification": spec, "financial_year": year, "max_value_pence": value, "budget_line": lines[year]},
            )
            if published_at is not None:
                await self.put(
                    BudgetEarmark,
                    {
                        "budget_line": lines[year],
                        "specification": spec,
                        "financial_year": year,
                        "amount_pence": value,
                        "created_at": published_at,
                        "released_at": released_at,
                    },
                )
        for position, (name, name_cy, unit, direction) in enumerate(menu.kpis):
            green, _ = KPI_THRESHOLDS.get(
                (unit, direction), ("20", "30") if direction == "lower_is_better" else ("100", "80")
            )
            await self.put(
                SpecificationKpi,
                {
                    "specification": spec,
                    "position": position,
                    "name": name,
                    "name_cy": name_cy,
                    "unit": unit,
                    "direction": direction,
                    "target": green,
                },
            )
        return spec

    async def open_specification(self, s: PlannedSpecification) -> None:
        r = self.random
        created = self.now - timedelta(days=r.randrange(10, 60))
        published = created + timedelta(days=5) if s.status is SpecificationStatus.PUBLISHED else None
        await self.specification(
            reference=f"{self.profile.reference_prefix}S{s.number + self.profile.contracts:06d}",
            pcpg=s.pcpg,
            clusters=s.clusters,
            years=s.years,
            lines=s.lines,
            menu=s.menu,
            status=s.status,
            route=ProcurementRoute.COMPETITIVE,
            created_at=created,
            published_at=published,
            deadline=self.now + timedelta(days=r.randrange(7, 45)) if published else None,
            released_at=None,
        )

    async def contract(self, c: PlannedContract) -> None:
        r = self.random
        start_on = FinancialYear(min(c.years)).first_day
        end_on = FinancialYear(max(c.years)).last_day
        made_at = min(
            self._at(start_on - timedelta(days=r.randrange(20, 60))), self.now - timedelta(days=r.randrange(1, 30))
        )
        created = made_at - timedelta(days=r.randrange(60, 150))
        published = created + timedelta(days=14)
        notice = made_at - timedelta(days=14)
        spec = await self.specification(
            reference=f"{self.profile.reference_prefix}S{c.number:06d}",
            pcpg=c.pcpg,
            clusters=c.clusters,
            years=c.years,
            lines=c.lines,
            menu=c.menu,
            status=SpecificationStatus.AWARDED,
            route=c.route,
            created_at=created,
            published_at=published,
            deadline=published + timedelta(days=28),
            released_at=made_at,
        )
        award = await self.put(
            Award,
            {
                "specification": spec,
                "delivery_vehicle": c.vehicle,
                "rationale": "Synthetic award (cdv demo --scale)",
                "annual_values": as_json([{"financial_year": y, "value_pence": v} for y, v in sorted(c.years.items())]),
                "notice_at": notice,
                "standstill_ends_on": None
                if c.route is ProcurementRoute.DIRECT_AWARD_1
                else notice.date() + timedelta(days=12),
                "status": AwardStatus.CONFIRMED.value,
                "confirmed_at": made_at,
                "awarded_by_username": COMMISSIONER,
            },
        )
        if end_on < self.today:
            status = ContractStatus.EXPIRED
        elif start_on > self.today:
            status = ContractStatus.MOBILISING
        else:
            status = ContractStatus.LIVE
        started = status is not ContractStatus.MOBILISING
        contract = await self.put(
            Contract,
            {
                "reference": f"{self.profile.reference_prefix}C{c.number:06d}",
                "specification": spec,
                "award": award,
                "health_board": c.health_board,
                "pcpg": c.pcpg,
                "delivery_vehicle": c.vehicle,
                "title": f"{c.menu.name}: {c.clusters[0].name}"[:200],
                "title_cy": f"{c.menu.name_cy}: {c.clusters[0].name}"[:200],
                "start_on": start_on,
                "end_on": end_on,
                "status": status.value,
                "total_value_pence": sum(c.years.values()),
                "made_at": made_at,
                "made_by_username": COMMISSIONER,
                "menu_service_version": c.menu.version_id,
                "payment_timing": c.timing.value,
                "status_changed_at": self._at(start_on) if started else made_at,
                "live_from_on": start_on if started else None,
            },
        )
        for year, value in sorted(c.years.items()):
            await self.put(
                ContractYear,
                {"contract": contract, "financial_year": year, "value_pence": value, "budget_line": c.lines[year]},
            )
        for cluster in c.clusters:
            await self.put(ContractCluster, {"contract": contract, "cluster": cluster.id})
        kpis: list[tuple[int, str, str, str, str]] = []  # id, unit, direction, green, red
        for position, (name, name_cy, unit, direction) in enumerate(c.menu.kpis):
            green, red = KPI_THRESHOLDS.get(
                (unit, direction), ("20", "30") if direction == "lower_is_better" else ("100", "80")
            )
            kpi = await self.put(
                ContractKpi,
                {
                    "contract": contract,
                    "position": position,
                    "name": name,
                    "name_cy": name_cy,
                    "unit": unit,
                    "direction": direction,
                    "target": green,
                    "green_from": green,
                    "red_from": red,
                },
            )
            kpis.append((kpi, unit, direction, green, red))
        allocations = self._allocations(c)
        splits: dict[int, dict[int, int]] = defaultdict(dict)
        for a in allocations:
            splits[a.financial_year][a.cluster_id] = a.amount_pence
            await self.put(
                ContractAllocation,
                {
                    "contract": contract,
                    "financial_year": a.financial_year,
                    "cluster": a.cluster_id,
                    "amount_pence": a.amount_pence,
                    "method": a.method,
                    "population": a.population,
                    "population_source": a.population_source,
                    "population_as_of": a.population_as_of,
                },
            )
        schedule = contract_rules.payment_schedule(c.years, c.timing)
        for p in schedule:
            await self.put(
                ContractPayment,
                {
                    "contract": contract,
                    "financial_year": p.financial_year,
                    "quarter": p.quarter,
                    "amount_pence": p.amount_pence,
                    "due_on": p.due_on,
                },
            )
        units = 20 * len(c.clusters) + r.randrange(0, 40)
        for year in sorted(c.years):
            for quarter in range(1, 5):
                await self.put(
                    ContractActivity,
                    {"contract": contract, "financial_year": year, "quarter": quarter, "units": units + 5 * quarter},
                )
        await self.put(
            ContractVersion,
            {
                "contract": contract,
                "version": 1,
                "made_at": made_at,
                "made_by_username": COMMISSIONER,
                "particulars": as_json(self._particulars(c, start_on, end_on, kpis, splits)),
            },
        )
        for year, value in sorted(c.years.items()):
            commitment = await self.put(
                BudgetCommitment,
                {
                    "budget_line": c.lines[year],
                    "contract": contract,
                    "financial_year": year,
                    "amount_pence": value,
                    "created_at": made_at,
                },
            )
            for cluster, amount in sorted(splits[year].items()):
                await self.put(
                    BudgetCommitmentCluster,
                    {"budget_commitment": commitment, "cluster": cluster, "amount_pence": amount},
                )
        returns = await self._returns(c, contract, start_on, end_on, kpis)
        await self._payments(c, contract, schedule, returns, splits)

    def _allocations(self, c: PlannedContract) -> list[contract_rules.Allocation]:
        """By population share where every cluster has one (contracts.rules); else the commissioner's explicit
        split, here even in pence (largest remainder), as the app asks for when a population is unknown."""
        people = [contract_rules.ClusterPopulation(x.id, x.population, x.source, x.as_of) for x in c.clusters]
        if not contract_rules.clusters_without_population(people):
            return contract_rules.allocate_by_population(c.years, people)
        found = []
        for year in sorted(c.years):
            for cluster, amount in zip(c.clusters, split_exact(c.years[year], [1] * len(c.clusters)), strict=True):
                found.append(contract_rules.Allocation(year, cluster.id, amount, "explicit", None, ""))
        return found

    def _particulars(
        self,
        c: PlannedContract,
        start_on: date,
        end_on: date,
        kpis: list[tuple[int, str, str, str, str]],
        splits: dict[int, dict[int, int]],
    ) -> dict[str, Any]:
        """The version-1 particulars in contracts.queries.snapshot's shape."""
        names = {x.id: x.name for x in c.clusters}
        return {
            "start_on": start_on.isoformat(),
            "end_on": end_on.isoformat(),
            "annual_values": {FinancialYear(y).label: v for y, v in sorted(c.years.items())},
            "clusters": sorted(names.values()),
            "kpis": [
                {"name": c.menu.kpis[i][0], "target": k[3], "green_from": k[3], "red_from": k[4]}
                for i, k in enumerate(kpis)
            ],
            "payment_timing": c.timing.value,
            "allocations": {
                FinancialYear(y).label: {
                    names[cl]: amount for cl, amount in sorted(split.items(), key=lambda i: names[i[0]])
                }
                for y, split in sorted(splits.items())
            },
        }

    def _status(self, due: contract_rules.DueReturn) -> tuple[ReturnStatus, datetime | None, datetime | None]:
        """Mostly accepted; some submitted, queried, draft or not started (overdue once past due), more so lately."""
        r = self.random
        if due.period_to >= self.today:
            started = due.period_from <= self.today and r.random() < 0.3
            return (ReturnStatus.DRAFT if started else ReturnStatus.NOT_STARTED), None, None
        late = (self.today - due.due_on).days
        x = r.random()
        if late > 90:
            status = (
                ReturnStatus.ACCEPTED
                if x < 0.97
                else ReturnStatus.QUERIED
                if x < 0.98
                else ReturnStatus.SUBMITTED
                if x < 0.99
                else ReturnStatus.NOT_STARTED
            )
        else:
            status = (
                ReturnStatus.ACCEPTED
                if x < 0.55
                else ReturnStatus.SUBMITTED
                if x < 0.7
                else ReturnStatus.QUERIED
                if x < 0.75
                else ReturnStatus.DRAFT
                if x < 0.87
                else ReturnStatus.NOT_STARTED
            )
        if status in (ReturnStatus.DRAFT, ReturnStatus.NOT_STARTED):
            return status, None, None
        submitted = self._at(due.period_to + timedelta(days=r.randrange(3, 29)), 11)
        if submitted > self.now:
            return ReturnStatus.DRAFT, None, None
        if status is ReturnStatus.SUBMITTED:
            return status, submitted, None
        decided = submitted + timedelta(days=r.randrange(2, 11))
        if decided > self.now:
            return ReturnStatus.SUBMITTED, submitted, None
        return status, submitted, decided

    def _kpi_value(self, unit: str, green: str, red: str) -> str:
        g, rd = Decimal(green), Decimal(red)
        value = max(g + (g - rd) * Decimal(self.random.randrange(-12, 9)) / 10, Decimal(0))
        if unit == "%":
            value = min(value, Decimal(100))
        places = Decimal(1) if unit == "count" else Decimal("0.1") if g >= 10 else Decimal("0.01")
        return str(value.quantize(places))

    async def _returns(
        self,
        c: PlannedContract,
        contract: int,
        start_on: date,
        end_on: date,
        kpis: list[tuple[int, str, str, str, str]],
    ) -> dict[tuple[int, int], tuple[ReturnStatus, datetime | None]]:
        r = self.random
        found: dict[tuple[int, int], tuple[ReturnStatus, datetime | None]] = {}
        for due in contract_rules.return_schedule(start_on=start_on, end_on=end_on, terminated_on=None, due_days=30):
            status, submitted, decided = self._status(due)
            reported = status in (ReturnStatus.SUBMITTED, ReturnStatus.QUERIED, ReturnStatus.ACCEPTED)
            share = c.years[due.financial_year] // 4
            spend = (
                share * r.randrange(85, 113) // 100
                if reported or (status is ReturnStatus.DRAFT and r.random() < 0.5)
                else None
            )
            saved = submitted or (
                self.now - timedelta(days=r.randrange(0, 10)) if status is ReturnStatus.DRAFT else None
            )
            delivery_return = await self.put(
                DeliveryReturn,
                {
                    "contract": contract,
                    "financial_year": due.financial_year,
                    "quarter": due.quarter,
                    "period_from": due.period_from,
                    "period_to": due.period_to,
                    "due_on": due.due_on,
                    "status": status.value,
                    "version": 1 if reported else 0,
                    "spend_pence": spend,
                    "narrative": "Synthetic return (cdv demo --scale)." if saved else "",
                    "saved_at": saved,
                    "saved_by_username": PROVIDER if saved else "",
                    "submitted_at": submitted,
                    "submitted_by_username": PROVIDER if submitted else "",
                    "decided_at": decided,
                    "decided_by_username": COMMISSIONER if decided else "",
                },
            )
            found[(due.financial_year, due.quarter)] = (status, decided)
            if reported or saved:
                for cluster in c.clusters:
                    await self.put(
                        ReturnActivity,
                        {"delivery_return": delivery_return, "cluster": cluster.id, "units": r.randrange(5, 60)},
                    )
            if reported:
                for kpi, unit, _, green, red in kpis:
                    await self.put(
                        ReturnKpiValue,
                        {
                            "delivery_return": delivery_return,
                            "contract_kpi": kpi,
                            "value": self._kpi_value(unit, green, red),
                        },
                    )
            if status is ReturnStatus.QUERIED:
                await self.put(
                    ReturnQuery,
                    {
                        "delivery_return": delivery_return,
                        "version": 1,
                        "field": "spend_pence",
                        "comment": "Synthetic query: please explain the spend.",
                        "raised_at": decided,
                        "raised_by_username": COMMISSIONER,
                    },
                )
        return found

    async def _payments(
        self,
        c: PlannedContract,
        contract: int,
        schedule: list[contract_rules.Payment],
        returns: dict[tuple[int, int], tuple[ReturnStatus, datetime | None]],
        splits: dict[int, dict[int, int]],
    ) -> None:
        """A decision only where the app would allow one (returns.rules.is_payable); recent ones partly waiting."""
        r = self.random
        for p in schedule:
            status, accepted_at = returns.get((p.financial_year, p.quarter), (None, None))
            first_day = FinancialYear(p.financial_year).quarters()[p.quarter - 1][0]
            if not return_rules.is_payable(c.timing.value, first_day, self.today, status):
                continue
            if c.timing is PaymentTiming.IN_ARREARS:
                assert accepted_at is not None
                decided = accepted_at + timedelta(days=r.randrange(1, 11))
            else:
                decided = self._at(first_day + timedelta(days=r.randrange(0, 11)), 14)
            if decided > self.now or (decided > self.now - timedelta(days=45) and r.random() < 0.25):
                continue
            approved = r.random() >= 0.01
            payment = await self.put(
                Payment,
                {
                    "contract": contract,
                    "budget_line": c.lines[p.financial_year] if approved else None,
                    "financial_year": p.financial_year,
                    "quarter": p.quarter,
                    "amount_pence": p.amount_pence,
                    "status": (PaymentStatus.APPROVED if approved else PaymentStatus.WITHHELD).value,
                    "decided_at": decided,
                    "decided_by_username": FINANCE,
                    "reason": "" if approved else "Synthetic performance notice (cdv demo --scale)",
                },
            )
            if approved:
                for cluster, amount in return_rules.payment_split(p.amount_pence, splits[p.financial_year]).items():
                    await self.put(PaymentCluster, {"payment": payment, "cluster": cluster, "amount_pence": amount})


def estimate_rows(contracts: list[PlannedContract], specifications: list[PlannedSpecification]) -> int:
    """About how many rows the plan will write, for the progress line (returns' parts depend on their status)."""
    total = 0
    for c in contracts:
        y, k, q = len(c.years), len(c.clusters), len(c.menu.kpis)
        total += 2 + k + 2 * y + q  # specification, award, clusters, years, earmarks, KPIs
        total += 2 + y + k + q + 2 * y * k + 8 * y + y  # contract, years, clusters, KPIs, splits, schedule, version
        total += 4 * y * (1 + (k + q) * 9 // 10) + 4 * y * (1 + k) * 8 // 10  # returns and payments
    for s in specifications:
        total += 1 + len(s.clusters) + 2 * len(s.years) + len(s.menu.kpis)
    return total


async def generate(profile: Profile, *, now: datetime, seed: int = 14, stream: TextIO | None = None) -> Summary:
    """Write the profile's data; refused when it is already there (its references' prefix is taken)."""
    if await Specification.exists().where(Specification.reference.like(f"{profile.reference_prefix}%")):
        raise AlreadyGenerated(profile.name)
    progress = Progress(total=0, stream=stream)
    async with BulkWriter(progress) as writer:
        gen = Generator(profile, now=now, seed=seed, writer=writer)
        clusters = await gen.organisations()
        vehicles = await gen.vehicles(clusters)
        menu = await gen.menu()
        lines = await gen.line_ids({c.pcpg: c.health_board for c in clusters})
        contracts, specifications = gen.plan(clusters, vehicles, menu, lines)
        progress.total = progress.written + len(gen.line_keys) + estimate_rows(contracts, specifications)
        progress.line("planned")
        await gen.write_lines(contracts, specifications)
        for start in range(0, len(contracts), CHUNK_CONTRACTS):
            for planned in contracts[start : start + CHUNK_CONTRACTS]:
                await gen.contract(planned)
            await writer.flush()
        for s in specifications:
            await gen.open_specification(s)
        await writer.flush()
    progress.line("done")
    return Summary(profile.name, dict(writer.written), progress.elapsed)
