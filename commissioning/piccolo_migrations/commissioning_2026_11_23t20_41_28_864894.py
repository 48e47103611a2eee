"""Hand-written: composite unique indexes break Piccolo's SQLite DDL, so they are plain SQL (works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T20:41:28:864894"
VERSION = "1.38.0"
DESCRIPTION = "one bid per vehicle and one score per evaluator"
INDEXES = [
    ("bid_per_vehicle", "bid", "specification, delivery_vehicle"),
    ("bid_price_year", "bid_price", "bid, financial_year"),
    ("bid_answer_criterion", "bid_answer", "bid, criterion_position"),
    ("panel_member_once", "panel_member", "specification, user_id"),
    ("declaration_once", "declaration", "specification, user_id"),
    ("score_once", "score", "bid, criterion_position, user_id"),
    ("moderated_score_once", "moderated_score", "bid, criterion_position"),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="commissioning", description=DESCRIPTION)

    async def run():
        for name, table, columns in INDEXES:
            await engine_finder().run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({columns})")

    async def run_backwards():
        for name, _, _ in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
