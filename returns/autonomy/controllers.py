"""JSON API: a delivery vehicle's autonomy tier, and a commissioner's override of it (issue 15, item 5)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from contracts.schemas.autonomy import TierLiftIn, TierOverrideIn, VehicleAutonomyOut
from core.clock import Clock
from returns.autonomy import services
from returns.autonomy.queries import get_vehicle_autonomy

READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)
DECIDERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER)


class VehicleAutonomyController(Controller):
    path = "/api/v1/delivery-vehicles/{delivery_vehicle_id:int}/autonomy"
    tags = ["Earned autonomy"]

    @get("/", guards=[READERS], summary="The vehicle's tier this quarter and next, why, and its history")
    async def autonomy(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], delivery_vehicle_id: int
    ) -> VehicleAutonomyOut:
        return await get_vehicle_autonomy(actor=actor, delivery_vehicle_id=delivery_vehicle_id, now=clock.now())

    @put("/override", guards=[DECIDERS], summary="Set the vehicle's tier from next quarter, with a reason")
    async def override(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        delivery_vehicle_id: int,
        data: Annotated[TierOverrideIn, Body()],
    ) -> VehicleAutonomyOut:
        return await services.set_tier_override(
            actor=actor, delivery_vehicle_id=delivery_vehicle_id, tier=data.tier, reason=data.reason, now=clock.now()
        )

    @post("/override/lift", guards=[DECIDERS], status_code=200, summary="Lift the override: the earned tier again")
    async def lift(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        delivery_vehicle_id: int,
        data: Annotated[TierLiftIn, Body()],
    ) -> VehicleAutonomyOut:
        return await services.lift_tier_override(
            actor=actor, delivery_vehicle_id=delivery_vehicle_id, reason=data.reason, now=clock.now()
        )
