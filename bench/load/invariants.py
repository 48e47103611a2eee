"""The finance invariants (api/scale/check.py: allocations, commitments, payments and every ledger line to the penny,
and the audit chain) over the database DATABASE_URL names: bench/load/run checks a backup taken during the load test,
restored. Exits 1 naming each broken invariant."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ.setdefault("CDV_ENV", "demo")
os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


async def problems() -> list[str]:
    from api.scale.check import check_invariants
    from core.db import engine

    await engine().start_connection_pool(min_size=1, max_size=2)  # type: ignore[call-arg]
    try:
        return await check_invariants()
    finally:
        await engine().close_connection_pool()  # type: ignore[attr-defined]


if __name__ == "__main__":
    broken = asyncio.run(problems())
    for problem in broken:
        print(f"invariant broken: {problem}", file=sys.stderr)
    print("invariants hold" if not broken else f"{len(broken)} invariants broken")
    raise SystemExit(1 if broken else 0)
