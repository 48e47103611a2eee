"""Hand-written: indexes for the reads that filter, count and order specifications and their parts (issue 9, item 3).

Plain `CREATE INDEX IF NOT EXISTS` (works on both engines; Piccolo's `index=True` makes single-column indexes only).
- specification (pcpg, status, bid_deadline_at): a commissioner's scope (`pcpg IN ...`), the dashboard's counts by
  status and its "closed by the clock" count (commissioning/summaries.py), read from the index alone;
- specification (status, bid_deadline_at): /opportunities counted from the index alone (`status = 'published'` and
  the deadline: effective_status_condition);
- specification (status, id): /opportunities newest first, read in the index's order and stopped at the page's end
  (without it SQLite, which keeps no statistics until ANALYZE, took the index above and sorted every published
  specification: 0.27 ms became 3.4 ms on the grown bench database);
- a specification's KPIs and criteria in their order, and its clarifications, bids, panel, declarations and award
  by specification (a specification page read each of these tables whole).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T00:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for specification scope, status and order, and a specification's parts"
INDEXES = [
    ("specification_pcpg_status", "specification", "pcpg, status, bid_deadline_at"),
    ("specification_status_deadline", "specification", "status, bid_deadline_at"),
    ("specification_status_newest", "specification", "status, id"),
    ("specification_kpi_order", "specification_kpi", "specification, position"),
    ("evaluation_criterion_order", "evaluation_criterion", "specification, position"),
    ("clarification_specification", "clarification", "specification"),
    ("bid_specification", "bid", "specification"),
    ("panel_member_specification", "panel_member", "specification"),
    ("declaration_specification", "declaration", "specification"),
    ("award_specification", "award", "specification"),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="commissioning", description=DESCRIPTION)

    async def run():
        for name, table, columns in INDEXES:
            await engine_finder().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")

    async def run_backwards():
        for name, _, _ in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
