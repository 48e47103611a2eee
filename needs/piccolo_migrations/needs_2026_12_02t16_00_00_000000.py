"""Hand-written: a need is linked to a plan priority at most once, and engagements and a need's clusters are read by
their subject (raw steps run before a migration's tables are made, so this follows the generated one)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes of needs and engagements"

INDEXES = {
    "need_plan_priority_pair": "UNIQUE INDEX IF NOT EXISTS need_plan_priority_pair ON need_plan_priority (need, plan_priority)",
    "need_plan_priority_priority": "INDEX IF NOT EXISTS need_plan_priority_priority ON need_plan_priority (plan_priority)",
    "need_cluster_need": "INDEX IF NOT EXISTS need_cluster_need ON need_cluster (need)",
    "need_pcpg": "INDEX IF NOT EXISTS need_pcpg ON need (pcpg, priority)",
    "engagement_need": "INDEX IF NOT EXISTS engagement_need ON engagement (need)",
    "engagement_plan_priority": "INDEX IF NOT EXISTS engagement_plan_priority ON engagement (plan_priority)",
    "engagement_specification": "INDEX IF NOT EXISTS engagement_specification ON engagement (specification)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="needs", description=DESCRIPTION)

    async def run():
        for target in INDEXES.values():
            await engine_finder().run_ddl(f"CREATE {target}")

    async def run_backwards():
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
