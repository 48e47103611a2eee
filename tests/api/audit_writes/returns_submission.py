"""Writes of filling in and submitting a delivery return: a provider user of the contract's vehicle saves the
figures, uploads the template filled in and submits (API and pages)."""

from __future__ import annotations

from functools import partial

from returns.services.submission import save_draft
from tests import returns_support_submission as rs
from tests.api.audit_writes import Arrange, Users, Write, form

API = "/api/v1/returns/{return_id:int}"
PAGE = "/returns/{return_id:int}"


async def _provider(users: Users, *, drafted: bool = False):  # type: ignore[no-untyped-def]
    s = await rs.setting()
    http, actor = await users.new("provider", delivery_vehicle_id=s.vehicle_id)
    if drafted:
        await save_draft(actor=actor, return_id=s.return_id, figures=rs.figures(s), now=rs.cs.at(rs.AFTER_Q1))
    return http, actor, s


async def _template(http, s: rs.Setting) -> bytes:  # type: ignore[no-untyped-def]
    return (await http.get(f"/api/v1/returns/{s.return_id}/template.csv")).content


async def _figures_api(users: Users) -> Write:
    http, actor, s = await _provider(users)
    send = partial(http.put, f"/api/v1/returns/{s.return_id}/figures", json=rs.figures_json(s))
    return Write(send, "delivery_return.saved", actor.username)


async def _submit_api(users: Users) -> Write:
    http, actor, s = await _provider(users, drafted=True)
    return Write(
        partial(http.post, f"/api/v1/returns/{s.return_id}/submit"), "delivery_return.submitted", actor.username
    )


async def _upload_api(users: Users) -> Write:
    http, actor, s = await _provider(users)
    files = {"file": ("return.csv", await _template(http, s), "text/csv")}
    send = partial(http.post, f"/api/v1/returns/{s.return_id}/upload", files=files)
    return Write(send, "delivery_return.uploaded", actor.username)


async def _edit_page(users: Users) -> Write:
    http, actor, s = await _provider(users)
    data = await form(http, spend_pence="100.00", action="save")
    return Write(partial(http.post, f"/returns/{s.return_id}/edit", data=data), "delivery_return.saved", actor.username)


async def _submit_page(users: Users) -> Write:
    http, actor, s = await _provider(users, drafted=True)
    send = partial(http.post, f"/returns/{s.return_id}/submit", data=await form(http))
    return Write(send, "delivery_return.submitted", actor.username)


async def _upload_page(users: Users) -> Write:
    http, actor, s = await _provider(users)
    files = {"file": ("return.csv", await _template(http, s), "text/csv")}
    send = partial(http.post, f"/returns/{s.return_id}/upload", data=await form(http), files=files)
    return Write(send, "delivery_return.uploaded", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("PUT", f"{API}/figures"): _figures_api,
    ("POST", f"{API}/submit"): _submit_api,
    ("POST", f"{API}/upload"): _upload_api,
    ("POST", f"{PAGE}/edit"): _edit_page,
    ("POST", f"{PAGE}/submit"): _submit_page,
    ("POST", f"{PAGE}/upload"): _upload_page,
}
