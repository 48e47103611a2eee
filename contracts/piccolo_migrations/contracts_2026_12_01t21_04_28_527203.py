"""Snapshot only, like contracts_2026_12_01t20_55_46_338263.py: the type change of the renamed columns, which
Piccolo records in a migration after the rename. Faked; the DDL is in contracts_2026_12_01t21_00_00_000000.py."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Award(Table, tablename="award", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


class Specification(Table, tablename="specification", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-12-01T21:04:28:527203"
VERSION = "1.38.0"
DESCRIPTION = "renamed keys become foreign keys (snapshot; DDL in the hand-written migration)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="contracts", description=DESCRIPTION, fake=True
    )

    manager.alter_column(
        table_class_name="Contract",
        tablename="contract",
        column_name="specification",
        db_column_name="specification",
        params={
            "references": Specification,
            "on_delete": OnDelete.restrict,
            "on_update": OnUpdate.cascade,
            "target_column": None,
        },
        old_params={
            "references": None,
            "on_delete": None,
            "on_update": None,
            "target_column": None,
        },
        column_class=ForeignKey,
        old_column_class=Integer,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Contract",
        tablename="contract",
        column_name="award",
        db_column_name="award",
        params={
            "references": Award,
            "on_delete": OnDelete.restrict,
            "on_update": OnUpdate.cascade,
            "target_column": None,
        },
        old_params={
            "references": None,
            "on_delete": None,
            "on_update": None,
            "target_column": None,
        },
        column_class=ForeignKey,
        old_column_class=Integer,
        schema=None,
    )

    return manager
