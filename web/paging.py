"""The `limit` and `offset` query parameters of every API list, bounded as core.pagination checks them, so the
OpenAPI document states the bounds and a value past them is a 400 naming the parameter."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

from core.pagination import MAX_LIMIT, MAX_OFFSET

Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)]
