"""Hand-written: composite unique indexes break Piccolo's SQLite DDL, so they are plain SQL (works on both engines).
A vehicle serves each cluster once."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T20:15:10:248523"
VERSION = "1.38.0"
DESCRIPTION = "unique vehicle cluster pairs"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="organisations", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl('CREATE UNIQUE INDEX IF NOT EXISTS delivery_vehicle_cluster_pair ON delivery_vehicle_cluster (delivery_vehicle, cluster)')

    async def run_backwards():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS delivery_vehicle_cluster_pair")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
