"""Hand-written: a contract made before this service has no specification and no award, so both become nullable.
SQLite cannot drop a NOT NULL, so core.schema_change rebuilds the table there and alters it in place on PostgreSQL."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.schema_change import Reference, change_foreign_keys

ID = "2026-12-02T12:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a contract's specification and award may be empty (a contract made before this service)"
REFERENCES = [
    Reference("contract", "specification", "specification", nullable=True),
    Reference("contract", "award", "award", nullable=True),
]


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="contracts", description=DESCRIPTION, wrap_in_transaction=False
    )

    async def run():
        await change_foreign_keys(REFERENCES, drop_columns={})

    manager.add_raw(run)
    return manager
