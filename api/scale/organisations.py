"""Organisations (Wales's own, or synthetic ones), delivery vehicles, the menu's services and the budget lines."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from api.scale.model import (
    COMMISSIONER,
    FINANCE,
    PROFILE_NAMES,
    PROVIDER,
    STREAMS,
    ClusterRow,
    Context,
    MenuChoice,
    PlannedContract,
    PlannedSpecification,
)
from api.scale.profiles import SYNTHETIC_SOURCE
from commissioning.rules import SpecificationStatus
from finance.tables import BudgetLine
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


async def organisations(ctx: Context) -> list[ClusterRow]:
    if not ctx.profile.is_synthetic:
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
    p = ctx.profile
    tag = p.name
    since = date(2019, 7, 1)  # primary care networks began in July 2019
    groups: list[tuple[int, int, int]] = []  # pcpg, health board, local authority
    for b in range(1, p.synthetic_boards + 1):
        board = await ctx.put(
            HealthBoard,
            {
                "name": f"Synthetic integrated care board {b:02d} ({tag})",
                "name_cy": f"Bwrdd gofal integredig synthetig {b:02d} ({tag})",
                "short_name": f"SYN{tag[:3].upper()}{b:02d}",
            },
        )
        rpb = await ctx.put(
            RegionalPartnershipBoard,
            {
                "name": f"Synthetic partnership {b:02d} ({tag})",
                "name_cy": f"Partneriaeth synthetig {b:02d} ({tag})",
                "health_board": board,
            },
        )
        for g in range(1, p.synthetic_groups_per_board + 1):
            group = await ctx.put(
                Pcpg,
                {
                    "name": f"Synthetic planning group {b:02d}-{g} ({tag})",
                    "name_cy": f"Grŵp cynllunio synthetig {b:02d}-{g} ({tag})",
                    "health_board": board,
                    "effective_from_on": since,
                },
            )
            authority = await ctx.put(
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
    await ctx.writer.flush()
    first_seed = 100_000 * (1 + sorted(PROFILE_NAMES).index(tag))  # clear of the 60 Welsh seed numbers
    clusters = []
    for n in range(1, p.synthetic_clusters + 1):
        group, board, authority = groups[(n - 1) % len(groups)]
        known = n % 10 != 5  # one in ten unknown, the fifth among them (so even the tiny scale has one)
        population = ctx.random.randrange(28_000, 95_000) if known else None
        name = f"Synthetic primary care network {n:04d} ({tag})"
        cluster = await ctx.put(
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
    await ctx.writer.flush()
    return clusters


async def vehicles(ctx: Context, clusters: list[ClusterRow]) -> dict[int, list[int]]:
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
            vehicle = await ctx.put(
                DeliveryVehicle,
                {
                    "name": f"Synthetic Community Health CIC {number:04d} ({ctx.profile.name})",
                    "legal_form": "cic",
                    "contact_name": "Synthetic contact",
                    "contact_email": f"vehicle{number}@scale.example.org",
                    "status": "approved",
                    "registered_at": ctx.now - timedelta(days=3_000),
                    "registered_by_username": PROVIDER,
                    "decided_at": ctx.now - timedelta(days=2_990),
                    "decided_by_username": COMMISSIONER,
                    "decision_reason": "Synthetic data (cdv demo --scale)",
                },
            )
            found[pcpg].append(vehicle)
            served = members[k::count]
            for c in served:
                await ctx.put(DeliveryVehicleCluster, {"delivery_vehicle": vehicle, "cluster": c.id})
    return found


async def menu(ctx: Context) -> list[MenuChoice]:
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
        MenuChoice(v["id"], v["name"], v["name_cy"], v["unit_of_activity"], tuple(kpis[v["id"]][:3])) for v in current
    ]


async def line_ids(ctx: Context, pcpgs: dict[int, int]) -> dict[tuple[int, int], list[int]]:
    """Ids for a line per PCPG, year and funding stream, but those already there (the small demo's): the
    generated contracts draw only on lines made here, so their amounts can be set above what is held."""
    existing = {
        (r["pcpg"], r["financial_year"], r["funding_stream"])
        for r in await BudgetLine.select(BudgetLine.pcpg, BudgetLine.financial_year, BudgetLine.funding_stream)
    }
    found: dict[tuple[int, int], list[int]] = {}
    for pcpg, board in sorted(pcpgs.items()):
        for year in ctx.years:
            for stream in STREAMS:
                if (pcpg, year, stream) in existing:
                    continue
                line = (await ctx.writer.ids(BudgetLine, 1))[0]
                ctx.line_keys[line] = (pcpg, board, year, stream)
                found.setdefault((pcpg, year), []).append(line)
    return found


async def write_lines(
    ctx: Context, contracts: list[PlannedContract], specifications: list[PlannedSpecification]
) -> None:
    """Each line's budget above what is held on it: 5 % to 35 % headroom, in whole thousands of pounds."""
    held: dict[int, int] = defaultdict(int)
    for c in contracts:
        for year, line in c.lines.items():
            held[line] += c.years[year]
    for s in specifications:
        if s.status is SpecificationStatus.PUBLISHED:
            for year, line in s.lines.items():
                held[line] += s.years[year]
    for line, (pcpg, board, year, stream) in sorted(ctx.line_keys.items()):
        if held[line]:
            wanted = held[line] * ctx.random.randrange(105, 136) // 100
            amount = -(-wanted // 100_000) * 100_000
        else:
            amount = ctx.random.randrange(50, 500) * 100_000
        await ctx.put(
            BudgetLine,
            {
                "health_board": board,
                "pcpg": pcpg,
                "financial_year": year,
                "funding_stream": stream,
                "amount_pence": amount,
                "note": "Synthetic (cdv demo --scale)",
                "updated_at": ctx.now - timedelta(days=400),
                "updated_by_username": FINANCE,
            },
            row_id=line,
        )
    await ctx.writer.flush()
