"""core.schema_change rebuilds an SQLite table with a column's NOT NULL dropped (a contract's specification and award,
empty for one made before this service), keeping its rows and its foreign key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.schema_change import Reference, _rebuild_sqlite_tables


def test_a_nullable_reference_drops_not_null_and_keeps_the_rows(tmp_path: Path):
    path = str(tmp_path / "db.sqlite3")
    db = sqlite3.connect(path)
    db.executescript(
        'CREATE TABLE "spec" ("id" INTEGER PRIMARY KEY);'
        'CREATE TABLE "contract" ("id" INTEGER PRIMARY KEY, "spec" INTEGER NOT NULL REFERENCES "spec" ("id"), '
        '"title" VARCHAR(20) NOT NULL);'
        'INSERT INTO "spec" VALUES (1); INSERT INTO "contract" VALUES (7, 1, \'A\');'
    )
    db.commit()
    db.close()
    _rebuild_sqlite_tables(path, [Reference("contract", "spec", "spec", nullable=True)], {})
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute('INSERT INTO "contract" ("id", "spec", "title") VALUES (8, NULL, \'B\')')
    assert db.execute('SELECT "id", "spec", "title" FROM "contract" ORDER BY "id"').fetchall() == [
        (7, 1, "A"),
        (8, None, "B"),
    ]
    columns = {row[1]: row[3] for row in db.execute('PRAGMA table_info("contract")')}
    assert columns == {"id": 0, "spec": 0, "title": 1}, "only the named column may be empty now"
    with pytest.raises(sqlite3.IntegrityError):  # the foreign key still holds
        db.execute('INSERT INTO "contract" ("id", "spec", "title") VALUES (9, 99, \'C\')')
