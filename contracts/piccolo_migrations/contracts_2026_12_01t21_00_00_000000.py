"""Hand-written: foreign keys that restrict deletion. SQLite cannot alter a constraint, so core.schema_change rebuilds
the tables there and alters them in place on PostgreSQL. Finance's two tables are here because they refer to
specifications and contracts, whose tables finance's migrations run before."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.schema_change import Reference, change_foreign_keys

ID = "2026-12-01T21:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a contract's specification and award are foreign keys, as are earmarks' and commitments'"
REFERENCES = [
    Reference("contract", "specification", "specification", renamed_from="specification_id"),
    Reference("contract", "award", "award", renamed_from="award_id"),
    Reference("contract", "health_board", "health_board"),
    Reference("contract", "pcpg", "pcpg"),
    Reference("contract", "delivery_vehicle", "delivery_vehicle"),
    Reference("contract_year", "budget_line", "budget_line"),
    Reference("budget_earmark", "budget_line", "budget_line"),
    Reference("budget_earmark", "specification", "specification", renamed_from="specification_id"),
    Reference("budget_commitment", "budget_line", "budget_line"),
    Reference("budget_commitment", "contract", "contract", renamed_from="contract_id"),
]
DROP_COLUMNS: dict[str, list[str]] = {}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="contracts", description=DESCRIPTION, wrap_in_transaction=False
    )

    async def run():
        await change_foreign_keys(REFERENCES, drop_columns=DROP_COLUMNS)

    manager.add_raw(run)
    return manager
