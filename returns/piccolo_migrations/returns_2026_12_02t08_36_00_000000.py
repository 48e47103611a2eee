"""Hand-written: composite unique indexes break Piccolo's SQLite DDL, so they are plain SQL (works on both engines).
A contract has one return per quarter and one payment decision per quarter; a return has one figure per cluster,
KPI and staff group, one row per version; a KPI is rated once a year."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T08:36:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique return parts"

INDEXES = {
    "delivery_return_once": "delivery_return (contract, financial_year, quarter)",
    "return_activity_once": "return_activity (delivery_return, cluster)",
    "return_kpi_value_once": "return_kpi_value (delivery_return, contract_kpi)",
    "return_workforce_once": "return_workforce (delivery_return, staff_group)",
    "return_version_once": "return_version (delivery_return, version)",
    "performance_rating_once": "performance_rating (contract, financial_year, contract_kpi)",
    "payment_once": "payment (contract, financial_year, quarter)",
    "payment_cluster_once": "payment_cluster (payment, cluster)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="returns", description=DESCRIPTION)

    async def run():
        for name, target in INDEXES.items():
            await engine_finder().run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")

    async def run_backwards():
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
