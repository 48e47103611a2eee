"""Bulk writing for the scale generator: ids allocated in Python, rows sent in batches by the fastest honest path
of each database (COPY through asyncpg's copy_records_to_table on PostgreSQL; executemany on SQLite), all in one
transaction, with progress printed to stderr as it goes.

One transaction, not one per batch: a generator stopped part-way (killed, out of disk) must leave nothing, since a
batch of contracts committed without the batch of their years is a contract with no money in any ledger (issue 16).

Bypassing Piccolo here is deliberate: one ORM call per row would take hours at England scale. The rows are the
same the services write, and api/scale/check.py checks the invariants the services would have kept."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from piccolo.table import Table

from core.db import engine, is_postgres
from core.engines import _bump

BATCH_ROWS = 50_000


class Progress:
    """Plain text lines on stderr: rows written of about how many, the table just written, time elapsed."""

    def __init__(self, *, total: int, stream: TextIO | None = None, every_seconds: float = 2.0) -> None:
        self.total = total
        self.written = 0
        self.started = time.monotonic()
        self.stream = stream
        self.every = every_seconds
        self.last = 0.0

    def add(self, rows: int, table: str) -> None:
        self.written += rows
        now = time.monotonic()
        if self.stream is not None and now - self.last >= self.every:
            self.last = now
            self.line(table)

    def line(self, what: str) -> None:
        if self.stream is None:
            return
        share = 100 * self.written / self.total if self.total else 100.0
        print(
            f"scale: {self.written:>11,} of about {self.total:,} rows ({share:5.1f} %), {self.elapsed:7.1f} s, {what}",
            file=self.stream,
            flush=True,
        )

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


class BulkWriter:
    """Rows buffered per table and written a batch at a time, parents before children (the caller adds them in
    that order and calls `flush` between levels); each table's next id comes from its largest id at the start."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.buffers: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        self.next_ids: dict[str, int] = {}
        self.written: dict[str, int] = {}
        self._sqlite: sqlite3.Connection | None = None
        self._pg: Any = None
        self._pg_transaction: Any = None

    async def __aenter__(self) -> BulkWriter:
        if is_postgres():
            import asyncpg

            self._pg = await asyncpg.connect(engine().config["dsn"])  # type: ignore[attr-defined]
            self._pg_transaction = self._pg.transaction()
            await self._pg_transaction.start()
        else:
            self._sqlite = sqlite3.connect(engine().path, timeout=60, isolation_level=None, check_same_thread=False)  # type: ignore[attr-defined]
            self._sqlite.execute("PRAGMA foreign_keys = ON")
            self._sqlite.execute("BEGIN IMMEDIATE")
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                await self.flush()
                if self._pg is not None:
                    for name in self.next_ids:
                        await self._pg.execute(
                            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                            f'(SELECT COALESCE(MAX(id), 1) FROM "{name}"))'
                        )
                    await self._pg_transaction.commit()
                else:
                    await asyncio.to_thread(self._sqlite.execute, "COMMIT")  # type: ignore[union-attr]
                await self.analyse()
        finally:
            if self._pg is not None:
                await self._pg.close()
            if self._sqlite is not None:
                self._sqlite.close()
            _bump(None)  # every in-process cache is stale: these rows went round Piccolo's engines

    async def analyse(self) -> None:
        """Fresh planner statistics for the tables written, as after any bulk load: with the old ones PostgreSQL
        misjudged a page of 50 specifications as costly enough to JIT-compile (0.5 s of 0.5 s at England scale)."""
        if self._pg is not None:
            for name in self.written:
                await self._pg.execute(f'ANALYZE "{name}"')
        else:
            await asyncio.to_thread(self._sqlite.execute, "ANALYZE")  # type: ignore[union-attr]

    async def _max_id(self, name: str) -> int:
        sql = f'SELECT COALESCE(MAX(id), 0) FROM "{name}"'
        if self._pg is not None:
            return int(await self._pg.fetchval(sql))
        assert self._sqlite is not None
        return int(self._sqlite.execute(sql).fetchone()[0])

    async def ids(self, table: type[Table], count: int) -> range:
        """`count` fresh ids for the table, never used before in it."""
        name = table._meta.tablename
        if name not in self.next_ids:
            self.next_ids[name] = await self._max_id(name) + 1
        first = self.next_ids[name]
        self.next_ids[name] = first + count
        return range(first, first + count)

    async def add(self, table: type[Table], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        name = table._meta.tablename
        if name not in self.buffers:
            self.buffers[name] = (list(columns), [])
        held_columns, held = self.buffers[name]
        assert held_columns == list(columns), name
        held.extend(rows)
        if len(held) >= BATCH_ROWS:
            await self._write(name)

    async def flush(self) -> None:
        for name in list(self.buffers):
            await self._write(name)

    async def _write(self, name: str) -> None:
        columns, rows = self.buffers[name]
        if not rows:
            return
        self.buffers[name] = (columns, [])
        if self._pg is not None:
            await self._pg.copy_records_to_table(name, records=rows, columns=columns)
        else:
            await asyncio.to_thread(self._sqlite_batch, name, columns, rows)
        self.written[name] = self.written.get(name, 0) + len(rows)
        self.progress.add(len(rows), name)

    def _sqlite_batch(self, name: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        assert self._sqlite is not None
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        self._sqlite.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows)


def as_json(value: Any) -> str:
    """JSON columns take text on both paths (asyncpg's default json codec and SQLite's TEXT)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def stderr() -> TextIO:
    return sys.stderr
