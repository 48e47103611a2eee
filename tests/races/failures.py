"""Ways to make a write fail at BEGIN or COMMIT, for tests/races (issue 16, item 3): SQLite's write lock held by
another connection, and a deferred trigger on PostgreSQL that refuses at COMMIT, for budget lines with a marker note."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest

from core.db import engine
from tests import commissioning_support as support


async def line_json(note: str = "") -> dict[str, Any]:
    return {
        "pcpg_id": await support.pcpg_id("Cardiff"),
        "financial_year": 2027,
        "funding_stream": "cluster_funding",
        "amount_pence": 30_000_000,
        "note": note,
    }


@contextmanager
def write_lock_held(path: str) -> Iterator[None]:
    """Another process's writer, as far as SQLite can tell: a connection of its own holding BEGIN IMMEDIATE."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            held.set()
            release.wait(30)
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert held.wait(10), "the lock was never taken"
    try:
        yield
    finally:
        release.set()
        holder.join(10)


REFUSALS = {
    # note on the budget line: what the trigger does at COMMIT
    "conflict at commit": "RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'check_violation'",
    "serialization failure at commit": "RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'serialization_failure'",
    "connection lost at commit": "PERFORM pg_terminate_backend(pg_backend_pid())",
}


@asynccontextmanager
async def commits_refused() -> AsyncIterator[None]:
    """On PostgreSQL: a budget line whose note is one of REFUSALS is refused at COMMIT, as that note says."""
    cases = " ".join(f"IF NEW.note = '{note}' THEN {action}; END IF;" for note, action in REFUSALS.items())
    await engine().run_ddl(
        "CREATE OR REPLACE FUNCTION cdv_test_refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {cases} RETURN NULL; END $$"
    )
    await engine().run_ddl(
        "CREATE CONSTRAINT TRIGGER cdv_test_refuse_at_commit AFTER INSERT ON budget_line "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cdv_test_refuse_at_commit()"
    )
    try:
        yield
    finally:
        await engine().run_ddl("DROP TRIGGER IF EXISTS cdv_test_refuse_at_commit ON budget_line")
        await engine().run_ddl("DROP FUNCTION IF EXISTS cdv_test_refuse_at_commit()")


@pytest.fixture
async def refusing_commits() -> AsyncIterator[None]:
    async with commits_refused():
        yield
