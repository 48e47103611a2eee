"""Hand-written: composite unique indexes break Piccolo's SQLite DDL, so they are plain SQL (works on both engines).
A contract covers a cluster once; it has one allocation per year and cluster, one payment per quarter, one planned
activity per quarter, one row per version and per variation number."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T07:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique contract parts"

INDEXES = {
    "contract_cluster_once": 'contract_cluster (contract, cluster)',
    "contract_allocation_once": 'contract_allocation (contract, financial_year, cluster)',
    "contract_payment_once": 'contract_payment (contract, financial_year, quarter)',
    "contract_activity_once": 'contract_activity (contract, financial_year, quarter)',
    "contract_version_once": 'contract_version (contract, version)',
    "contract_variation_once": 'contract_variation (contract, number)',
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="contracts", description=DESCRIPTION)

    async def run():
        for name, target in INDEXES.items():
            await engine_finder().run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")

    async def run_backwards():
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
