"""List answers: `{"items": [...], "total": N, "limit": L, "offset": O}` (issue 2, API lists)."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

from core.errors import RuleBroken

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def check_window(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise RuleBroken("limit must be between 1 and %(max)s", field="limit", max=MAX_LIMIT)
    if not 0 <= offset <= MAX_OFFSET:
        raise RuleBroken("offset must be between 0 and %(max)s", field="offset", max=MAX_OFFSET)
