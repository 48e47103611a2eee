"""Settings shared by all processes."""

from piccolo.columns import BigInt, Timestamptz, Varchar
from piccolo.table import Table


class ClockSetting(Table):
    """The training clock's offset from real time; at most one row. Ignored when CDV_ENV=production."""

    offset_seconds = BigInt(default=0)  # as people read it (the audit trail, the API)
    offset_microseconds = BigInt(default=0)  # what the clock adds to real time
    set_at = Timestamptz()
    set_by_username = Varchar(length=80)
