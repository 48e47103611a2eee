"""JSON API: the menu of cluster services (read by anyone, cached, with ETags; changed by national administrators)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body, QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from menu import queries, services
from menu.schemas import (
    Category,
    MenuServiceIn,
    MenuServiceOut,
    MenuSourcesIn,
    MenuVersionSummary,
    NewMenuServiceIn,
    RetireIn,
)
from web.http_cache import etag_response
from web.params import Limit, Offset

ADMIN = requires_role(Role.NATIONAL_ADMIN)


class MenuController(Controller):
    path = "/api/v1/menu/services"
    tags = ["Menu of cluster services"]

    @get("/", summary="Services on the national menu (current versions)")
    async def list_services(
        self,
        request: Request,
        category: Annotated[Category | None, QueryParameter(name="category")] = None,
        include_retired: Annotated[bool, QueryParameter(name="include_retired")] = False,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response[Page[MenuServiceOut]]:
        return etag_response(
            request,
            await queries.list_menu_services.entry(
                category=category, include_retired=include_retired, limit=limit, offset=offset
            ),
        )

    @get("/{menu_service_id:int}", summary="One service; ?version=N for an earlier version")
    async def get_service(
        self,
        request: Request,
        menu_service_id: int,
        version: Annotated[int | None, QueryParameter(name="version", ge=1)] = None,
    ) -> Response[MenuServiceOut]:
        return etag_response(request, await queries.get_menu_service.entry(menu_service_id, version=version))

    @get("/{menu_service_id:int}/versions")
    async def versions(self, request: Request, menu_service_id: int) -> Response[list[MenuVersionSummary]]:
        await queries.get_menu_service(menu_service_id)
        return etag_response(request, await queries.list_versions.entry(menu_service_id))

    @post("/", guards=[ADMIN], status_code=201)
    async def add(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], data: Annotated[NewMenuServiceIn, Body()]
    ) -> MenuServiceOut:
        return await services.add_menu_service(actor=actor, data=data, now=clock.now())

    @put("/{menu_service_id:int}", guards=[ADMIN], summary="Edit: makes a new version")
    async def edit(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        menu_service_id: int,
        data: Annotated[MenuServiceIn, Body()],
    ) -> MenuServiceOut:
        return await services.edit_menu_service(
            actor=actor, menu_service_id=menu_service_id, data=data, now=clock.now()
        )

    @put(
        "/{menu_service_id:int}/sources",
        guards=[ADMIN],
        summary="Edit where the service and its KPIs come from: makes a new version",
    )
    async def edit_sources(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        menu_service_id: int,
        data: Annotated[MenuSourcesIn, Body()],
    ) -> MenuServiceOut:
        return await services.edit_menu_service_sources(
            actor=actor, menu_service_id=menu_service_id, data=data, now=clock.now()
        )

    @post("/{menu_service_id:int}/retire", guards=[ADMIN], status_code=200)
    async def retire(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        menu_service_id: int,
        data: Annotated[RetireIn, Body()],
    ) -> MenuServiceOut:
        return await services.retire_menu_service(
            actor=actor, menu_service_id=menu_service_id, reason=data.reason, now=clock.now()
        )
