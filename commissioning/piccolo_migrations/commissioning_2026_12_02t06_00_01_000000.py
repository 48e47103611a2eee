"""Every existing bid gets its own random public id (core.public_ids), then the ids are made unique with an index:
the same statements on SQLite and PostgreSQL (issue 11, item 3)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

from core.public_ids import new_public_id

ID = "2026-12-02T06:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "bids' public ids back-filled and unique"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="commissioning", description=DESCRIPTION)

    async def backfill():
        engine = engine_finder()
        for row in await engine.run_querystring(QueryString("SELECT id FROM bid WHERE public_id = ''")):
            await engine.run_querystring(
                QueryString("UPDATE bid SET public_id = {} WHERE id = {}", new_public_id(), row["id"])
            )
        await engine.run_ddl("CREATE UNIQUE INDEX IF NOT EXISTS bid_public_id ON bid (public_id)")

    async def backwards():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS bid_public_id")

    manager.add_raw(backfill)
    manager.add_raw_backwards(backwards)
    return manager
