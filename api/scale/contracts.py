"""Specifications, their awards and the contracts made from them, with every part the services would make."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from api.scale.bulk import as_json
from api.scale.model import (
    COMMISSIONER,
    KPI_THRESHOLDS,
    ClusterRow,
    Context,
    MenuChoice,
    PlannedContract,
    PlannedSpecification,
)
from api.scale.returns import write_payments, write_returns
from commissioning.rules import AwardStatus, ProcurementRoute, SpecificationStatus
from commissioning.tables import Award, Specification, SpecificationCluster, SpecificationKpi, SpecificationYear
from contracts import rules as contract_rules
from contracts.rules import ContractStatus
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
from finance.tables import BudgetCommitment, BudgetCommitmentCluster, BudgetEarmark


async def write_specification(
    ctx: Context,
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
    spec = await ctx.put(
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
        await ctx.put(SpecificationCluster, {"specification": spec, "cluster": c.id})
    for year, value in sorted(years.items()):
        await ctx.put(
            SpecificationYear,
            {"specification": spec, "financial_year": year, "max_value_pence": value, "budget_line": lines[year]},
        )
        if published_at is not None:
            await ctx.put(
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
        await ctx.put(
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


async def write_open_specification(ctx: Context, s: PlannedSpecification) -> None:
    r = ctx.random
    created = ctx.now - timedelta(days=r.randrange(10, 60))
    published = created + timedelta(days=5) if s.status is SpecificationStatus.PUBLISHED else None
    await write_specification(
        ctx,
        reference=f"{ctx.profile.reference_prefix}S{s.number + ctx.profile.contracts:06d}",
        pcpg=s.pcpg,
        clusters=s.clusters,
        years=s.years,
        lines=s.lines,
        menu=s.menu,
        status=s.status,
        route=ProcurementRoute.COMPETITIVE,
        created_at=created,
        published_at=published,
        deadline=ctx.now + timedelta(days=r.randrange(7, 45)) if published else None,
        released_at=None,
    )


async def write_contract(ctx: Context, c: PlannedContract) -> None:
    r = ctx.random
    start_on = FinancialYear(min(c.years)).first_day
    end_on = FinancialYear(max(c.years)).last_day
    made_at = min(ctx.at(start_on - timedelta(days=r.randrange(20, 60))), ctx.now - timedelta(days=r.randrange(1, 30)))
    created = made_at - timedelta(days=r.randrange(60, 150))
    published = created + timedelta(days=14)
    notice = made_at - timedelta(days=14)
    spec = await write_specification(
        ctx,
        reference=f"{ctx.profile.reference_prefix}S{c.number:06d}",
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
    award = await ctx.put(
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
    if end_on < ctx.today:
        status = ContractStatus.EXPIRED
    elif start_on > ctx.today:
        status = ContractStatus.MOBILISING
    else:
        status = ContractStatus.LIVE
    started = status is not ContractStatus.MOBILISING
    contract = await ctx.put(
        Contract,
        {
            "reference": f"{ctx.profile.reference_prefix}C{c.number:06d}",
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
            "status_changed_at": ctx.at(start_on) if started else made_at,
            "live_from_on": start_on if started else None,
        },
    )
    for year, value in sorted(c.years.items()):
        await ctx.put(
            ContractYear,
            {"contract": contract, "financial_year": year, "value_pence": value, "budget_line": c.lines[year]},
        )
    for cluster in c.clusters:
        await ctx.put(ContractCluster, {"contract": contract, "cluster": cluster.id})
    kpis: list[tuple[int, str, str, str, str]] = []  # id, unit, direction, green, red
    for position, (name, name_cy, unit, direction) in enumerate(c.menu.kpis):
        green, red = KPI_THRESHOLDS.get(
            (unit, direction), ("20", "30") if direction == "lower_is_better" else ("100", "80")
        )
        kpi = await ctx.put(
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
    allocations = cluster_split(ctx, c)
    splits: dict[int, dict[int, int]] = defaultdict(dict)
    for a in allocations:
        splits[a.financial_year][a.cluster_id] = a.amount_pence
        await ctx.put(
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
        await ctx.put(
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
            await ctx.put(
                ContractActivity,
                {"contract": contract, "financial_year": year, "quarter": quarter, "units": units + 5 * quarter},
            )
    await ctx.put(
        ContractVersion,
        {
            "contract": contract,
            "version": 1,
            "made_at": made_at,
            "made_by_username": COMMISSIONER,
            "particulars": as_json(particulars(c, start_on, end_on, kpis, splits)),
        },
    )
    for year, value in sorted(c.years.items()):
        commitment = await ctx.put(
            BudgetCommitment,
            {
                "budget_line": c.lines[year],
                "contract": contract,
                "financial_year": year,
                "amount_pence": value,
                "created_at": made_at,
            },
        )
        for cluster_id, amount in sorted(splits[year].items()):
            await ctx.put(
                BudgetCommitmentCluster,
                {"budget_commitment": commitment, "cluster": cluster_id, "amount_pence": amount},
            )
    returns = await write_returns(ctx, c, contract, start_on, end_on, kpis)
    await write_payments(ctx, c, contract, schedule, returns, splits)


def cluster_split(ctx: Context, c: PlannedContract) -> list[contract_rules.Allocation]:
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


def particulars(
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
