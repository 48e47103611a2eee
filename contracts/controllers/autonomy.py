"""JSON API: the national terms of earned autonomy (issue 15, item 5)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role, signed_in
from contracts.queries import autonomy as queries
from contracts.schemas.autonomy import AutonomySettingsIn, AutonomySettingsOut
from contracts.services import autonomy as services
from core.clock import Clock

SETTERS = requires_role(Role.NATIONAL_ADMIN)


class AutonomySettingsController(Controller):
    path = "/api/v1/autonomy/settings"
    tags = ["Earned autonomy"]

    @get("/", guards=[signed_in], summary="The terms of each autonomy tier in force (anyone signed in)")
    async def settings(self) -> AutonomySettingsOut:
        return await queries.settings_in_force()

    @put("/", guards=[SETTERS], summary="Set the terms of each autonomy tier (national administrators)")
    async def set_settings(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        data: Annotated[AutonomySettingsIn, Body()],
    ) -> AutonomySettingsOut:
        return await services.set_autonomy_settings(actor=actor, data=data, now=clock.now())
