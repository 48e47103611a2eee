"""Snapshot only: records the foreign-key changes for Piccolo's auto migrations, so the next `--auto` diffs
against the tables as they now are. It is faked (recorded as run, nothing executed): the DDL is in
contracts_2026_12_01t21_00_00_000000.py, hand-written because Piccolo cannot alter constraints on SQLite."""

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

ID = "2026-12-01T20:55:46:338263"
VERSION = "1.38.0"
DESCRIPTION = "foreign keys restrict deletion (snapshot; DDL in the hand-written migration)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="contracts", description=DESCRIPTION, fake=True
    )

    manager.rename_column(
        table_class_name="Contract",
        tablename="contract",
        old_column_name="award_id",
        new_column_name="award",
        old_db_column_name="award_id",
        new_db_column_name="award",
        schema=None,
    )

    manager.rename_column(
        table_class_name="Contract",
        tablename="contract",
        old_column_name="specification_id",
        new_column_name="specification",
        old_db_column_name="specification_id",
        new_db_column_name="specification",
        schema=None,
    )

    manager.alter_column(
        table_class_name="Contract",
        tablename="contract",
        column_name="health_board",
        db_column_name="health_board",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Contract",
        tablename="contract",
        column_name="pcpg",
        db_column_name="pcpg",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Contract",
        tablename="contract",
        column_name="delivery_vehicle",
        db_column_name="delivery_vehicle",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="ContractYear",
        tablename="contract_year",
        column_name="budget_line",
        db_column_name="budget_line",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )


    return manager
