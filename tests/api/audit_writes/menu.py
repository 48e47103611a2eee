"""Writes of the menu: a national admin adds, edits, retires a service and edits its sources (API and pages)."""

from __future__ import annotations

from functools import partial

from tests import factories
from tests.api.audit_writes import Arrange, Users, Write, form

SERVICE = "/api/v1/menu/services/{menu_service_id:int}"
PAGE = "/menu/{menu_service_id:int}"
FIELDS = {
    "name": "Falls prevention",
    "name_cy": "Atal cwympiadau",
    "description": "Strength and balance classes.",
    "description_cy": "Dosbarthiadau cryfder a chydbwysedd.",
    "category": "frailty_long_term_conditions",
    "unit_of_activity": "participants",
    "unit_of_activity_cy": "cyfranogwyr",
}
KPI = {"name": "Falls", "name_cy": "Cwympiadau", "unit": "count", "direction": "lower_is_better"}
FORM = {**FIELDS, **{f"kpis-0-{key}": value for key, value in KPI.items()}}


async def on_the_menu() -> int:
    """The obesity service on the menu, with one KPI (the whole national menu takes longer to load); its id."""
    service = factories.MenuServiceFactory(code="obesity")
    version = await factories.save(factories.MenuServiceVersionFactory(menu_service=service))
    await factories.save(factories.MenuKpiFactory(menu_service_version=version.id))
    return int(service.id)


async def _add(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    body = {"code": "falls-prevention", "kpis": [KPI], **FIELDS}
    return Write(partial(http.post, "/api/v1/menu/services", json=body), "menu_service.added", actor.username)


async def _edit(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    service = await on_the_menu()
    send = partial(http.put, f"/api/v1/menu/services/{service}", json={"kpis": [KPI], **FIELDS})
    return Write(send, "menu_service.edited", actor.username)


async def _retire(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    service = await on_the_menu()
    send = partial(http.post, f"/api/v1/menu/services/{service}/retire", json={"reason": "Replaced"})
    return Write(send, "menu_service.retired", actor.username)


async def _add_page(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    data = await form(http, code="falls-prevention", **FORM)
    return Write(partial(http.post, "/menu/new", data=data), "menu_service.added", actor.username)


async def _edit_page(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    service = await on_the_menu()
    send = partial(http.post, f"/menu/{service}/edit", data=await form(http, **FORM))
    return Write(send, "menu_service.edited", actor.username)


async def _retire_page(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    service = await on_the_menu()
    send = partial(http.post, f"/menu/{service}/retire", data=await form(http, reason="Replaced"))
    return Write(send, "menu_service.retired", actor.username)


async def _sources(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("national_admin")
    service = await on_the_menu()
    if page:
        data = await form(http, source="https://example.org/evidence")
        send = partial(http.post, f"/menu/{service}/sources", data=data)
    else:
        send = partial(http.put, f"{SERVICE.split('{')[0]}{service}/sources", json={"source": "https://example.org/e"})
    return Write(send, "menu_service.sources_edited", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", "/api/v1/menu/services"): _add,
    ("PUT", SERVICE): _edit,
    ("POST", f"{SERVICE}/retire"): _retire,
    ("POST", "/menu/new"): _add_page,
    ("POST", f"{PAGE}/edit"): _edit_page,
    ("POST", f"{PAGE}/retire"): _retire_page,
    ("PUT", f"{SERVICE}/sources"): partial(_sources, page=False),
    ("POST", f"{PAGE}/sources"): partial(_sources, page=True),
}
