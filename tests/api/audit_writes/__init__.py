"""The writes of each domain, for tests/api/test_every_write_is_audited.py: per route, how a user makes it.

Each module gives WRITES, from (method, path) as the app names the route to an `Arrange`: it prepares the state
the write needs (through the app's own services, as tests/bidding_support.py and tests/commissioning_support.py
do), signs a user in, and returns the `Write` ready to send, with the audit event it should add.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from accounts.actor import Actor
from tests.conftest import csrf_from


@dataclass(frozen=True)
class Write:
    """A request ready to send, the action of the audit event it should add, and who that event should name."""

    send: Callable[[], Awaitable[httpx.Response]]
    action: str
    username: str


@dataclass(frozen=True)
class Users:
    """Clients signed in as a new user of a role (`client_as`), or as one already made (a bidder, a panel member)."""

    client_as: Callable[..., Awaitable[tuple[httpx.AsyncClient, Actor]]]
    as_user: Callable[[Actor | None], Awaitable[httpx.AsyncClient]]

    async def new(self, role: str, **scope: Any) -> tuple[httpx.AsyncClient, Actor]:
        return await self.client_as(role, **scope)

    async def client(self, actor: Actor) -> httpx.AsyncClient:
        return await self.as_user(actor)


Arrange = Callable[[Users], Awaitable[Write]]


async def form(http: httpx.AsyncClient, **values: Any) -> dict[str, Any]:
    """A page's form post: the values and the CSRF token a browser would send with them."""
    return {**values, "_csrf_token": csrf_from((await http.get("/sign-in")).text)}
