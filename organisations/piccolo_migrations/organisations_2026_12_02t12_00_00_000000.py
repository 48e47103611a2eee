"""A cluster's population keeps the date its source gives for the figure and the source's address (issue 12, item
2), so that a later, newer figure can be told from an older one. Both empty for existing rows until
`cdv load-reference` fills them in."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a cluster's population keeps its source's date and address"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="organisations", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Cluster",
        tablename="cluster",
        column_name="population_as_of",
        db_column_name="population_as_of",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 10,
            "default": None,
            "null": True,
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
        table_class_name="Cluster",
        tablename="cluster",
        column_name="population_source_url",
        db_column_name="population_source_url",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 300,
            "default": None,
            "null": True,
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
