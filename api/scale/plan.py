"""The plan: which contracts and open specifications, in which PCPG, clusters, years and values; and about how
many rows it will write."""

from __future__ import annotations

from collections import defaultdict

from api.scale.model import (
    ClusterRow,
    Context,
    MenuChoice,
    PlannedContract,
    PlannedSpecification,
)
from commissioning.rules import ProcurementRoute, SpecificationStatus
from contracts.rules import PaymentTiming
from core.periods import FinancialYear


def years_of(start: int, term: int, per_year: int) -> dict[int, int]:
    return {start + offset: per_year + per_year * 3 * offset // 100 for offset in range(term)}


def plan(
    ctx: Context,
    clusters: list[ClusterRow],
    vehicles: dict[int, list[int]],
    menu: list[MenuChoice],
    lines: dict[tuple[int, int], list[int]],
) -> tuple[list[PlannedContract], list[PlannedSpecification]]:
    r = ctx.random
    by_pcpg: dict[int, list[ClusterRow]] = defaultdict(list)
    for c in clusters:
        by_pcpg[c.pcpg].append(c)
    pcpgs = sorted(by_pcpg)
    weights = [len(by_pcpg[p]) for p in pcpgs]
    last = ctx.years[-1]
    this_year = FinancialYear.containing(ctx.today).start_year

    def pick(number: int, start: int, term: int) -> tuple[int, list[ClusterRow], dict[int, int], dict[int, int]]:
        pcpg = r.choices(pcpgs, weights)[0]
        members = by_pcpg[pcpg]
        chosen = r.sample(members, min(len(members), r.choices([1, 2, 3], [6, 3, 1])[0]))
        per_year = sum(r.randrange(15_000, 120_000) for _ in chosen) * 100 + r.randrange(100)
        years = years_of(start, term, per_year)
        return pcpg, chosen, years, {y: lines[(pcpg, y)][number % len(lines[(pcpg, y)])] for y in years}

    contracts = []
    for number in range(1, ctx.profile.contracts + 1):
        start = r.choice(ctx.years)
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
    open_count = max(1, ctx.profile.contracts // 30)
    draft_count = max(1, ctx.profile.contracts // 60)
    future = [y for y in ctx.years if y >= this_year + 1] or [last]
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
