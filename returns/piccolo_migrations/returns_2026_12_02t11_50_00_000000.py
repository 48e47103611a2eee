"""Hand-written: indexes found missing at England scale (`cdv demo --scale england`: about 430,000 payments, 6,300
budget lines, 620,000 delivery returns; bench/README.md, "Scale (issue 14)").

- payment_paid: the ledger's actual spend (finance/queries.py `_actual`: approved payments summed by budget line), as
  earmarks and commitments have theirs (finance_2026_12_02t00_20_00_000000). Without it each line's sum read every
  payment and the ledger of every line took minutes. The amount is in the index, so the sum reads the index alone.
- delivery_return_due_order: the returns list's order (due day, then id), so a page of 50 reads 50 rows in order
  instead of sorting every return (about 0.85 s on PostgreSQL at England scale)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T11:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for the ledger's actual spend and the returns list's order"

INDEXES = {
    "payment_paid": "payment (budget_line, status, amount_pence)",
    "delivery_return_due_order": "delivery_return (due_on, id)",
}


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
