"""Query parameters the API's controllers share: a list's `limit` and `offset`, bounded as core.pagination checks
them (so the OpenAPI document states the bounds and a value past them is a 422 naming the parameter), the filters by
an id (bounded as ids are), and the pattern
of free text, which may not hold NUL (PostgreSQL text cannot; api/requests.py refuses it in bodies)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

from core.bounds import MAX_ID
from core.pagination import MAX_LIMIT, MAX_OFFSET

# A filter by an id is bounded as ids are (core.bounds): one past them names nothing, and the drivers would refuse it.
HealthBoardFilter = Annotated[int | None, QueryParameter(name="health_board", ge=1, le=MAX_ID)]
PcpgFilter = Annotated[int | None, QueryParameter(name="pcpg", ge=1, le=MAX_ID)]
ServiceFilter = Annotated[int | None, QueryParameter(name="service", ge=1, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)]
NO_NUL = "^[^\\x00]*$"
