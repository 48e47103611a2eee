"""The ladder: requests per second for a few routes, against the floors they could reach (run by hand).

For each route, on the database that DATABASE_URL / CDV_SQLITE_PATH name (a demo made by `cdv demo`):
  (a) a bare Litestar app answering the same bytes the app answered (no middleware, no database);
  (b) a bare Litestar app running the same SQL statements the app ran for that request (captured with
      the caches cold, arguments included) by hand on one persistent connection, rows encoded with msgspec;
  (d) the app itself, with its caches warm.
All three are driven by the same in-process ASGI client (no sockets, no HTTP parsing: that cost would be the
same for all three), CONCURRENCY requests at a time for BENCH_SECONDS, interleaved for BENCH_ROUNDS rounds,
best of each kept. Prints rps and the ratios d/a and d/b.

    CDV_SQLITE_PATH=bench/var/demo.sqlite3 python bench/ladder.py --label "SQLite demo"
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("CDV_ENV", "demo")
os.environ.setdefault("CDV_HOST", "127.0.0.1")  # in-process, no socket: nobody else can reach it
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import msgspec
from litestar import Litestar, Response, get

SECONDS = float(os.environ.get("BENCH_SECONDS", "1"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = 4

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


async def call(app: ASGIApp, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes, dict[bytes, bytes]]:
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("bench", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body, dict(start.get("headers", []))


async def rate(app: ASGIApp, path: str, headers: list[tuple[bytes, bytes]]) -> float:
    """Completed requests per second, CONCURRENCY at a time, after a short warm-up."""
    done = 0
    stop = 0.0

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < stop:
            status, _, _ = await call(app, path, headers)
            assert status == 200, (path, status)
            done += 1

    stop = time.perf_counter() + 0.3
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    done = 0
    began = time.perf_counter()
    stop = began + SECONDS
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return done / (time.perf_counter() - began)


def bare_app(body: bytes, content_type: str) -> Litestar:
    @get("/{path:path}", media_type=content_type)
    async def answer(path: str) -> Response[bytes]:
        return Response(content=body, media_type=content_type)

    return Litestar(route_handlers=[answer], debug=False)


class HandSQL:
    """One persistent connection: sqlite3 on one thread, or one asyncpg connection."""

    def __init__(self) -> None:
        from core.db import engine, is_postgres

        self.postgres = is_postgres()
        self.engine = engine()
        self.lock = asyncio.Lock()
        self.connection: Any = None
        self.executor = ThreadPoolExecutor(max_workers=1)

    async def open(self) -> None:
        if self.postgres:
            import asyncpg

            self.connection = await asyncpg.connect(self.engine.config["dsn"])  # type: ignore[attr-defined]
        else:

            def connect() -> sqlite3.Connection:
                from piccolo.engine.sqlite import dict_factory

                connection = sqlite3.connect(**self.engine.connection_kwargs)  # type: ignore[attr-defined]
                connection.row_factory = dict_factory
                return connection

            self.connection = await asyncio.get_running_loop().run_in_executor(self.executor, connect)

    async def close(self) -> None:
        if self.postgres:
            await self.connection.close()
        else:
            await asyncio.get_running_loop().run_in_executor(self.executor, self.connection.close)
        self.executor.shutdown()

    async def run(self, statements: list[tuple[str, list[Any]]]) -> list[list[dict[str, Any]]]:
        if self.postgres:
            async with self.lock:
                return [[dict(row) for row in await self.connection.fetch(sql, *args)] for sql, args in statements]

        def run_all() -> list[list[dict[str, Any]]]:
            return [self.connection.execute(sql, args).fetchall() for sql, args in statements]

        return await asyncio.get_running_loop().run_in_executor(self.executor, run_all)

    def app(self, statements: list[tuple[str, list[Any]]]) -> Litestar:
        encoder = msgspec.json.Encoder(enc_hook=str)

        @get("/{path:path}")
        async def answer(path: str) -> Response[bytes]:
            return Response(content=encoder.encode(await self.run(statements)), media_type="application/json")

        return Litestar(route_handlers=[answer], debug=False)


def capture(engine: Any) -> tuple[list[tuple[str, list[Any]]], Callable[[], None]]:
    """Record every statement (SQL and arguments) the engine is asked to run, until undone."""
    statements: list[tuple[str, list[Any]]] = []
    run_querystring, run_ddl = engine.run_querystring, engine.run_ddl

    async def recording_querystring(querystring: Any, in_pool: bool = True) -> Any:
        sql, args = querystring.compile_string(engine_type=engine.engine_type)
        statements.append((sql, list(args)))
        return await run_querystring(querystring, in_pool=in_pool)

    async def recording_ddl(ddl: str, in_pool: bool = True) -> Any:
        statements.append((ddl, []))
        return await run_ddl(ddl, in_pool=in_pool)

    engine.run_querystring, engine.run_ddl = recording_querystring, recording_ddl

    def undo() -> None:
        del engine.run_querystring, engine.run_ddl

    return statements, undo


async def sign_in(username: str) -> tuple[str, str]:
    """A session and a token for a demo user, stored as sign-in stores them (no password hashing in the bench)."""
    from accounts.services.sign_in import token_digest
    from accounts.tables import ApiToken, User, WebSession

    user = await User.select(User.id).where(User.username == username).first()
    assert user is not None, f"no demo user {username}: run `cdv demo --reset`"
    session, token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    await WebSession(
        key_hash=token_digest(session), user=user["id"], created_at=now, expires_at=now + timedelta(hours=2)
    ).save()
    await ApiToken(
        token_hash=token_digest(token), user=user["id"], created_at=now, expires_at=now + timedelta(hours=2)
    ).save()
    return session, token


async def ladder(label: str) -> None:
    from api.app import create_app
    from commissioning.tables import Specification
    from core import engines
    from core.db import engine
    from finance.tables import BudgetLine

    app = create_app()
    async with app.lifespan():
        session, token = await sign_in("commissioner")
        spec = await Specification.select(Specification.id).where(Specification.status == "published").first()
        assert spec is not None, "the demo has a published specification"
        bearer = [(b"authorization", f"Bearer {token}".encode())]
        cookie = [(b"cookie", f"cdv_session={session}".encode())]
        routes = [
            ("cluster list", "/api/v1/clusters", bearer, True),
            ("health boards", "/api/v1/health-boards", bearer, True),
            ("specification list", "/api/v1/specifications", bearer, False),
            ("budget lines", "/api/v1/budget-lines", bearer, False),
            ("/opportunities", "/opportunities", [], False),
            ("specification page", f"/specifications/{spec['id']}", cookie, False),
            ("dashboard", "/dashboard", cookie, False),
        ]
        print(
            f"\n{label}: {await Specification.count()} specifications, {await BudgetLine.count()} budget lines; "
            f"{CONCURRENCY} at a time, best of {ROUNDS} x {SECONDS:g} s"
        )
        print(f"{'route':<20} {'SQL':>4} {'(a) bare':>9} {'(b) hand':>9} {'(d) app':>8} {'d/a':>6} {'d/b':>6}")
        hand = HandSQL()
        await hand.open()
        try:
            for name, path, headers, cached in routes:
                engines._bump(None)  # caches cold: capture every statement the route needs
                statements, undo = capture(engine())
                try:
                    status, body, response_headers = await call(app, path, headers)
                finally:
                    undo()
                assert status == 200, (path, status, body[:300])
                content_type = response_headers.get(b"content-type", b"application/json").decode()
                bare, by_hand = bare_app(body, content_type), hand.app(statements)
                a = b = d = 0.0
                for _ in range(ROUNDS):  # interleaved, best of each: a busy machine slows all three alike
                    a = max(a, await rate(bare, path, []))
                    b = max(b, await rate(by_hand, path, []))
                    d = max(d, await rate(app, path, headers))
                note = "  (cached reference list: goal d/a >= 0.5)" if cached else ""
                print(
                    f"{name:<20} {len(statements):>4} {a:>9.0f} {b:>9.0f} {d:>8.0f} {d / a:>6.2f} {d / b:>6.2f}{note}"
                )
        finally:
            await hand.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default=(os.environ.get("DATABASE_URL") and "PostgreSQL") or "SQLite")
    args = parser.parse_args()
    asyncio.run(ladder(args.label))


if __name__ == "__main__":
    main()
