"""What a load balancer asks before sending a server requests: can it reach its database, is the schema the code
expects there, and how much email is waiting to go."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import msgspec
from piccolo.querystring import QueryString

from core.db import engine
from notifications.queries import outbox_report
from notifications.rules import OutboxStatus

DATABASE_TIMEOUT_SECONDS = 3.0
APPLIED_TTL_SECONDS = 10.0  # the migration table changes only when someone runs `cdv migrate`
_ID = re.compile(r'^ID\s*(?::\s*str\s*)?=\s*"([^"]+)"', re.MULTILINE)
_known: frozenset[tuple[str, str]] | None = None
_applied: tuple[float, frozenset[tuple[str, str]]] | None = None


class Check(msgspec.Struct, omit_defaults=True):
    ok: bool
    problem: str | None = None


class MigrationsCheck(Check, omit_defaults=True):
    pending: list[str] = []


class OutboxCheck(Check, omit_defaults=True):
    """Email not yet sent, as `cdv notify` counts it: waiting (not yet tried), failing (retried with back-off), held
    (given up on until an operator retries)."""

    waiting: int | None = None
    failing: int | None = None
    held: int | None = None


class Health(msgspec.Struct):
    """`healthy` is false when the database cannot be reached or its migrations are behind the code (503); a
    backlog of email is reported, not failed on: requests are still answered well."""

    healthy: bool
    database: Check
    migrations: MigrationsCheck
    outbox: OutboxCheck


def known_migrations() -> frozenset[tuple[str, str]]:
    """Each app's migrations as shipped with this code: read from the files once (they do not change while it runs),
    by their ID line, without importing them."""
    global _known
    if _known is None:
        from piccolo_conf import APP_REGISTRY

        found = set()
        for app in APP_REGISTRY.app_configs.values():
            for path in Path(app.resolved_migrations_folder_path).glob("*.py"):
                match = _ID.search(path.read_text(encoding="utf-8"))
                if match:
                    found.add((app.app_name, match.group(1)))
        _known = frozenset(found)
    return _known


async def _applied_migrations() -> frozenset[tuple[str, str]]:
    global _applied
    if _applied is not None and time.monotonic() - _applied[0] < APPLIED_TTL_SECONDS:
        return _applied[1]
    rows = await engine().run_querystring(QueryString('SELECT app_name, name FROM "migration"'))
    applied = frozenset((row["app_name"], row["name"]) for row in rows)
    _applied = (time.monotonic(), applied)
    return applied


def forget_applied_migrations() -> None:
    """After `cdv migrate` in this process (and in tests): read the migration table afresh."""
    global _applied
    _applied = None


async def _database() -> Check:
    rows = await engine().run_querystring(QueryString("SELECT 1 AS one"))
    return Check(ok=bool(rows) and int(rows[0]["one"]) == 1)


async def _migrations() -> MigrationsCheck:
    pending = sorted(f"{app} {name}" for app, name in known_migrations() - await _applied_migrations())
    if pending:
        return MigrationsCheck(ok=False, problem="migrations not applied: run cdv migrate", pending=pending)
    return MigrationsCheck(ok=True)


async def _outbox() -> OutboxCheck:
    counts = (await outbox_report(since=datetime.now(UTC))).counts
    return OutboxCheck(
        ok=True,
        waiting=counts[OutboxStatus.WAITING],
        failing=counts[OutboxStatus.FAILING],
        held=counts[OutboxStatus.HELD],
    )


async def _checked(check, failed):  # type: ignore[no-untyped-def]
    """A check's answer within the timeout, or `failed` naming why: a database that hangs is as down as one that
    refuses."""
    try:
        return await asyncio.wait_for(check(), DATABASE_TIMEOUT_SECONDS)
    except TimeoutError:
        return failed(ok=False, problem=f"no answer within {DATABASE_TIMEOUT_SECONDS:.0f} s")
    except Exception as error:  # any failure to answer is the check failing, named for the operator
        return failed(ok=False, problem=f"{type(error).__name__}: {error}"[:300])


async def health() -> Health:
    database = await _checked(_database, Check)
    if not database.ok:
        skipped = "not checked: the database cannot be reached"
        return Health(
            healthy=False,
            database=database,
            migrations=MigrationsCheck(ok=False, problem=skipped),
            outbox=OutboxCheck(ok=False, problem=skipped),
        )
    migrations = await _checked(_migrations, MigrationsCheck)
    outbox = await _checked(_outbox, OutboxCheck)
    return Health(healthy=migrations.ok, database=database, migrations=migrations, outbox=outbox)
