"""Hand-written: foreign keys that restrict deletion. SQLite cannot alter a constraint, so core.schema_change rebuilds
the tables there and alters them in place on PostgreSQL. award.contract_id is dropped: contract.award (contracts_2026_12_01t21_00_00_000000.py) says the
same, and a key each way would be a cycle that neither row could be deleted across."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from core.schema_change import Reference, change_foreign_keys

ID = "2026-12-01T21:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "evaluators are users; organisations and budget lines restrict deletion; award.contract_id goes"
REFERENCES = [
    Reference("plan", "pcpg", "pcpg"),
    Reference("plan_priority_cluster", "cluster", "cluster"),
    Reference("specification", "pcpg", "pcpg"),
    Reference("specification_cluster", "cluster", "cluster"),
    Reference("specification_year", "budget_line", "budget_line"),
    Reference("clarification", "delivery_vehicle", "delivery_vehicle"),
    Reference("bid", "delivery_vehicle", "delivery_vehicle"),
    Reference("panel_member", "user", "app_user", renamed_from="user_id"),
    Reference("declaration", "user", "app_user", renamed_from="user_id"),
    Reference("score", "user", "app_user", renamed_from="user_id"),
    Reference("award", "delivery_vehicle", "delivery_vehicle"),
    Reference("representation", "delivery_vehicle", "delivery_vehicle"),
]
DROP_COLUMNS: dict[str, list[str]] = {"award": ["contract_id"]}


async def _check_award_contracts() -> None:
    """Refuse to drop award.contract_id if any award names a contract that does not name it back."""
    engine = engine_finder()
    linked = await engine.run_ddl("SELECT count(*) AS n FROM award WHERE contract_id IS NOT NULL")
    if linked and linked[0]["n"]:
        stray = await engine.run_ddl(
            "SELECT a.id FROM award a WHERE a.contract_id IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM contract c WHERE c.id = a.contract_id AND c.award_id = a.id)"
        )
        if stray:
            raise RuntimeError(f"awards whose contract does not name them: {[row['id'] for row in stray]}")


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="commissioning", description=DESCRIPTION, wrap_in_transaction=False
    )

    async def run():
        await _check_award_contracts()
        await change_foreign_keys(REFERENCES, drop_columns=DROP_COLUMNS)

    manager.add_raw(run)
    return manager
