"""Text no handler should see: a NUL character, which PostgreSQL text cannot store (SQLite can, so without this the
two databases would answer differently, PostgreSQL with a misleading 404). A JSON body holding it anywhere is refused
as unreadable (400) naming where, before any handler runs; api/openapi.py says so on every free text of a body. (The
API's free-text query parameters carry that pattern (web/params.py) or a list; tests/api/test_openapi.py holds it.)"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ValidationException

NUL = "\x00"
MESSAGE = "Text cannot contain the NUL character"


def nul_at(value: Any, path: str = "") -> str | None:
    """Where the first text holding NUL is in decoded JSON (`kpis[1].name`; `""` for the whole body), or None."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return inner
            if (found := nul_at(item, inner)) is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := nul_at(item, f"{path}[{index}]")) is not None:
                return found
    return None


def refuse(field: str, source: str) -> ValidationException:
    field = field.replace(NUL, "")
    return ValidationException(MESSAGE, extra=[{"message": MESSAGE, "key": field or "data", "source": source}])


class CdvRequest(Request[Any, Any, Any]):
    """The app's request: a JSON body holding NUL anywhere is refused naming the field (api/errors.py answers 400)."""

    async def json(self) -> Any:
        value = await super().json()
        found = nul_at(value)
        if found is not None:
            raise refuse(found, "body")
        return value
