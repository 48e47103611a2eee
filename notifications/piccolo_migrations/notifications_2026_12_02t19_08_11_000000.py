"""Hand-written: notices that were waiting to be emailed before the outbox had its own columns (not yet emailed, their
user has an address) are due at once, as they were before."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T19:08:11:000000"
VERSION = "1.38.0"
DESCRIPTION = "notices already waiting are due"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def waiting_are_due():
        await engine_finder().run_ddl(  # type: ignore[union-attr]
            'UPDATE "notification" SET "next_attempt_at" = "created_at" WHERE "emailed_at" IS NULL'
            ' AND "user" IN (SELECT "id" FROM "app_user" WHERE "email" <> \'\')'
        )

    manager.add_raw(waiting_are_due)
    return manager
