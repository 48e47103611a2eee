"""The suite in two processes (pytest-xdist, `-n 2` in scripts/test): each worker needs a database of its own.

On SQLite each worker already makes its own temporary file (tests/conftest.py). On PostgreSQL each worker takes
DATABASE_URL's database name with its worker id appended (cdv_ci_1_gw0, cdv_ci_1_gw1), made empty at the start and
dropped when the worker's session ends; tests/conftest.py migrates it as it would the one named.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit, urlunsplit

import asyncpg


def _named(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def worker_database(url: str, worker: str) -> str:
    """A fresh database for this worker beside the one DATABASE_URL names; its URL."""
    name = f"{urlsplit(url).path.lstrip('/')}_{worker}"

    async def make() -> None:
        connection = await asyncpg.connect(_named(url, "postgres"))
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(make())
    return _named(url, name)


def drop_worker_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")

    async def drop() -> None:
        connection = await asyncpg.connect(_named(url, "postgres"))
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(drop())
