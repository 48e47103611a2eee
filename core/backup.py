"""Backups and restores of the whole database (issue 16, item 5), for `cdv backup FILE` and `cdv restore FILE`.

SQLite: the library's online backup API copies the live file in one step under a read transaction, so the copy is
one consistent moment even while the app writes (WAL lets the writers go on meanwhile). PostgreSQL: `pg_dump
--format=custom`, which reads in one snapshot, and `pg_restore` in a single transaction. A restore goes only into an
empty database: it never merges into, or overwrites, data someone may still need. The caller then checks the audit
trail's hash chain and the finance invariants (api/cli.py).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from piccolo.querystring import QueryString

from core.db import engine, is_postgres


class BackupRefused(RuntimeError):
    """Why a backup or restore was not made, in words for the operator; nothing was changed."""


def _sqlite_path() -> Path:
    return Path(engine().path)  # type: ignore[attr-defined]


def _database_url() -> str:
    return str(engine().config["dsn"])  # type: ignore[attr-defined]


def _client(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            f"{name} is not installed: install PostgreSQL's client programs of the server's major version "
            "(Debian: postgresql-client) and try again"
        )
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own arguments
    if done.returncode != 0:
        raise BackupRefused(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.returncode}")


async def backup(target: Path) -> None:
    """Blocking file and database work, run by the CLI (its own process); the web app never calls it."""
    if target.exists():  # noqa: ASYNC240
        raise BackupRefused(f"{target} already exists: name a new file, so no earlier backup is overwritten")
    if is_postgres():
        _run([_client("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", f"--dbname={_database_url()}"])
        return
    source = sqlite3.connect(_sqlite_path(), timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # pages=-1: the whole file in one step, one consistent moment
    except BaseException:
        copy.close()
        target.unlink(missing_ok=True)  # noqa: ASYNC240
        raise
    finally:
        source.close()
    copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, with no -wal beside it to lose
    copy.close()


async def _postgres_is_empty() -> bool:
    rows = await engine().run_querystring(
        QueryString("SELECT COUNT(*) AS tables FROM pg_tables WHERE schemaname = current_schema()")
    )
    return int(rows[0]["tables"]) == 0


def _sqlite_tables(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0])
    finally:
        connection.close()


def _check_sqlite_backup(source: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
            has_migrations = connection.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'migration'"
            ).fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupRefused(f"{source} is not an SQLite backup of this service: {error}") from error
    if verdict != "ok" or not has_migrations:
        raise BackupRefused(f"{source} is not a sound SQLite backup of this service ({verdict})")


async def restore(source: Path) -> None:
    if not source.is_file():  # noqa: ASYNC240 - a CLI process, as backup()
        raise BackupRefused(f"{source} is not a file")
    if is_postgres():
        if not await _postgres_is_empty():
            raise BackupRefused(
                "the database in DATABASE_URL is not empty: restore into a new, empty database (createdb), never over "
                "one in use"
            )
        _run(
            [
                _client("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={_database_url()}",
                str(source),
            ]
        )
        return
    _check_sqlite_backup(source)
    target = _sqlite_path()
    if target.exists() and _sqlite_tables(target):
        raise BackupRefused(
            f"{target} (CDV_SQLITE_PATH) is not empty: restore into a new file, never over a database in use"
        )
    backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    restored = sqlite3.connect(target, timeout=30)
    try:
        backup_file.backup(restored)
    finally:
        backup_file.close()
        restored.close()
