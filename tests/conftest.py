"""One suite, two databases: SQLite in a temporary file by default, PostgreSQL when DATABASE_URL is set.

Migrations run forwards once per session and the reference data is loaded once; after each test
every other table is emptied, so the app's own transactions (IMMEDIATE on SQLite, row locks on
PostgreSQL) are what the tests exercise (STYLE.md §6).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

os.environ["CDV_ENV"] = "test"
os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("CDV_SQLITE_PATH", str(Path(tempfile.mkdtemp(prefix="cdv-test-")) / "test.sqlite3"))

import httpx
import pytest
from piccolo.querystring import QueryString

from accounts.actor import Actor, Role
from accounts.queries import actor_for_user
from core.db import engine, is_postgres
from tests import factories

REFERENCE_TABLES = {"health_board", "regional_partnership_board", "pcpg", "local_authority", "cluster"}
LOADED_REFERENCE: dict[str, int] = {}  # the last id of each reference table once the reference data is loaded
PASSWORD = factories.PASSWORD


def _all_table_names() -> list[str]:
    """Every table, parents before children (so emptying goes in the reverse order)."""
    from piccolo.table import sort_table_classes

    from piccolo_conf import APP_REGISTRY

    tables = [table for app in APP_REGISTRY.app_configs.values() for table in app.table_classes]
    return [table._meta.tablename for table in sort_table_classes(tables)]


@pytest.fixture(scope="session", autouse=True)
async def database() -> AsyncIterator[None]:
    from accounts.actor import SYSTEM
    from api.setup import migrate
    from core.clock import SYSTEM_CLOCK
    from organisations.reference import load_reference

    if is_postgres():
        names = _all_table_names()
        for name in [*names, "migration"]:
            await engine().run_ddl(f'DROP TABLE IF EXISTS "{name}" CASCADE')
        await engine().start_connection_pool(min_size=1, max_size=6)  # type: ignore[attr-defined]
    await migrate()
    await load_reference(actor=SYSTEM, now=SYSTEM_CLOCK.now())
    for name in REFERENCE_TABLES:
        rows = await engine().run_querystring(QueryString(f'SELECT MAX(id) AS last FROM "{name}"'))
        LOADED_REFERENCE[name] = int(rows[0]["last"] or 0)
    await empty_tables()  # the load's audit events: every test starts from an empty trail
    yield
    if is_postgres():
        await engine().close_connection_pool()  # type: ignore[attr-defined]


async def empty_tables() -> None:
    """Every table but the reference data; a reference row a test added (a PCPG of its own) goes too, so the next
    test still sees the seven health boards and sixty clusters."""
    names = [name for name in _all_table_names() if name not in REFERENCE_TABLES]
    added = [
        f'DELETE FROM "{name}" WHERE id > {LOADED_REFERENCE[name]};'
        for name in reversed(_all_table_names())
        if name in LOADED_REFERENCE
    ]
    if is_postgres():
        # One round trip of DELETEs and sequence resets: TRUNCATE of every table cost about 80 ms per test.
        deletes = " ".join([*(f'DELETE FROM "{name}";' for name in reversed(names)), *added])
        resets = " ".join(f"PERFORM setval(pg_get_serial_sequence('\"{name}\"', 'id'), 1, false);" for name in names)
        await engine().run_ddl(f"DO $$ BEGIN {deletes} {resets} END $$")
    else:
        async with engine().transaction():  # one connection for all of them: a new one per table is slow
            for name in reversed(names):
                await engine().run_ddl(f'DELETE FROM "{name}"')
            for statement in added:
                await engine().run_ddl(statement)


@pytest.fixture(autouse=True)
async def clean_database(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Empty the tables after each test, except rule tests (tests/unit), which never touch the database."""
    yield
    if "unit" not in request.node.path.parts:
        await empty_tables()


@pytest.fixture
async def menu() -> None:
    """The national menu, for tests that need it (emptied after each test like every non-reference table)."""
    from accounts.actor import SYSTEM
    from core.clock import SYSTEM_CLOCK
    from menu.services import load_menu

    await load_menu(actor=SYSTEM, now=SYSTEM_CLOCK.now())


@pytest.fixture(scope="session")
def app() -> Any:
    from api.app import create_app
    from api.settings import load_settings

    return create_app(load_settings())


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", follow_redirects=False
    ) as http:
        yield http


SCOPES: dict[str, dict[str, Any]] = {
    "national_admin": {},
    "commissioner": {"pcpg_names": ("Cardiff",)},
    "evaluator": {},
    "provider": {},
    "finance_director": {"health_board_name": "Cardiff and Vale University Health Board"},
}


async def make_actor(role: str | Role, username: str | None = None, **scope: Any) -> Actor:
    """A saved user of that role with the default scope for it (Cardiff; Cardiff and Vale), unless told otherwise."""
    role = Role(role)
    options = {**SCOPES[role.value], **scope}
    user = await factories.create_user(role=role, username=username, **options)
    actor = await actor_for_user(user.id)
    assert actor is not None
    return actor


@pytest.fixture
def actor_factory() -> Callable[..., Awaitable[Actor]]:
    return make_actor


def csrf_from(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def sign_in_pages(http: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    form = await http.get("/sign-in")
    token = csrf_from(form.text)
    return await http.post(
        "/sign-in",
        data={"username": username, "password": password, "_csrf_token": token, "next": "/dashboard"},
    )


async def api_token(http: httpx.AsyncClient, username: str, password: str = PASSWORD) -> str:
    response = await http.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 201, response.text
    return response.json()["access_token"]


@pytest.fixture
async def client_as(app: Any) -> AsyncIterator[Callable[..., Awaitable[tuple[httpx.AsyncClient, Actor]]]]:
    """`http, actor = await client_as("provider")`: a client signed in both ways (session cookie and bearer token)."""
    opened: list[httpx.AsyncClient] = []

    async def make(role: str, **scope: Any) -> tuple[httpx.AsyncClient, Actor]:
        actor = await make_actor(role, **scope)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        opened.append(http)
        response = await sign_in_pages(http, actor.username)
        assert response.status_code in (302, 303), response.text
        http.headers["authorization"] = f"Bearer {await api_token(http, actor.username)}"
        refreshed = await actor_for_user(actor.user_id or 0)
        assert refreshed is not None
        return http, refreshed

    yield make
    for http in opened:
        await http.aclose()


@pytest.fixture
def count_queries() -> Any:
    """`with count_queries() as counted: ...` counts the SQL statements sent meanwhile (tests/query_count.py)."""
    from tests.query_count import count_queries

    return count_queries
