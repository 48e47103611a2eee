"""Foreign keys changed on tables that already hold rows, on both engines: the hand-written migrations call this.

PostgreSQL alters the constraints in place. SQLite has no ALTER CONSTRAINT, so each table is rebuilt the way its
manual says (https://www.sqlite.org/lang_altertable.html#otheralter): foreign keys off, which only works outside
a transaction; then in one transaction make the new table, copy the rows, drop the old one, rename the new one,
make its indexes again and check every foreign key before committing. Piccolo opens a new connection per query,
so SQLite gets one plain `sqlite3` connection of its own here.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from piccolo.engine import engine_finder
from piccolo.querystring import QueryString


@dataclass(frozen=True)
class Reference:
    """`table.column` refers to `references.id`; `renamed_from` names the integer column it replaces; `nullable`
    lets it be empty from now on (its NOT NULL is dropped)."""

    table: str
    column: str
    references: str
    on_delete: str = "RESTRICT"
    renamed_from: str | None = None
    nullable: bool = False

    @property
    def clause(self) -> str:
        return f'REFERENCES "{self.references}" ("id") ON DELETE {self.on_delete} ON UPDATE CASCADE'


async def change_foreign_keys(references: Sequence[Reference], *, drop_columns: Mapping[str, Sequence[str]]) -> None:
    engine = engine_finder()
    assert engine is not None
    if engine.engine_type == "sqlite":
        await asyncio.to_thread(_rebuild_sqlite_tables, engine.path, references, drop_columns)  # type: ignore[attr-defined]
    else:
        async with engine.transaction():
            await _alter_postgres(engine, references, drop_columns)


async def _alter_postgres(engine, references: Sequence[Reference], drop_columns: Mapping[str, Sequence[str]]) -> None:  # type: ignore[no-untyped-def]
    for table, columns in drop_columns.items():
        for column in columns:
            await engine.run_ddl(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    for ref in references:
        if ref.renamed_from:
            await engine.run_ddl(f'ALTER TABLE "{ref.table}" RENAME COLUMN "{ref.renamed_from}" TO "{ref.column}"')
            await engine.run_ddl(f'ALTER TABLE "{ref.table}" ALTER COLUMN "{ref.column}" DROP DEFAULT')
        if ref.nullable:
            await engine.run_ddl(f'ALTER TABLE "{ref.table}" ALTER COLUMN "{ref.column}" DROP NOT NULL')
        existing = await engine.run_querystring(
            QueryString(
                "SELECT con.conname FROM pg_constraint con"
                " JOIN pg_class rel ON rel.oid = con.conrelid"
                " JOIN pg_namespace ns ON ns.oid = rel.relnamespace AND ns.nspname = current_schema()"
                " JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY(con.conkey)"
                " WHERE con.contype = 'f' AND rel.relname = {} AND att.attname = {}",
                ref.table,
                ref.column,
            )
        )
        for row in existing:
            await engine.run_ddl(f'ALTER TABLE "{ref.table}" DROP CONSTRAINT "{row["conname"]}"')
        await engine.run_ddl(
            f'ALTER TABLE "{ref.table}" ADD CONSTRAINT "{ref.table}_{ref.column}_fkey"'
            f' FOREIGN KEY ("{ref.column}") {ref.clause}'
        )


def _split_columns(body: str) -> list[str]:
    """The comma-separated parts of a CREATE TABLE's column list, ignoring commas in quotes and brackets."""
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    return parts


def _column_name(definition: str) -> str:
    match = re.match(r'"([^"]+)"|(\S+)', definition)
    assert match is not None
    return match.group(1) or match.group(2)


_OLD_REFERENCE = re.compile(
    r'\s+REFERENCES\s+"?\w+"?\s*\("?\w+"?\)(\s+ON\s+(DELETE|UPDATE)\s+(SET\s+NULL|SET\s+DEFAULT|NO\s+ACTION|\w+))*',
    re.I,
)


def _new_definition(definition: str, ref: Reference) -> str:
    rest = definition[len(re.match(r'"[^"]+"|\S+', definition).group(0)) :]  # type: ignore[union-attr]
    rest = _OLD_REFERENCE.sub("", rest)
    if ref.renamed_from:
        rest = re.sub(r"\s+DEFAULT\s+\S+", "", rest, flags=re.I)
    if ref.nullable:
        rest = re.sub(r"\s+NOT\s+NULL", "", rest, flags=re.I)
    return f'"{ref.column}"{rest} {ref.clause}'


def _rebuild_sqlite_tables(
    path: str, references: Sequence[Reference], drop_columns: Mapping[str, Sequence[str]]
) -> None:
    tables = list(dict.fromkeys([ref.table for ref in references] + list(drop_columns)))
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("BEGIN IMMEDIATE")
        try:
            for table in tables:
                _rebuild(connection, table, [r for r in references if r.table == table], drop_columns.get(table, ()))
            problems = connection.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"rows refer to missing rows (table, rowid, parent, key): {problems[:10]}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.close()


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _rebuild(connection: sqlite3.Connection, table: str, refs: list[Reference], drop: Sequence[str]) -> None:
    row = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    if row is None:
        raise RuntimeError(f"no table {table}")
    create: str = row[0]
    indexes = [
        sql
        for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
        )
    ]
    body = create[create.index("(") + 1 : create.rindex(")")]
    by_old_name = {ref.renamed_from or ref.column: ref for ref in refs}
    definitions, old_names, new_names = [], [], []
    for definition in _split_columns(body):
        name = _column_name(definition)
        if name in drop:
            continue
        ref = by_old_name.pop(name, None)
        definitions.append(_new_definition(definition, ref) if ref else definition)
        old_names.append(name)
        new_names.append(ref.column if ref else name)
    missing = set(by_old_name) | (set(drop) - set(_column_name(d) for d in _split_columns(body)))
    if missing:
        raise RuntimeError(f"{table} has no column(s) {sorted(missing)}")
    new_table = f"{table}__rebuilt"
    connection.execute(f'CREATE TABLE "{new_table}" ({", ".join(definitions)})')
    connection.execute(f'INSERT INTO "{new_table}" ({_quoted(new_names)}) SELECT {_quoted(old_names)} FROM "{table}"')
    connection.execute(f'DROP TABLE "{table}"')
    connection.execute(f'ALTER TABLE "{new_table}" RENAME TO "{table}"')
    renames = {ref.renamed_from: ref.column for ref in refs if ref.renamed_from}
    for sql in indexes:
        head, columns = sql.split("(", 1)
        for old, new in renames.items():
            columns = re.sub(rf'(?<![\w"]){old}(?![\w"])|"{old}"', f'"{new}"', columns)
        connection.execute(f"{head}({columns}")
