"""How many SQL statements a request sends, so a test can show a page's reads do not grow with its rows.

Counts every query Piccolo runs through the engine (`run_querystring`: selects, counts, writes, inside or outside a
transaction), on SQLite and PostgreSQL alike. A stand-in for tests/query_count.py, written on another branch: the
lead may switch these tests over to it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from core.db import engine


class Counted:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@asynccontextmanager
async def counting_queries() -> AsyncIterator[Counted]:
    kind = type(engine())  # engines keep no instance __dict__, so the class's method is wrapped for the block
    original = kind.run_querystring
    counted = Counted()

    async def run_querystring(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        counted.statements.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    kind.run_querystring = run_querystring  # type: ignore[method-assign]
    try:
        yield counted
    finally:
        kind.run_querystring = original  # type: ignore[method-assign]


async def queries_for(http: httpx.AsyncClient, path: str) -> int:
    """The statements one GET sends (asserting it answered 200)."""
    async with counting_queries() as counted:
        response = await http.get(path)
    assert response.status_code == 200, response.text[:300]
    return counted.count


async def queries_do_not_grow(
    http: httpx.AsyncClient, path: str, add_rows: Callable[[int], Awaitable[Any]], *, few: int = 1, many: int = 50
) -> tuple[int, int]:
    """The statements for `path` with `few` rows, then with `many`: equal when nothing is read row by row."""
    await add_rows(few)
    with_few = await queries_for(http, path)
    await add_rows(many - few)
    with_many = await queries_for(http, path)
    return with_few, with_many
