"""Hand-written: indexes for the delivery vehicle list (organisations/queries.py list_delivery_vehicles), which
filters by status and orders by name then id; and for the vehicles serving a cluster (the PCPG and health board
scopes go from clusters to vehicles). Plain `CREATE INDEX IF NOT EXISTS`, as on both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T00:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for the delivery vehicle list"
INDEXES = [
    ("delivery_vehicle_name", "delivery_vehicle", "name, id"),
    ("delivery_vehicle_status_name", "delivery_vehicle", "status, name, id"),
    ("delivery_vehicle_cluster_cluster", "delivery_vehicle_cluster", "cluster, delivery_vehicle"),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="organisations", description=DESCRIPTION)

    async def run():
        for name, table, columns in INDEXES:
            await engine_finder().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")

    async def run_backwards():
        for name, _, _ in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
