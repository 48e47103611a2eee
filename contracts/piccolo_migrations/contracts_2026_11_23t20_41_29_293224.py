"""Hand-written: composite unique indexes break Piccolo's SQLite DDL, so they are plain SQL (works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T20:41:29:293224"
VERSION = "1.38.0"
DESCRIPTION = "one value per contract year"
INDEXES = [
    ("contract_year_once", "contract_year", "contract, financial_year"),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="contracts", description=DESCRIPTION)

    async def run():
        for name, table, columns in INDEXES:
            await engine_finder().run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({columns})")

    async def run_backwards():
        for name, _, _ in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
