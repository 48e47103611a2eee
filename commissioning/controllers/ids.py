"""A before_request hook shared by commissioning's API and pages: ids past the database's integers are not found."""

from __future__ import annotations

from typing import Any

from litestar import Request

from core.errors import NotFound

MAX_ID = 2_147_483_647  # ids are PostgreSQL integers (as organisations.rules.MAX_ID)


class _IdsInRange:
    """A `before_request` hook: an id in the address past the database's integer names nothing, so it is "not
    found" (the database drivers would refuse it with a 500). An object, not a function, so that a controller's
    `before_request = ids_in_range` is not taken for a method."""

    async def __call__(self, request: Request[Any, Any, Any]) -> None:
        for name, value in request.path_params.items():
            if name.endswith("_id") and isinstance(value, int) and not 1 <= value <= MAX_ID:
                raise NotFound("Not found")


ids_in_range = _IdsInRange()
