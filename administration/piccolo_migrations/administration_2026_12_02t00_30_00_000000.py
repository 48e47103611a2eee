"""Hand-written: the training clock's offset to the microsecond, so a clock set to a deadline reads the deadline
(whole seconds left it up to a second before the time asked for). Plain SQL on both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T00:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "clock offset in microseconds"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="administration", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        await engine.run_ddl("ALTER TABLE clock_setting ADD COLUMN offset_microseconds BIGINT NOT NULL DEFAULT 0")
        await engine.run_ddl("UPDATE clock_setting SET offset_microseconds = offset_seconds * 1000000")

    async def run_backwards():
        await engine_finder().run_ddl("ALTER TABLE clock_setting DROP COLUMN offset_microseconds")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
