"""Snapshot only: records the foreign-key changes for Piccolo's auto migrations, so the next `--auto` diffs
against the tables as they now are. It is faked (recorded as run, nothing executed): the DDL is in
notifications_2026_12_01t21_00_00_000000.py, hand-written because Piccolo cannot alter constraints on SQLite."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.column_types import ForeignKey



ID = "2026-12-01T20:55:50:875522"
VERSION = "1.38.0"
DESCRIPTION = "foreign keys restrict deletion (snapshot; DDL in the hand-written migration)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="notifications", description=DESCRIPTION, fake=True
    )

    manager.alter_column(
        table_class_name="Notification",
        tablename="notification",
        column_name="user",
        db_column_name="user",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager
