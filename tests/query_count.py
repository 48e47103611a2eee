"""Count the SQL statements sent to the database, on either engine (core/engines.py tells its listeners).

with count_queries() as counted:
    await client.get("/api/v1/clusters")
assert counted.total == 1, counted.statements
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from core.cache import EVERY_CACHED_READ
from core.engines import statement_listeners


@dataclass
class QueryCount:
    statements: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:
        return f"{self.total} statements:\n" + "\n".join(f"  {sql.strip()[:160]}" for sql in self.statements)


@contextmanager
def count_queries() -> Iterator[QueryCount]:
    counted = QueryCount()
    statement_listeners.append(counted.statements.append)
    try:
        yield counted
    finally:
        statement_listeners.remove(counted.statements.append)


@contextmanager
def caches_kept() -> Iterator[None]:
    """The in-process caches keep what they read until a write drops it, however long the machine takes between two
    asks (their one-second lifetime is for changes made by other processes; a busy machine can take longer than that
    between the warm-up and the counted ask, and a count then flickers)."""
    lifetimes = [(cached, cached.ttl) for cached in EVERY_CACHED_READ]
    for cached, _ in lifetimes:
        cached.ttl = 3600.0
    try:
        yield
    finally:
        for cached, ttl in lifetimes:
            cached.ttl = ttl


async def statements_for(http: httpx.AsyncClient, path: str) -> int:
    """The statements one GET of `path` sends with the in-process caches warm (asked once before it is counted)."""
    with caches_kept():
        first = await http.get(path)
        assert first.status_code == 200, (path, first.status_code, first.text[:500])
        with count_queries() as counted:
            again = await http.get(path)
    assert again.status_code == 200
    return counted.total


async def statements_do_not_grow(
    http: httpx.AsyncClient, path: str, add_rows: Callable[[int], Awaitable[Any]], *, few: int = 1, many: int = 50
) -> tuple[int, int]:
    """The statements for `path` with `few` rows, then with `many`: equal when nothing is read row by row."""
    await add_rows(few)
    with_few = await statements_for(http, path)
    await add_rows(many - few)
    with_many = await statements_for(http, path)
    return with_few, with_many
