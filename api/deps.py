"""Dependencies every handler may ask for: the actor, the clock, the language."""

from __future__ import annotations

from litestar import Request
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException

from accounts.actor import Actor
from core.clock import Clock


def provide_actor(request: Request) -> Actor:
    """The signed-in actor; routes that take `actor` are guarded, so this only fails if a guard is missing."""
    actor = request.scope["state"].get("actor")
    if actor is None:
        raise NotAuthorizedException("Sign in to continue")
    return actor


def provide_optional_actor(request: Request) -> Actor | None:
    return request.scope["state"].get("actor")


def provide_clock(request: Request) -> Clock:
    return request.scope["state"]["clock"]


def provide_language(request: Request) -> str:
    return request.scope["state"]["language"]


DEPENDENCIES = {
    "actor": Provide(provide_actor, sync_to_thread=False),
    "maybe_actor": Provide(provide_optional_actor, sync_to_thread=False),
    "clock": Provide(provide_clock, sync_to_thread=False),
    "language": Provide(provide_language, sync_to_thread=False),
}
