"""Types for the training clock."""

from __future__ import annotations

from datetime import datetime

import msgspec


class ClockIn(msgspec.Struct, forbid_unknown_fields=True):
    now: datetime


class ClockOut(msgspec.Struct):
    now: datetime
    moved: bool
    offset_seconds: int
