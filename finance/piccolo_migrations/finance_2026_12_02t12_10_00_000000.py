"""Hand-written: the index a commitment's cluster split is read by. The spend report (finance/spend/sql.py) joins each
commitment to its split and sums what the split leaves out per commitment; with no index on the split's commitment,
each commitment read the whole split table: at Wales scale (`cdv demo --scale wales`: 8,000 commitments, 20,000
split rows) the report took 10 s on SQLite, 0.25 s with it (bench/README.md, "Scale (issue 14)"). Cluster and amount
are in the index, so the join reads the index alone."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T12:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "index for a commitment's cluster split"

INDEXES = {"budget_commitment_cluster_split": "budget_commitment_cluster (budget_commitment, cluster, amount_pence)"}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="finance", description=DESCRIPTION)

    async def run():
        for name, target in INDEXES.items():
            await engine_finder().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def run_backwards():
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
