"""How many SQL statements a page request sends, so a test can show a page's reads do not grow with its rows.

Counted with tests/query_count.py (every statement either engine runs). Each page is requested once before it is
counted, so the in-process caches (who the user is, the clock, reference data) are warm both times it is measured.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from tests.query_count import count_queries


class Counted:
    def __init__(self, statements: list[str]) -> None:
        self.statements = statements

    @property
    def count(self) -> int:
        return len(self.statements)


@asynccontextmanager
async def counting_queries() -> AsyncIterator[Counted]:
    with count_queries() as counted:
        yield Counted(counted.statements)


async def queries_for(http: httpx.AsyncClient, path: str) -> int:
    """The statements one GET sends with warm caches (asserting it answered 200)."""
    await http.get(path)
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
