"""Reads on a reused connection beside writes in two processes: nobody is locked out, nobody sees half a write.

core/engines.py sends SQLite reads outside a transaction to one long-lived connection per process (WAL);
writes keep BEGIN IMMEDIATE (core/db.write_transaction). Two child processes and this one each write
batches of rows in one transaction while reading all the time; every read must find each batch whole or
absent. Runs on PostgreSQL too (same code path for writes, asyncpg's pool for reads).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from administration.tables import ClockSetting

pytestmark = pytest.mark.races

ROOT = Path(__file__).resolve().parents[2]
BATCH = 40
BATCHES = 15

WORKER = textwrap.dedent(
    """
    import asyncio, json, os, sys
    from datetime import UTC, datetime

    from administration.tables import ClockSetting
    from core.db import engine, is_postgres, write_transaction

    BATCH, BATCHES, NAME = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

    async def check(seen):
        rows = await ClockSetting.raw(
            "SELECT set_by_username AS batch, COUNT(*) AS n FROM clock_setting GROUP BY set_by_username"
        )
        seen["reads"] += 1
        seen["partial"] += sum(1 for row in rows if row["n"] != BATCH)

    async def main():
        if is_postgres():
            await engine().start_connection_pool(min_size=1, max_size=4)
        seen = {"reads": 0, "partial": 0, "errors": [], "own_writes_seen": 0}
        writing = True

        async def reader():
            while writing:
                try:
                    await asyncio.gather(check(seen), check(seen), check(seen))
                except Exception as error:
                    seen["errors"].append(repr(error))
                await asyncio.sleep(0)

        task = asyncio.create_task(reader())
        try:
            for n in range(BATCHES):
                try:
                    async with write_transaction():
                        now = datetime.now(UTC)
                        batch = f"{NAME}-{n}"
                        rows = [ClockSetting(offset_seconds=i, set_at=now, set_by_username=batch) for i in range(BATCH)]
                        await ClockSetting.insert(*rows)
                        mine = await ClockSetting.count().where(ClockSetting.set_by_username == f"{NAME}-{n}")
                        seen["own_writes_seen"] += mine == BATCH
                except Exception as error:
                    seen["errors"].append(repr(error))
                await asyncio.sleep(0.005)
        finally:
            writing = False
            await task
            if is_postgres():
                await engine().close_connection_pool()
        print(json.dumps(seen))

    asyncio.run(main())
    """
)


async def test_two_processes_reading_and_writing_never_lock_out_or_see_half_a_batch(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PICCOLO_CONF": "piccolo_conf"}
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(script),
            str(BATCH),
            str(BATCHES),
            name,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("first", "second")
    ]
    reads = partial = 0
    errors: list[str] = []
    while any(child.returncode is None for child in children):
        try:
            rows = await ClockSetting.raw(
                "SELECT set_by_username AS batch, COUNT(*) AS n FROM clock_setting GROUP BY set_by_username"
            )
            reads += 1
            partial += sum(1 for row in rows if row["n"] != BATCH)
        except Exception as error:
            errors.append(repr(error))
        await asyncio.sleep(0.002)
        for child in children:
            if child.returncode is None:
                try:
                    await asyncio.wait_for(asyncio.shield(child.wait()), 0.001)
                except TimeoutError:
                    pass
    results = []
    for child in children:
        out, err = await child.communicate()
        assert child.returncode == 0, err.decode()[-2000:]
        results.append(json.loads(out.decode().strip().splitlines()[-1]))

    assert errors == []
    assert partial == 0
    for result in results:
        assert result["errors"] == []
        assert result["partial"] == 0
        assert result["reads"] > 0
        assert result["own_writes_seen"] == BATCHES  # a read inside the write transaction sees its own rows
    assert reads > 0
    assert await ClockSetting.count() == 2 * BATCHES * BATCH
