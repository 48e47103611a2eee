"""JSON API: reference data (public, cached, with ETags) and delivery vehicles (scoped)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import Body, QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from organisations import queries, services
from organisations.schemas import (
    ClusterOut,
    DeliveryVehicleDecisionIn,
    DeliveryVehicleIn,
    DeliveryVehicleOut,
    HealthBoardOut,
    LocalAuthorityOut,
    PcpgOut,
    SuspensionIn,
)
from web.http_cache import etag_response
from web.params import HealthBoardFilter, Limit, Offset, PcpgFilter


class ReferenceController(Controller):
    path = "/api/v1"
    tags = ["Reference data"]

    @get("/health-boards", summary="The 7 health boards")
    async def health_boards(
        self, request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Response[Page[HealthBoardOut]]:
        return etag_response(request, await queries.list_health_boards.entry(limit=limit, offset=offset))

    @get("/health-boards/{health_board_id:int}")
    async def health_board(self, request: Request, health_board_id: int) -> Response[HealthBoardOut]:
        return etag_response(request, await queries.get_health_board.entry(health_board_id))

    @get("/local-authorities", summary="The 22 local authorities")
    async def local_authorities(
        self,
        request: Request,
        health_board: HealthBoardFilter = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response[Page[LocalAuthorityOut]]:
        return etag_response(
            request,
            await queries.list_local_authorities.entry(health_board_id=health_board, limit=limit, offset=offset),
        )

    @get("/pcpgs", summary="Pan Cluster Planning Groups")
    async def pcpgs(
        self,
        request: Request,
        health_board: HealthBoardFilter = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response[Page[PcpgOut]]:
        return etag_response(
            request, await queries.list_pcpgs.entry(health_board_id=health_board, limit=limit, offset=offset)
        )

    @get("/pcpgs/{pcpg_id:int}")
    async def pcpg(self, request: Request, pcpg_id: int) -> Response[PcpgOut]:
        return etag_response(request, await queries.get_pcpg.entry(pcpg_id))

    @get("/clusters", summary="The 60 clusters, filtered by health board or PCPG")
    async def clusters(
        self,
        request: Request,
        health_board: HealthBoardFilter = None,
        pcpg: PcpgFilter = None,
        sort: Annotated[str, QueryParameter(name="sort", pattern=r"^-?(name|population|number)$")] = "name",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response[Page[ClusterOut]]:
        return etag_response(
            request,
            await queries.list_clusters.entry(
                health_board_id=health_board, pcpg_id=pcpg, sort=sort, limit=limit, offset=offset
            ),
        )

    @get("/clusters/{cluster_id:int}")
    async def cluster(self, request: Request, cluster_id: int) -> Response[ClusterOut]:
        return etag_response(request, await queries.get_cluster.entry(cluster_id))


VEHICLE_READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)
VEHICLE_DECIDERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER)


class DeliveryVehicleController(Controller):
    path = "/api/v1/delivery-vehicles"
    tags = ["Delivery vehicles"]

    @get("/", guards=[VEHICLE_READERS], summary="Delivery vehicles the caller may see")
    async def list_vehicles(
        self,
        actor: NamedDependency[Actor],
        status: Annotated[
            str | None, QueryParameter(name="status", pattern=r"^(pending|approved|rejected|suspended)$")
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[DeliveryVehicleOut]:
        return await queries.list_delivery_vehicles(actor=actor, status=status, limit=limit, offset=offset)

    @post(
        "/",
        guards=[requires_role(Role.PROVIDER)],
        status_code=201,
        summary="Register the caller's delivery vehicle",
    )
    async def register(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], data: Annotated[DeliveryVehicleIn, Body()]
    ) -> DeliveryVehicleOut:
        return await services.register_delivery_vehicle(actor=actor, data=data, now=clock.now())

    @get("/{delivery_vehicle_id:int}", guards=[VEHICLE_READERS])
    async def get_vehicle(self, actor: NamedDependency[Actor], delivery_vehicle_id: int) -> DeliveryVehicleOut:
        return await queries.get_delivery_vehicle(actor=actor, delivery_vehicle_id=delivery_vehicle_id)

    @post("/{delivery_vehicle_id:int}/approve", guards=[VEHICLE_DECIDERS], status_code=200)
    async def approve(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        delivery_vehicle_id: int,
        data: Annotated[DeliveryVehicleDecisionIn | None, Body()] = None,
    ) -> DeliveryVehicleOut:
        return await services.approve_delivery_vehicle(
            actor=actor,
            delivery_vehicle_id=delivery_vehicle_id,
            decision=data or DeliveryVehicleDecisionIn(),
            now=clock.now(),
        )

    @post("/{delivery_vehicle_id:int}/reject", guards=[VEHICLE_DECIDERS], status_code=200)
    async def reject(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        delivery_vehicle_id: int,
        data: Annotated[DeliveryVehicleDecisionIn, Body()],
    ) -> DeliveryVehicleOut:
        return await services.reject_delivery_vehicle(
            actor=actor, delivery_vehicle_id=delivery_vehicle_id, decision=data, now=clock.now()
        )

    @post(
        "/{delivery_vehicle_id:int}/suspend",
        guards=[requires_role(Role.NATIONAL_ADMIN)],
        status_code=200,
        summary="Suspend an approved vehicle, with the reason: it cannot bid until reinstated",
    )
    async def suspend(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        delivery_vehicle_id: int,
        data: Annotated[SuspensionIn, Body()],
    ) -> DeliveryVehicleOut:
        return await services.suspend_delivery_vehicle(
            actor=actor, delivery_vehicle_id=delivery_vehicle_id, data=data, now=clock.now()
        )

    @post(
        "/{delivery_vehicle_id:int}/reinstate",
        guards=[requires_role(Role.NATIONAL_ADMIN)],
        status_code=200,
        summary="Reinstate a suspended vehicle: it may bid again",
    )
    async def reinstate(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], delivery_vehicle_id: int
    ) -> DeliveryVehicleOut:
        return await services.reinstate_delivery_vehicle(
            actor=actor, delivery_vehicle_id=delivery_vehicle_id, now=clock.now()
        )
