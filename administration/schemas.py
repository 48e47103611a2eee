"""Types for the training clock."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from administration.rules import MAX_ADVANCE_DAYS


class ClockIn(msgspec.Struct, forbid_unknown_fields=True):
    now: datetime


class ClockAdvanceIn(msgspec.Struct, forbid_unknown_fields=True):
    """Move the clock on by whole days (1 to 3650)."""

    days: Annotated[int, msgspec.Meta(ge=1, le=MAX_ADVANCE_DAYS)]


class ClockDateIn(msgspec.Struct, forbid_unknown_fields=True):
    """The page's question: a date and a 24-hour time, in London time. Fields in the order the page asks them."""

    day: Annotated[int, msgspec.Meta(ge=1, le=31)]
    month: Annotated[int, msgspec.Meta(ge=1, le=12)]
    year: Annotated[int, msgspec.Meta(ge=2000, le=2100)]
    time: Annotated[str, msgspec.Meta(min_length=1, max_length=5)]


class ClockOut(msgspec.Struct):
    now: datetime
    moved: bool
    offset_seconds: int
