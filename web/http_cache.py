"""ETags on cached API reads: the body and its tag are made once per cache entry; `If-None-Match` gets a 304."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from litestar import Request, Response
from litestar.enums import MediaType

from core.cache import Entry

T = TypeVar("T")


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


def etag_response(request: Request[Any, Any, Any], entry: Entry[T]) -> Response[T]:
    """`no-cache`: a client may keep the body but asks again each time, so a change is seen at once."""
    headers = {"etag": entry.etag, "cache-control": "no-cache"}
    if _matches(request.headers.get("if-none-match"), entry.etag):
        return Response(content=cast(Any, b""), status_code=304, headers=headers)
    return Response(content=cast(Any, entry.body), media_type=MediaType.JSON, headers=headers)
