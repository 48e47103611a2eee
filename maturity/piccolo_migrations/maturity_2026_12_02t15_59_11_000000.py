"""Hand-written: one assessment per delivery vehicle and financial year, held by the database as well as by the
service (maturity/services/assessments.py `start_assessment`), and one answer per domain of an assessment."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T15:59:11:000000"
VERSION = "1.38.0"
DESCRIPTION = "one maturity assessment per vehicle and year, one answer per domain"

INDEXES = {
    "maturity_assessment_vehicle_year": "maturity_assessment (delivery_vehicle, financial_year)",
    "maturity_answer_assessment_domain": "maturity_answer (assessment, domain)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="maturity", description=DESCRIPTION)

    async def run():
        for name, target in INDEXES.items():
            await engine_finder().run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")

    async def run_backwards():
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
