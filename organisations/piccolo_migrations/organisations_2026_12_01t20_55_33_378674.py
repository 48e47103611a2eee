"""Snapshot only: records the foreign-key changes for Piccolo's auto migrations, so the next `--auto` diffs
against the tables as they now are. It is faked (recorded as run, nothing executed): the DDL is in
organisations_2026_12_01t21_00_00_000000.py, hand-written because Piccolo cannot alter constraints on SQLite."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.column_types import ForeignKey



ID = "2026-12-01T20:55:33:378674"
VERSION = "1.38.0"
DESCRIPTION = "foreign keys restrict deletion (snapshot; DDL in the hand-written migration)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="organisations", description=DESCRIPTION, fake=True
    )

    manager.alter_column(
        table_class_name="Cluster",
        tablename="cluster",
        column_name="local_authority",
        db_column_name="local_authority",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Cluster",
        tablename="cluster",
        column_name="pcpg",
        db_column_name="pcpg",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Cluster",
        tablename="cluster",
        column_name="health_board",
        db_column_name="health_board",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="DeliveryVehicleCluster",
        tablename="delivery_vehicle_cluster",
        column_name="delivery_vehicle",
        db_column_name="delivery_vehicle",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="DeliveryVehicleCluster",
        tablename="delivery_vehicle_cluster",
        column_name="cluster",
        db_column_name="cluster",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="LocalAuthority",
        tablename="local_authority",
        column_name="health_board",
        db_column_name="health_board",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="LocalAuthority",
        tablename="local_authority",
        column_name="regional_partnership_board",
        db_column_name="regional_partnership_board",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="LocalAuthority",
        tablename="local_authority",
        column_name="pcpg",
        db_column_name="pcpg",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Pcpg",
        tablename="pcpg",
        column_name="health_board",
        db_column_name="health_board",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RegionalPartnershipBoard",
        tablename="regional_partnership_board",
        column_name="health_board",
        db_column_name="health_board",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager
