"""The one way to open a write transaction, on SQLite or PostgreSQL.

STACK-NOTES.md: SQLite needs BEGIN IMMEDIATE (a deferred read-then-write never waits for the
lock) plus a per-process lock; PostgreSQL needs row locks for read-then-write rules. Piccolo 1.38
also leaks a connection and the transaction context variable when BEGIN or COMMIT fails, so this
module drives Piccolo's transaction objects itself and always releases in `finally`.
"""

from __future__ import annotations

import asyncio
import enum
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from piccolo.engine import engine_finder
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteTransaction, TransactionType
from piccolo.query.base import Query

from core.engines import transaction_ended
from core.errors import Conflict
from core.i18n import N_

CHANGED_MEANWHILE = N_("Someone else made this change at the same moment. Reload the page to see it.")
_sqlite_locks: dict[int, asyncio.Lock] = {}


_engine: Engine | None = None


def engine() -> Engine:
    """piccolo_conf's DB, looked up once: Piccolo's engine_finder imports the conf module on every call."""
    global _engine
    if _engine is None:
        found = engine_finder()
        if found is None:  # pragma: no cover - piccolo_conf always defines DB
            raise RuntimeError("piccolo_conf.py defines no DB")
        _engine = found
    return _engine


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


def in_transaction() -> bool:
    return engine().current_transaction.get() is not None


def _sqlite_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _sqlite_locks.get(id(loop))
    if lock is None:
        lock = _sqlite_locks[id(loop)] = asyncio.Lock()
    return lock


class Failure(enum.Enum):
    """Why the database refused an operation for reasons of the moment, not of the request: each answers a problem
    (api/errors.py) rather than a 500, and nothing of the operation was written."""

    BUSY = "busy"  # SQLite: another process held the write lock past the busy timeout
    CONFLICT = "conflict"  # PostgreSQL: a serialization failure or a deadlock; the operation was rolled back
    UNAVAILABLE = "unavailable"  # the connection was lost, refused or shut down by the server


_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_SQLITE_UNAVAILABLE = ("unable to open database file", "disk i/o error")


def failure_of(error: BaseException) -> Failure | None:
    """The kind of passing failure `error` is, or None for any other (a bug: still a 500)."""
    if isinstance(error, sqlite3.OperationalError):
        message = str(error).lower()
        if message.startswith(_SQLITE_BUSY):
            return Failure.BUSY
        if message.startswith(_SQLITE_UNAVAILABLE):
            return Failure.UNAVAILABLE
        return None
    if isinstance(error, asyncpg.exceptions.TransactionRollbackError):  # serialization failure, deadlock
        return Failure.CONFLICT
    if isinstance(
        error,
        (
            asyncpg.exceptions.ConnectionDoesNotExistError,
            asyncpg.exceptions.ConnectionFailureError,
            asyncpg.exceptions.OperatorInterventionError,  # admin shutdown, crash shutdown, cannot connect now
            asyncpg.exceptions.InsufficientResourcesError,  # too many connections, disk full
            asyncpg.exceptions.InternalClientError,
            ConnectionError,
            TimeoutError,
        ),
    ):
        return Failure.UNAVAILABLE
    if isinstance(error, asyncpg.exceptions.InterfaceError) and "connection" in str(error).lower():
        return Failure.UNAVAILABLE  # "connection is closed", "cannot call ... connection has been released"
    return None


def is_integrity_violation(error: BaseException) -> bool:
    return isinstance(error, (asyncpg.exceptions.IntegrityConstraintViolationError, sqlite3.IntegrityError))


async def _commit(tx: Any) -> None:
    """A constraint checked only at COMMIT (a deferred one) refuses the whole operation: the state it was checked
    against changed, which is the service's own conflict, not a failure of the service."""
    try:
        await tx.commit()
    except Exception as error:
        if is_integrity_violation(error):
            raise Conflict(CHANGED_MEANWHILE) from error
        raise


def is_unique_violation(error: BaseException) -> bool:
    if isinstance(error, asyncpg.exceptions.UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE constraint failed" in str(error)


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """Open a write transaction, or join the one already open in this task.

    Two transactions making the same first row at once (a vehicle's bid, an evaluator's declaration) both pass the
    service's check on PostgreSQL, and the database's unique index refuses the later: that is the service's own
    conflict (409), arrived at a moment later, not a failure of the service."""
    db = engine()
    if db.current_transaction.get() is not None:
        yield
        return
    try:
        if isinstance(db, PostgresEngine):
            async with _postgres_transaction(db):
                yield
        else:
            async with _sqlite_lock(), _sqlite_transaction(db):
                yield
    except Exception as error:
        if is_unique_violation(error):
            raise Conflict(CHANGED_MEANWHILE) from error
        raise


@asynccontextmanager
async def _sqlite_transaction(db: Any) -> AsyncIterator[None]:
    tx = SQLiteTransaction(db, transaction_type=TransactionType.immediate, allow_nested=False)
    tx.connection = await tx.get_connection()
    try:
        await tx.begin()
    except BaseException:
        await tx.connection.close()
        raise
    token = db.current_transaction.set(tx)
    try:
        yield
        await _commit(tx)
    except BaseException:
        if not tx._committed:
            try:
                await tx.rollback()
            except Exception:  # noqa: S110 - the original error is the one worth raising
                pass
        raise
    finally:
        db.current_transaction.reset(token)
        transaction_ended(tx)
        await tx.connection.close()


@asynccontextmanager
async def _postgres_transaction(db: PostgresEngine) -> AsyncIterator[None]:
    tx = PostgresTransaction(db, allow_nested=False)
    tx.connection = await tx.get_connection()
    token = None
    try:
        tx.transaction = tx.connection.transaction()
        await tx.begin()
        token = db.current_transaction.set(tx)
        try:
            yield
            await _commit(tx)
        except BaseException:
            if not tx._committed:
                try:
                    await tx.rollback()
                except Exception:  # noqa: S110 - the original error is the one worth raising
                    pass
            raise
    finally:
        if token is not None:
            db.current_transaction.reset(token)
        transaction_ended(tx)
        if db.pool:
            await db.pool.release(tx.connection)
        else:
            await tx.connection.close()


def for_update(query: Query, *, of: tuple[Any, ...] = ()) -> Query:
    """Lock the selected rows until commit on PostgreSQL; SQLite's IMMEDIATE transaction already serialises writers.
    `of`: the tables whose rows to lock, where the query joins others (PostgreSQL refuses to lock the nullable side
    of the outer joins Piccolo makes for foreign keys)."""
    if is_postgres():
        return query.lock_rows(of=of)  # type: ignore[attr-defined]
    return query


async def serialise(key: int) -> None:
    """Take a transaction-scoped advisory lock on PostgreSQL, for writes whose order matters (the audit chain)."""
    if is_postgres():
        await engine().run_ddl(f"SELECT pg_advisory_xact_lock({int(key)})")
