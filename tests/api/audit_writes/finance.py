"""Writes of finance: a finance director sets and changes budget lines (API and pages)."""

from __future__ import annotations

from functools import partial

from tests import commissioning_support as support
from tests.api.audit_writes import Arrange, Users, Write, form


async def _create(users: Users) -> Write:
    http, actor = await users.new("finance_director")
    body = {
        "pcpg_id": await support.pcpg_id("Cardiff"),
        "financial_year": 2029,
        "funding_stream": "hb_core",
        "amount_pence": 1_000_000,
    }
    return Write(partial(http.post, "/api/v1/budget-lines", json=body), "budget_line.created", actor.username)


async def _change(users: Users) -> Write:
    http, actor = await users.new("finance_director")
    line = await support.budget_line()
    send = partial(http.put, f"/api/v1/budget-lines/{line.id}", json={"amount_pence": 200_000_000})
    return Write(send, "budget_line.changed", actor.username)


async def _create_page(users: Users) -> Write:
    http, actor = await users.new("finance_director")
    data = await form(
        http,
        pcpg_id=str(await support.pcpg_id("Cardiff")),
        financial_year="2027",
        funding_stream="hb_core",
        amount="1000",
    )
    return Write(partial(http.post, "/budgets/new", data=data), "budget_line.created", actor.username)


async def _change_page(users: Users) -> Write:
    http, actor = await users.new("finance_director")
    line = await support.budget_line()
    send = partial(http.post, f"/budgets/{line.id}", data=await form(http, amount="2000000", note=""))
    return Write(send, "budget_line.changed", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", "/api/v1/budget-lines"): _create,
    ("PUT", "/api/v1/budget-lines/{budget_line_id:int}"): _change,
    ("POST", "/budgets/new"): _create_page,
    ("POST", "/budgets/{budget_line_id:int}"): _change_page,
}
