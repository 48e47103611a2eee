"""Writes of contracts made before this service: a commissioner brings them in from a file (API and pages)."""

from __future__ import annotations

from functools import partial

from accounts.actor import SYSTEM
from core.clock import SYSTEM_CLOCK
from menu.services import load_menu
from tests import contracts_support_legacy as files
from tests.api.audit_writes import Arrange, Users, Write, form


async def _file() -> bytes:
    await load_menu(actor=SYSTEM, now=SYSTEM_CLOCK.now())
    world = await files.world()
    return files.csv_file([files.row(world["service"])], [files.kpi()])


async def _import(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    upload = {"file": ("contracts.csv", await _file(), "text/csv")}
    return Write(partial(http.post, "/api/v1/contracts/import", files=upload), "contract.imported", actor.username)


async def _check_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    upload = {"file": ("contracts.csv", await _file(), "text/csv")}
    send = partial(http.post, "/contracts/import", data=await form(http), files=upload)
    return Write(send, "contracts.checked", actor.username)


async def _confirm_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    upload = {"file": ("contracts.csv", await _file())}
    checked = await http.post("/contracts/import", data=await form(http), files=upload)
    preview = (await http.get(checked.headers["location"])).text
    seen = preview.split('name="seen" value="', 1)[1].split('"', 1)[0]
    send = partial(http.post, checked.headers["location"], data=await form(http, seen=seen))
    return Write(send, "contract.imported", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", "/api/v1/contracts/import"): _import,
    ("POST", "/contracts/import"): _check_page,
    ("POST", "/contracts/import/{import_id:int}"): _confirm_page,
}
