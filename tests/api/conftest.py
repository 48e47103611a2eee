"""Fixtures for the API, page and access tests: the app, and clients signed in as a role.

The app is built with Litestar's deprecation warnings silenced, because pytest turns warnings into errors.

Litestar 2.25 warns about every handler signature in the app: inferred dependencies (`actor: Actor`,
`clock: Clock`), inferred path and query parameters, and `Parameter(query=...)`. With
`filterwarnings = ["error"]` the app cannot be built in a test. This override silences only those
warnings, and only while the app is built, until the handlers use `NamedDependency[...]`,
`FromPath[...]` and `QueryParameter(...)`; then delete it.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from litestar.exceptions import LitestarDeprecationWarning

from accounts.actor import Actor
from accounts.services.sign_in import token_digest
from tests import factories
from tests.conftest import make_actor
from web.cookies import SESSION_COOKIE


def build_app(settings: Any = None) -> Any:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=LitestarDeprecationWarning)
        warnings.filterwarnings("ignore", "Deprecated 'query' parameter", DeprecationWarning)
        from api.app import create_app
        from api.settings import load_settings

        return create_app(settings or load_settings())


@pytest.fixture(scope="session")
def app() -> Any:
    return build_app()


@pytest.fixture
async def client_as(app: Any) -> AsyncIterator[Callable[..., Awaitable[tuple[httpx.AsyncClient, Actor]]]]:
    """Like the suite's `client_as` (session cookie and bearer token), without going through sign-in.

    Signing in checks the password twice (argon2, about 0.2 s each); these tests are about what a signed-in user
    can do, and sign-in itself is tested in tests/api/accounts and tests/pages/accounts. The session and the
    token are stored exactly as sign-in stores them (a SHA-256 digest of a random value).
    """
    opened: list[httpx.AsyncClient] = []

    async def make(role: str, **scope: Any) -> tuple[httpx.AsyncClient, Actor]:
        actor = await make_actor(role, **scope)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        opened.append(http)
        await sign_in_directly(http, actor)
        return http, actor

    yield make
    for http in opened:
        await http.aclose()


async def sign_in_directly(http: httpx.AsyncClient, actor: Actor) -> None:
    session_key, token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + timedelta(hours=1)
    await factories.save(
        factories.WebSessionFactory(key_hash=token_digest(session_key), user=actor.user_id, expires_at=expires_at)
    )
    await factories.save(
        factories.ApiTokenFactory(token_hash=token_digest(token), user=actor.user_id, expires_at=expires_at)
    )
    http.cookies.set(SESSION_COOKIE, session_key)
    http.headers["authorization"] = f"Bearer {token}"
