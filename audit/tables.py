"""One row per change of state. Rows are only ever appended; each carries the hash of the one before."""

from piccolo.columns import JSON, BigInt, Integer, Timestamptz, Varchar
from piccolo.table import Table


class AuditEvent(Table):
    sequence = BigInt(unique=True, help_text="1, 2, 3... with no gaps, so a removed row shows")
    occurred_at = Timestamptz()
    actor_user_id = Integer(null=True, default=None, help_text="Empty for the system (CLI, reference load)")
    actor_username = Varchar(length=80, default="system")
    action = Varchar(length=80, help_text="Past tense, e.g. delivery_vehicle.approved")
    entity_type = Varchar(length=60)
    entity_id = Varchar(length=60, default="")
    pcpg_id = Integer(null=True, default=None, help_text="For scoping the trail to a commissioner's PCPG")
    health_board_id = Integer(null=True, default=None)
    visible_from_at = Timestamptz(
        null=True, default=None, help_text="Sealed until then (a bid's events until the bid deadline)"
    )
    before = JSON(default={})
    after = JSON(default={})
    previous_hash = Varchar(length=64)
    event_hash = Varchar(length=64, unique=True)
