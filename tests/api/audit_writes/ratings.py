"""Writes of the annual performance rating: a commissioner of the contract's PCPG rates a year that has ended (API and
page)."""

from __future__ import annotations

from datetime import date
from functools import partial

from tests import contracts_support_lifecycle as cs
from tests import returns_support_reminders as rs
from tests.api.audit_writes import Users, Write, form

API = "/api/v1/contracts/{contract_id:int}/ratings"
PAGE = "/contracts/{contract_id:int}/ratings"


async def _contract(users: Users):  # type: ignore[no-untyped-def]
    await cs.clock_on(date(2028, 4, 3))  # 2027-28 has ended
    http, actor = await users.new("commissioner")
    contract_id = await cs.contract(years=(2027, 2028), commissioner=actor)
    return http, actor, contract_id, await rs.kpis(contract_id)


async def _api(users: Users) -> Write:
    http, actor, contract_id, kpis = await _contract(users)
    body = {"financial_year": 2027, "ratings": [{"contract_kpi_id": k, "rating": "good"} for k in kpis]}
    return Write(
        partial(http.post, f"/api/v1/contracts/{contract_id}/ratings", json=body),
        "performance_rating.recorded",
        actor.username,
    )


async def _page(users: Users) -> Write:
    http, actor, contract_id, kpis = await _contract(users)
    answers = {"financial_year": "2027", "confirm": "yes", **{f"kpi-{k}": "good" for k in kpis}}
    data = await form(http, **answers)
    return Write(
        partial(http.post, f"/contracts/{contract_id}/ratings", data=data),
        "performance_rating.recorded",
        actor.username,
    )


WRITES = {
    ("POST", API): _api,
    ("POST", PAGE): _page,
}
