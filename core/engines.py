"""Piccolo engines that reuse SQLite connections for reads and tell caches which tables were written.

STACK-NOTES.md ("Reads on SQLite: reuse connections"): Piccolo 1.38's SQLiteEngine opens a new
aiosqlite connection (a new thread) for every query outside a transaction, about 2.2 ms each. Here a
plain `SELECT` outside a transaction goes instead to one worker thread that keeps a long-lived
`sqlite3` connection (`PRAGMA query_only`, WAL), and fetches the whole result in one hop. Everything
else (transactions, writes, DDL, `WITH ...`) keeps Piccolo's own path, so writes keep their
`BEGIN IMMEDIATE` (core/db.py) and a read inside a transaction sees that transaction's writes.

Both engines also count the statements they send (tests/query_count.py listens) and note which tables
each write touches, so in-process caches (core/cache.py) drop what a write made stale: at the statement,
and again once it is committed (when its transaction ends, or when an autocommit write returns), since a
reader that started in between read the old rows.
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, dict_factory
from piccolo.querystring import QueryString

# Listeners called with the SQL text of every statement sent to the database (tests count them).
statement_listeners: list[Callable[[str], None]] = []

_versions: dict[str, int] = {}
_epoch = 0  # bumped for writes that cannot be pinned to tables (DDL, PRAGMA, anything unparsed)
_touched_in_transaction: dict[int, set[str] | None] = {}  # id(transaction) -> tables, None for "all"

_WRITE_TABLE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+(?:"?\w+"?\.)?"?(\w+)"?',
    re.IGNORECASE,
)
_TRUNCATE = re.compile(
    r"^\s*TRUNCATE\s+(?:TABLE\s+)?(.*?)(?:\s+(?:RESTART|CONTINUE|CASCADE|RESTRICT)\b.*)?$", re.IGNORECASE | re.DOTALL
)


def is_plain_select(sql: str) -> bool:
    """Piccolo's QueryString.query_type is only "insert" or "generic": the SQL text decides."""
    return sql.lstrip()[:7].upper() in ("SELECT ", "SELECT\n", "SELECT\t")


def _tables_written(sql: str) -> set[str] | None:
    """The tables a write statement changes, or None when it cannot tell (then every cache is stale)."""
    found = _WRITE_TABLE.match(sql)
    if found:
        return {found.group(1).lower()}
    truncated = _TRUNCATE.match(sql)
    if truncated:
        return {name.strip().strip('"').lower() for name in truncated.group(1).split(",")}
    return None


def _bump(tables: set[str] | None) -> None:
    global _epoch
    if tables is None:
        _epoch += 1
        return
    for table in tables:
        _versions[table] = _versions.get(table, 0) + 1


def version_of(tables: Iterable[str]) -> tuple[int, ...]:
    """A value that changes whenever this process writes to any of these tables (or to something unknown)."""
    return (_epoch, *(_versions.get(table, 0) for table in tables))


_READ = object()


def _sent(engine: Any, sql: str) -> Any:
    """Tell the listeners; for a write, mark its tables stale now. Returns what `_done` needs."""
    for listener in statement_listeners:
        listener(sql)
    if is_plain_select(sql):
        return _READ
    tables = _tables_written(sql)
    _bump(tables)
    transaction = engine.current_transaction.get()
    if transaction is not None:
        already = _touched_in_transaction.get(id(transaction), set())
        _touched_in_transaction[id(transaction)] = None if tables is None or already is None else already | tables
    return tables


def _done(engine: Any, written: Any) -> None:
    """After a write outside a transaction has committed: stale again for readers that started meanwhile."""
    if written is not _READ and engine.current_transaction.get() is None:
        _bump(written)


def transaction_ended(transaction: object) -> None:
    """Called after COMMIT or ROLLBACK: what the transaction wrote is stale again for readers that started meanwhile."""
    key = id(transaction)
    if key in _touched_in_transaction:
        _bump(_touched_in_transaction.pop(key))


def _identity(path: str) -> tuple[int, int, int] | None:
    """Which file is at `path` now: an inode number can be reused by a new file, so its change time counts too."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_ctime_ns)


class _ReadConnections:
    """One worker thread with one long-lived read-only sqlite3 connection (per process and database file)."""

    def __init__(self, connection_kwargs: dict[str, Any]) -> None:
        self.connection_kwargs = connection_kwargs
        self.local = threading.local()
        self.pid = os.getpid()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cdv-sqlite-read")

    def _connection(self) -> sqlite3.Connection:
        path = self.connection_kwargs["database"]
        held = getattr(self.local, "held", None)
        if held is not None and held[1] == _identity(path):
            return held[0]
        if held is not None:  # the file was replaced or removed (cdv demo --reset), or checkpointed: reopen
            held[0].close()
            self.local.held = None
        connection = sqlite3.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory
        if connection.execute("PRAGMA journal_mode").fetchone()["journal_mode"] != "wal":
            connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA foreign_keys = 1")
        connection.execute("PRAGMA query_only = 1")
        self.local.held = (connection, _identity(path))
        return connection

    def _fetch(self, sql: str, args: list[Any]) -> list[dict[str, Any]]:
        cursor = self._connection().execute(sql, args)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()  # ends the implicit read transaction: no snapshot lingers to hold back a checkpoint

    async def fetch(self, sql: str, args: list[Any]) -> list[dict[str, Any]]:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self._fetch, sql, args)

    def close(self) -> None:
        def close_here() -> None:
            held = getattr(self.local, "held", None)
            if held is not None:
                held[0].close()
                self.local.held = None

        self.executor.submit(close_here).result()
        self.executor.shutdown(wait=True)


class CdvSQLiteTransaction(SQLiteTransaction):
    __slots__ = ()

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        finally:
            if self._parent is None:
                transaction_ended(self)


class CdvSQLiteEngine(SQLiteEngine):
    """SQLiteEngine whose plain reads outside a transaction reuse one connection (see the module docstring)."""

    def __init__(self, path: str = "piccolo.sqlite", **kwargs: Any) -> None:
        super().__init__(path=path, **kwargs)
        self._reads: _ReadConnections | None = None
        self._reads_lock = threading.Lock()

    def _read_connections(self) -> _ReadConnections:
        reads = self._reads
        if reads is None or reads.pid != os.getpid() or reads.connection_kwargs["database"] != self.path:
            with self._reads_lock:
                reads = self._reads
                if reads is None or reads.pid != os.getpid() or reads.connection_kwargs["database"] != self.path:
                    reads = self._reads = _ReadConnections(dict(self.connection_kwargs))
        return reads

    def close_read_connections(self) -> None:
        """Close the read connection and its thread (the thread also ends by itself at exit)."""
        reads, self._reads = self._reads, None
        if reads is not None and reads.pid == os.getpid():
            reads.close()

    async def run_querystring(self, querystring: QueryString, in_pool: bool = False) -> Any:
        sql, args = querystring.compile_string(engine_type=self.engine_type)
        written = _sent(self, sql)
        if self.current_transaction.get() is None and querystring.query_type != "insert" and written is _READ:
            if self.log_queries:
                self.print_query(query_id=self.get_query_id(), query=str(querystring))
            return await self._read_connections().fetch(sql, list(args))
        try:
            return await super().run_querystring(querystring, in_pool=in_pool)
        finally:
            _done(self, written)

    async def run_ddl(self, ddl: str, in_pool: bool = False) -> Any:
        written = _sent(self, ddl)
        if self.current_transaction.get() is None and written is _READ:
            return await self._read_connections().fetch(ddl, [])
        try:
            return await super().run_ddl(ddl, in_pool=in_pool)
        finally:
            _done(self, written)

    def transaction(self, *args: Any, **kwargs: Any) -> CdvSQLiteTransaction:
        return CdvSQLiteTransaction(self, *args, **kwargs)


class CdvPostgresTransaction(PostgresTransaction):
    __slots__ = ()

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        finally:
            if self._parent is None:
                transaction_ended(self)


class CdvPostgresEngine(PostgresEngine):
    """PostgresEngine that counts statements and notes written tables; asyncpg's pool already reuses connections."""

    async def run_querystring(self, querystring: QueryString, in_pool: bool = True) -> Any:
        written = _sent(self, querystring.compile_string(engine_type=self.engine_type)[0])
        try:
            return await super().run_querystring(querystring, in_pool=in_pool)
        finally:
            _done(self, written)

    async def run_ddl(self, ddl: str, in_pool: bool = True) -> Any:
        written = _sent(self, ddl)
        try:
            return await super().run_ddl(ddl, in_pool=in_pool)
        finally:
            _done(self, written)

    def transaction(self, allow_nested: bool = True) -> CdvPostgresTransaction:
        return CdvPostgresTransaction(engine=self, allow_nested=allow_nested)
