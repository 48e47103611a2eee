"""Bounds of the numbers a request may carry, as the database columns hold them, so msgspec refuses a number no
column can store naming its field (a 422), rather than the database driver refusing it later (once answered 404)."""

from __future__ import annotations

from typing import Annotated

import msgspec

MAX_ID = 2_147_483_647
"""Ids are PostgreSQL `integer` (Piccolo's Serial and ForeignKey): 2**31 - 1 at most."""

Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
"""An id in a request body (`pcpg_id`, `cluster_ids[]`, `budget_line_id`)."""
