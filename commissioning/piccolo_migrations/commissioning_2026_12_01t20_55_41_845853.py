"""Snapshot only: records the foreign-key changes for Piccolo's auto migrations, so the next `--auto` diffs
against the tables as they now are. It is faked (recorded as run, nothing executed): the DDL is in
commissioning_2026_12_01t21_00_00_000000.py, hand-written because Piccolo cannot alter constraints on SQLite."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class User(Table, tablename="app_user", schema=None):
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

ID = "2026-12-01T20:55:41:845853"
VERSION = "1.38.0"
DESCRIPTION = "foreign keys restrict deletion (snapshot; DDL in the hand-written migration)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="commissioning", description=DESCRIPTION, fake=True
    )

    manager.drop_column(
        table_class_name="Award",
        tablename="award",
        column_name="contract_id",
        db_column_name="contract_id",
        schema=None,
    )

    manager.rename_column(
        table_class_name="Declaration",
        tablename="declaration",
        old_column_name="user_id",
        new_column_name="user",
        old_db_column_name="user_id",
        new_db_column_name="user",
        schema=None,
    )

    manager.rename_column(
        table_class_name="PanelMember",
        tablename="panel_member",
        old_column_name="user_id",
        new_column_name="user",
        old_db_column_name="user_id",
        new_db_column_name="user",
        schema=None,
    )

    manager.rename_column(
        table_class_name="Score",
        tablename="score",
        old_column_name="user_id",
        new_column_name="user",
        old_db_column_name="user_id",
        new_db_column_name="user",
        schema=None,
    )

    manager.alter_column(
        table_class_name="Award",
        tablename="award",
        column_name="delivery_vehicle",
        db_column_name="delivery_vehicle",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Bid",
        tablename="bid",
        column_name="delivery_vehicle",
        db_column_name="delivery_vehicle",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Clarification",
        tablename="clarification",
        column_name="delivery_vehicle",
        db_column_name="delivery_vehicle",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Plan",
        tablename="plan",
        column_name="pcpg",
        db_column_name="pcpg",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="PlanPriorityCluster",
        tablename="plan_priority_cluster",
        column_name="cluster",
        db_column_name="cluster",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Representation",
        tablename="representation",
        column_name="delivery_vehicle",
        db_column_name="delivery_vehicle",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Specification",
        tablename="specification",
        column_name="pcpg",
        db_column_name="pcpg",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="SpecificationCluster",
        tablename="specification_cluster",
        column_name="cluster",
        db_column_name="cluster",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="SpecificationYear",
        tablename="specification_year",
        column_name="budget_line",
        db_column_name="budget_line",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )


    return manager
