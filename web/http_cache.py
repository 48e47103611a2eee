"""ETags on cached API reads: the body and its tag are made once per cache entry; `If-None-Match` gets a 304.

`etag_response` is for answers that depend only on the URL (reference data, the menu: public, the same for every
caller). Such an answer is also kept as sent, per path and raw query string (`ANSWERS`), and the request
middleware sends it again while its cache entry is fresh (core/cache.py: nothing it was read from written since,
within its ttl), without routing, parsing parameters or calling the handler: for the cached reference lists
those were most of the time left per request (bench/README.md, 2026-12-02). A stale entry, a request the answer
was not kept for, or an `If-None-Match` no 304 was kept for takes the ordinary path, which keeps the new answer.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.types import Message, Scope

from core.cache import Entry

T = TypeVar("T")

ANSWER_STATE_KEY = "cdv_cached_answer"


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
    if not request.route_handler.resolve_guards():  # never replay past a guard
        request.scope["state"][ANSWER_STATE_KEY] = entry
    headers = {"etag": entry.etag, "cache-control": "no-cache"}
    if _matches(request.headers.get("if-none-match"), entry.etag):
        return Response(content=cast(Any, b""), status_code=304, headers=headers)
    return Response(content=cast(Any, entry.body), media_type=MediaType.JSON, headers=headers)


class _Answer:
    __slots__ = ("entry", "not_modified", "ok")

    def __init__(self, entry: Entry[Any]) -> None:
        self.entry = entry
        self.ok: list[Message] | None = None  # the 200 as the app sent it, before the middleware's headers
        self.not_modified: list[Message] | None = None  # the 304, likewise


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope["headers"]:
        if name == wanted:
            return value.decode("latin-1")
    return None


def _copy(messages: list[Message]) -> list[Message]:
    """Each message and its header list copied: the middleware adds headers to the ones it sends."""
    copied: list[Any] = []
    for message in messages:
        fresh: dict[str, Any] = dict(message)
        if "headers" in fresh:
            fresh["headers"] = list(fresh["headers"])
        copied.append(fresh)
    return copied


class Answers:
    """The answers of `etag_response` routes by (path, raw query string), bounded (the oldest goes first)."""

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self.answers: dict[tuple[str, bytes], _Answer] = {}

    def replay(self, scope: Scope) -> list[Message] | None:
        """The messages to send for this GET, or None to take the ordinary path."""
        if scope.get("method") != "GET":
            return None
        found = self.answers.get((scope["path"], scope.get("query_string", b"")))
        if found is None or not found.entry.is_fresh():
            return None
        if_none_match = _header(scope, b"if-none-match")
        messages = found.not_modified if _matches(if_none_match, found.entry.etag) else found.ok
        return _copy(messages) if messages is not None else None

    def recorder(self, scope: Scope) -> Any:
        """A function given each message the app sends for this request; it keeps an etag_response answer."""
        if scope.get("method") != "GET":
            return None
        sent: list[Message] = []

        def record(message: Message) -> None:
            sent.append(_copy([message])[0])  # before the middleware adds its headers to it
            if message["type"] != "http.response.body" or message.get("more_body", False):
                return
            entry = scope.get("state", {}).get(ANSWER_STATE_KEY)
            status = sent[0].get("status") if sent[0]["type"] == "http.response.start" else None
            if entry is None or status not in (200, 304) or not entry.is_fresh():
                return
            key = (scope["path"], scope.get("query_string", b""))
            answer = self.answers.get(key)
            if answer is None or answer.entry is not entry:
                answer = _Answer(entry)
                self.answers.pop(key, None)
                while len(self.answers) >= self.max_entries:
                    del self.answers[next(iter(self.answers))]
                self.answers[key] = answer
            if status == 200:
                answer.ok = _copy(sent)
            else:
                answer.not_modified = _copy(sent)

        return record

    def clear(self) -> None:
        self.answers.clear()


ANSWERS = Answers()
