from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T16:08:59:895318"
VERSION = "1.38.0"
DESCRIPTION = "a delivery return may cover two quarters (half-yearly) and be light (issue 15)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="returns", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="DeliveryReturn",
        tablename="delivery_return",
        column_name="light",
        db_column_name="light",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": False,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="DeliveryReturn",
        tablename="delivery_return",
        column_name="quarters",
        db_column_name="quarters",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 1,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
