"""Guards only ask whether a role uses a route; which rows a user sees is decided by queries and services.

They are coroutines although they never wait: Litestar runs a plain-function guard in a worker thread
(`sync_to_thread`), a thread hop on every guarded request for a check of one attribute."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from accounts.actor import Actor, Role

Guard = Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]


async def signed_in(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if connection.scope.get("state", {}).get("actor") is None:
        raise NotAuthorizedException("Sign in to continue")


def requires_role(*roles: Role) -> Guard:
    async def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        actor: Actor | None = connection.scope.get("state", {}).get("actor")
        if actor is None:
            raise NotAuthorizedException("Sign in to continue")
        if actor.role not in roles:
            raise PermissionDeniedException("Your role does not use this page")

    guard.__name__ = "requires_" + "_or_".join(role.value for role in roles)
    return guard
