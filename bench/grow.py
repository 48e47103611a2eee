"""Grow the configured demo database to 5,000 specifications and 2,000 budget lines (run by hand, see bench/README.md).

Specifications are copies of the demo's own (same PCPG, status, clusters, years, KPIs and criteria, a new
reference), so a commissioner's lists, the dashboard and /opportunities all grow. Budget lines are spread
over every PCPG and distant financial years (1900 onwards), so they never meet a real specification.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

SPECIFICATIONS = 5_000
BUDGET_LINES = 2_000
CHUNK = 500


async def _insert(table: Any, rows: list[dict[str, Any]]) -> None:
    from core.db import write_transaction

    for start in range(0, len(rows), CHUNK):
        async with write_transaction():
            await table.insert(*[table(**row) for row in rows[start : start + CHUNK]])


async def grow() -> None:
    from commissioning.tables import (
        EvaluationCriterion,
        Specification,
        SpecificationCluster,
        SpecificationKpi,
        SpecificationYear,
    )
    from core.db import engine, is_postgres
    from finance.tables import BudgetLine
    from organisations.tables import Pcpg

    children = (SpecificationCluster, SpecificationYear, SpecificationKpi, EvaluationCriterion)
    sources = await Specification.select().order_by(Specification.id)
    have = len(sources)
    if not sources:
        sys.exit("bench/grow.py: no specifications to copy: run `cdv demo --reset` first")
    print(f"specifications: {have} -> {SPECIFICATIONS}", flush=True)
    kids: dict[int, list[tuple[Any, dict[str, Any]]]] = {source["id"]: [] for source in sources}
    for child in children:
        for kid in await child.select():
            if kid["specification"] in kids:
                kids[kid["specification"]].append((child, {k: v for k, v in kid.items() if k != "id"}))
    from core.db import write_transaction

    for start in range(0, SPECIFICATIONS - have, CHUNK):
        picked = [sources[n % len(sources)] for n in range(start, min(start + CHUNK, SPECIFICATIONS - have))]
        rows = [
            Specification(**{**{k: v for k, v in source.items() if k != "id"}, "reference": f"GROWN-{start + i:05d}"})
            for i, source in enumerate(picked)
        ]
        async with write_transaction():
            made = await Specification.insert(*rows).returning(Specification.id)
            for child in children:
                copies = [
                    child(**{**values, "specification": new["id"]})
                    for source, new in zip(picked, made, strict=True)
                    for table, values in kids[source["id"]]
                    if table is child
                ]
                for at in range(0, len(copies), CHUNK):
                    await child.insert(*copies[at : at + CHUNK])
    have_lines = await BudgetLine.count()
    print(f"budget lines: {have_lines} -> {BUDGET_LINES}", flush=True)
    pcpgs = await Pcpg.select(Pcpg.id, Pcpg.health_board).order_by(Pcpg.id)
    template = await BudgetLine.select().first()
    assert template is not None, "the demo has budget lines"
    lines = []
    year = 1900
    while have_lines + len(lines) < BUDGET_LINES:
        for pcpg in pcpgs:
            if have_lines + len(lines) >= BUDGET_LINES:
                break
            lines.append(
                {
                    **{k: v for k, v in template.items() if k != "id"},
                    "pcpg": pcpg["id"],
                    "health_board": pcpg["health_board"],
                    "financial_year": year,
                    "funding_stream": "other",
                }
            )
        year += 1
    await _insert(BudgetLine, lines)
    print(f"now {await Specification.count()} specifications, {await BudgetLine.count()} budget lines", flush=True)
    if is_postgres():
        # What autovacuum does within a minute or so of a bulk load: statistics for the planner, and the
        # visibility map that lets a count read an index alone. Done here so the ladder does not measure the
        # database before it and after it in one run. (SQLite keeps no statistics until ANALYZE: left as is.)
        await engine().run_ddl("VACUUM ANALYZE")


async def main() -> None:
    from core.db import engine, is_postgres

    if is_postgres():
        await engine().start_connection_pool(min_size=1, max_size=2)  # type: ignore[attr-defined]
    try:
        await grow()
    finally:
        if is_postgres():
            await engine().close_connection_pool()  # type: ignore[attr-defined]


if __name__ == "__main__":
    asyncio.run(main())
