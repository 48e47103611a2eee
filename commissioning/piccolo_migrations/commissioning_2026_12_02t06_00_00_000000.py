"""Each bid gets a public id, 128 random bits (core.public_ids), for addresses and answers instead of its sequential
number, which told a bidder how many bids came before theirs (issue 11, item 3).

The column is added empty (SQLite cannot add a UNIQUE column); the next migration gives every existing bid its own id
and makes the unique index (Piccolo runs a migration's raw steps before its columns, so they cannot share one).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T06:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a public id column for bids"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="commissioning", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Bid",
        tablename="bid",
        column_name="public_id",
        db_column_name="public_id",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 26,
            "default": "",
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
