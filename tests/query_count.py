"""Count the SQL statements sent to the database, on either engine (core/engines.py tells its listeners).

with count_queries() as counted:
    await client.get("/api/v1/clusters")
assert counted.total == 1, counted.statements
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

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
