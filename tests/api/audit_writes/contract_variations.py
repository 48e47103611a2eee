"""Writes of contract variations: a commissioner proposes (API and page), another approves or rejects."""

from __future__ import annotations

from datetime import date
from functools import partial

from contracts.rules import VariationKind
from contracts.schemas.variation import VariationIn, YearValueIn
from contracts.services.variations import propose_variation
from tests import commissioning_support as support
from tests import contracts_support_variations as cs
from tests.api.audit_writes import Arrange, Users, Write, form

BASE = "/api/v1/contracts/{contract_id:int}/variations"
PAGES = "/contracts/{contract_id:int}/variations"
RAISE = {
    "kind": "price_change",
    "reason": "More sessions",
    "effective_on": "2028-04-01",
    "annual_values": [
        {"financial_year": 2027, "value_pence": 100_000_00},
        {"financial_year": 2028, "value_pence": 135_000_00},
    ],
}


async def _proposed() -> cs.Made:
    made = await cs.contract()
    change = VariationIn(
        kind=VariationKind.PRICE_CHANGE,
        reason="More sessions",
        effective_on=date(2028, 4, 1),
        annual_values=[YearValueIn(2027, 100_000_00), YearValueIn(2028, 135_000_00)],
    )
    await propose_variation(actor=made.proposer, contract_id=made.contract_id, change=change, now=support.now())
    return made


async def _propose(users: Users) -> Write:
    made = await cs.contract()
    http, actor = await users.new("commissioner")
    send = partial(http.post, f"/api/v1/contracts/{made.contract_id}/variations", json=RAISE)
    return Write(send, "contract_variation.proposed", actor.username)


async def _decide(users: Users, *, how: str, role: str, page: bool) -> Write:
    made = await _proposed()
    http, actor = await users.new(role)
    note = {"note": "Not funded"}
    if page:
        send = partial(http.post, f"/contracts/{made.contract_id}/variations/1/{how}", data=await form(http, **note))
    else:
        send = partial(http.post, f"/api/v1/contracts/{made.contract_id}/variations/1/{how}", json=note)
    return Write(
        send, f"contract_variation.{how}d" if how == "approve" else "contract_variation.rejected", actor.username
    )


async def _propose_page(users: Users) -> Write:
    made = await cs.contract()
    http, actor = await users.new("commissioner")
    data = await form(
        http,
        kind="price_change",
        reason="More sessions",
        **{"effective-day": "1", "effective-month": "4", "effective-year": "2028"},
        **{"year-2027-value": "100000.00", "year-2028-value": "135000.00"},
        cluster_ids=str(await cs.cluster_id(cs.NORTH)),
        payment_timing="in_arrears",
        **{"kpi-0-target": "80", "kpi-0-green_from": "", "kpi-0-red_from": ""},
        confirm="yes",
    )
    send = partial(http.post, f"/contracts/{made.contract_id}/variations/new", data=data)
    return Write(send, "contract_variation.proposed", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", BASE): _propose,
    ("POST", BASE + "/{number:int}/approve"): partial(_decide, how="approve", role="national_admin", page=False),
    ("POST", BASE + "/{number:int}/reject"): partial(_decide, how="reject", role="commissioner", page=False),
    ("POST", PAGES + "/new"): _propose_page,
    ("POST", PAGES + "/{number:int}/approve"): partial(_decide, how="approve", role="commissioner", page=True),
    ("POST", PAGES + "/{number:int}/reject"): partial(_decide, how="reject", role="national_admin", page=True),
}
