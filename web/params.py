"""Query parameters the API's controllers share: a list's `limit` and `offset`, bounded as core.pagination checks
them (so the OpenAPI document states the bounds and a value past them is a 400 naming the parameter), and the pattern
of free text, which may not hold NUL (PostgreSQL text cannot; api/requests.py refuses it in bodies)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

from core.pagination import MAX_LIMIT, MAX_OFFSET

Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)]
NO_NUL = "^[^\\x00]*$"
