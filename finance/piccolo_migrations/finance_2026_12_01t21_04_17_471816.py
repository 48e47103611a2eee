"""Snapshot only, like finance_2026_12_01t20_55_38_354556.py: the type change of the renamed columns, which
Piccolo records in a migration after the rename. Faked; the DDL is in finance_2026_12_01t21_00_00_000000.py (budget_earmark and budget_commitment: contracts_2026_12_01t21_00_00_000000.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Contract(Table, tablename="contract", schema=None):
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


ID = "2026-12-01T21:04:17:471816"
VERSION = "1.38.0"
DESCRIPTION = "renamed keys become foreign keys (snapshot; DDL in the hand-written migration)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="finance", description=DESCRIPTION, fake=True
    )

    manager.alter_column(
        table_class_name="BudgetCommitment",
        tablename="budget_commitment",
        column_name="contract",
        db_column_name="contract",
        params={
            "references": Contract,
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
        table_class_name="BudgetEarmark",
        tablename="budget_earmark",
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

    return manager
