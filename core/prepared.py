"""Selects whose columns, joins and order Piccolo compiles once; each read adds only its conditions and window.

Building a Piccolo select that reads through foreign keys (`Specification.pcpg.name`) and compiling it costs
Piccolo 1.38 about a millisecond of Python per request (its ForeignKey attribute access copies columns and calls
`dir()`, and the joins are worked out again each time): more than the database takes to answer a page of 50 rows
(bench/README.md, 2026-12-02). Here the SQL up to the WHERE is Piccolo's own, compiled once per engine; the
conditions are ordinary Piccolo conditions, compiled per read, so they can only use the joins the columns made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from piccolo.querystring import QueryString

from core.db import engine
from core.i18n import current_language


def _escaped(sql: str) -> str:
    """Compiled SQL used as a QueryString template: braces would read as placeholders."""
    return sql.replace("{", "{{").replace("}", "}}")


class PreparedSelect:
    """`build()` gives the Piccolo select with its columns and no conditions; `order(query)` adds its order_by."""

    def __init__(self, build: Callable[[], Any], order: Callable[[Any], Any]) -> None:
        self._build = build
        self._order = order
        self._compiled: dict[str, tuple[str, str]] = {}

    def _parts(self, engine_type: str) -> tuple[str, str]:
        # Compiled per language too: a select may name things in the reader's language (core.i18n.in_reading_language).
        key = f"{engine_type} {current_language.get()}"
        found = self._compiled.get(key)
        if found is None:
            head, head_args = self._build().querystrings[0].compile_string(engine_type=engine_type)
            full, full_args = self._order(self._build()).querystrings[0].compile_string(engine_type=engine_type)
            if head_args or full_args or not full.startswith(head):
                raise ValueError("a prepared select takes no arguments in its columns or order")
            found = self._compiled[key] = (_escaped(head), _escaped(full[len(head) :]))
        return found

    async def rows(self, *conditions: Any, limit: int | None = None, offset: int | None = None) -> list[dict[str, Any]]:
        """The rows meeting every condition given (None is skipped), in order, within the window."""
        db = engine()
        head, order = self._parts(db.engine_type)
        template: list[str] = [head]
        args: list[Any] = []
        present = [condition for condition in conditions if condition is not None]
        if present:
            template.append(" WHERE " + " AND ".join("({})" for _ in present))
            args.extend(condition.querystring for condition in present)
        template.append(order)
        if limit is not None:
            template.append(" LIMIT {}")
            args.append(limit)
        if offset:
            template.append(" OFFSET {}")
            args.append(offset)
        found = await db.run_querystring(QueryString("".join(template), *args))
        return db.transform_response_to_dicts(found) if found else []
