"""Hand-written: the index the ledger's actual spend needs (finance/queries.py `_actual`: approved payments summed by
budget line), as earmarks and commitments have theirs (finance_2026_12_02t00_20_00_000000). Without it each line's
sum reads every payment: at England scale (`cdv demo --scale england`, about 420,000 payments and 6,300 lines) the
ledger took minutes. The amount is in the index, so the sum reads the index alone."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T11:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "index for the ledger's actual spend"

INDEXES = {"payment_paid": "payment (budget_line, status, amount_pence)"}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="returns", description=DESCRIPTION)

    async def run():
        for name, target in INDEXES.items():
            await engine_finder().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def run_backwards():
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
