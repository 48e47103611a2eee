"""In-process caches for reads that rarely change (who a token belongs to, the clock, reference data, the menu).

An entry is dropped as soon as this process writes one of the tables it was read from (core/engines.py
notes every write, by table, and again when its transaction ends), and after `ttl` seconds in any case,
which is how a change made by another process (another worker, `cdv load-reference`) is seen.
Inside a transaction the cache is bypassed: a transaction must see its own writes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, ParamSpec, TypeVar

import msgspec

from core.db import in_transaction
from core.engines import version_of
from core.i18n import current_language

P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_TTL_SECONDS = 1.0
EVERY_CACHED_READ: list[CachedRead[Any, Any]] = []  # so a test can pin their lifetimes or empty them all


class Entry(Generic[T]):
    """A cached value; its JSON body and ETag are made once, when first asked for. Treat the value as read-only."""

    __slots__ = ("_body", "_etag", "generation", "source", "stored_at", "value", "version")

    def __init__(
        self, value: T, version: tuple[int, ...] | None, stored_at: float, source: CachedRead[Any, T] | None = None
    ) -> None:
        self.value = value
        self.version = version
        self.stored_at = stored_at
        self.source = source  # None for a value read inside a transaction, which is never kept
        self.generation = source.generation if source is not None else 0
        self._body: bytes | None = None
        self._etag: str | None = None

    def is_fresh(self) -> bool:
        """Whether the read would still give this value: the same test CachedRead.entry makes before reusing it."""
        source = self.source
        return (
            source is not None
            and self.generation == source.generation
            and not in_transaction()
            and self.version == version_of(source.tables)
            and time.monotonic() - self.stored_at < source.ttl
        )

    @property
    def body(self) -> bytes:
        if self._body is None:
            self._body = msgspec.json.encode(self.value)
        return self._body

    @property
    def etag(self) -> str:
        if self._etag is None:
            self._etag = '"' + hashlib.blake2b(self.body, digest_size=12).hexdigest() + '"'
        return self._etag


class CachedRead(Generic[P, T]):
    """An async read function whose results are kept per argument list (bounded; the oldest entry goes first)."""

    def __init__(self, read: Callable[P, Awaitable[T]], tables: tuple[str, ...], ttl: float, max_entries: int) -> None:
        self.read = read
        self.tables = tables
        self.ttl = ttl
        self.max_entries = max_entries
        self.entries: dict[Any, Entry[T]] = {}
        self.generation = 0  # bumped by clear(): an entry still held elsewhere is no longer fresh
        self.__doc__ = read.__doc__
        self.__name__ = getattr(read, "__name__", "cached_read")

    def key_of(self, *args: Any, **kwargs: Any) -> Any:
        """The reader's language is part of the key: a read may decide names in it (core.i18n.in_reading_language)."""
        return (current_language.get(), args, tuple(sorted(kwargs.items())))

    async def entry(self, *args: P.args, **kwargs: P.kwargs) -> Entry[T]:
        if in_transaction():
            return Entry(await self.read(*args, **kwargs), None, 0.0)
        key = self.key_of(*args, **kwargs)
        now = time.monotonic()
        version = version_of(self.tables)  # taken before reading: a write during the read makes the entry stale
        found = self.entries.get(key)
        if found is not None and found.version == version and now - found.stored_at < self.ttl:
            return found
        fresh = Entry(await self.read(*args, **kwargs), version, now, self)
        self.entries.pop(key, None)
        while len(self.entries) >= self.max_entries:
            del self.entries[next(iter(self.entries))]
        self.entries[key] = fresh
        return fresh

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        return (await self.entry(*args, **kwargs)).value

    def clear(self) -> None:
        self.generation += 1
        self.entries.clear()


def cached_read(
    *tables: str, ttl: float = DEFAULT_TTL_SECONDS, max_entries: int = 256
) -> Callable[[Callable[P, Awaitable[T]]], CachedRead[P, T]]:
    """Cache an async read that depends only on its arguments, the reader's language and these tables (by name)."""

    def wrap(read: Callable[P, Awaitable[T]]) -> CachedRead[P, T]:
        cached = CachedRead(read, tuple(tables), ttl, max_entries)
        EVERY_CACHED_READ.append(cached)
        return cached

    return wrap
