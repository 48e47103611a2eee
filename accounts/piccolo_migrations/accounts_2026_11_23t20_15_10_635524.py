"""Hand-written: composite unique indexes break Piccolo's SQLite DDL, so they are plain SQL (works on both engines).
A commissioner acts for each PCPG once."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T20:15:10:635524"
VERSION = "1.38.0"
DESCRIPTION = "unique commissioner pcpg pairs"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl('CREATE UNIQUE INDEX IF NOT EXISTS user_pcpg_pair ON user_pcpg ("user", pcpg)')

    async def run_backwards():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS user_pcpg_pair")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
