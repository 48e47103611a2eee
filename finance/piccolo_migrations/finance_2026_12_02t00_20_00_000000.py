"""Hand-written: indexes for the budget line list and the ledger sums (issue 9, item 3).

Plain `CREATE INDEX IF NOT EXISTS` (works on both engines). A commissioner's lines are found by
budget_line_natural_key (pcpg first); a finance director's by health board, in the list's first order (year).
The ledger sums what is held on each line (finance/queries.py `_held`): earmarks and commitments by line, the
unreleased ones, with the amount in the index so the sum reads the index alone.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T00:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for budget line scope and order, and the ledger sums"
INDEXES = [
    ("budget_line_health_board_year", "budget_line", "health_board, financial_year"),
    ("budget_earmark_held", "budget_earmark", "budget_line, released_at, amount_pence"),
    ("budget_commitment_held", "budget_commitment", "budget_line, released_at, amount_pence"),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="finance", description=DESCRIPTION)

    async def run():
        for name, table, columns in INDEXES:
            await engine_finder().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")

    async def run_backwards():
        for name, _, _ in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
