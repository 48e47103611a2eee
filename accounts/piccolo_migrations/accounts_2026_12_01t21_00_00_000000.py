"""Hand-written: foreign keys that restrict deletion. SQLite cannot alter a constraint, so core.schema_change rebuilds
the tables there and alters them in place on PostgreSQL. """

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.schema_change import Reference, change_foreign_keys

ID = "2026-12-01T21:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a user's organisations, and what refers to a user, restrict deletion"
REFERENCES = [
    Reference("app_user", "delivery_vehicle", "delivery_vehicle"),
    Reference("app_user", "health_board", "health_board"),
    Reference("user_pcpg", "user", "app_user"),
    Reference("user_pcpg", "pcpg", "pcpg"),
    Reference("web_session", "user", "app_user"),
    Reference("api_token", "user", "app_user"),
]
DROP_COLUMNS: dict[str, list[str]] = {}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="accounts", description=DESCRIPTION, wrap_in_transaction=False
    )

    async def run():
        await change_foreign_keys(REFERENCES, drop_columns=DROP_COLUMNS)

    manager.add_raw(run)
    return manager
