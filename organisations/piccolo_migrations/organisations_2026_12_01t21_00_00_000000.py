"""Hand-written: foreign keys that restrict deletion. SQLite cannot alter a constraint, so core.schema_change rebuilds
the tables there and alters them in place on PostgreSQL. """

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.schema_change import Reference, change_foreign_keys

ID = "2026-12-01T21:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "organisations refer to one another: deleting one that others point at is refused"
REFERENCES = [
    Reference("regional_partnership_board", "health_board", "health_board"),
    Reference("pcpg", "health_board", "health_board"),
    Reference("local_authority", "health_board", "health_board"),
    Reference("local_authority", "regional_partnership_board", "regional_partnership_board"),
    Reference("local_authority", "pcpg", "pcpg"),
    Reference("cluster", "local_authority", "local_authority"),
    Reference("cluster", "pcpg", "pcpg"),
    Reference("cluster", "health_board", "health_board"),
    Reference("delivery_vehicle_cluster", "delivery_vehicle", "delivery_vehicle"),
    Reference("delivery_vehicle_cluster", "cluster", "cluster"),
]
DROP_COLUMNS: dict[str, list[str]] = {}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="organisations", description=DESCRIPTION, wrap_in_transaction=False
    )

    async def run():
        await change_foreign_keys(REFERENCES, drop_columns=DROP_COLUMNS)

    manager.add_raw(run)
    return manager
