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


_FILE = "PCPG,Financial year,Funding stream,Amount (£),Note\nCardiff,2029-30,Health board core,1000,\n".encode()


async def _import(users: Users) -> Write:
    http, actor = await users.new("finance_director")
    files = {"file": ("lines.csv", _FILE, "text/csv")}
    return Write(
        partial(http.post, "/api/v1/budget-lines/import", files=files), "budget_lines.imported", actor.username
    )


async def _check_page(users: Users) -> Write:
    http, actor = await users.new("finance_director")
    files = {"file": ("lines.csv", _FILE, "text/csv")}
    send = partial(http.post, "/budgets/import", data=await form(http), files=files)
    return Write(send, "budget_lines.checked", actor.username)


async def _confirm_page(users: Users) -> Write:
    http, actor = await users.new("finance_director")
    checked = await http.post("/budgets/import", data=await form(http), files={"file": ("lines.csv", _FILE)})
    preview = (await http.get(checked.headers["location"])).text
    seen = preview.split('name="seen" value="', 1)[1].split('"', 1)[0]
    send = partial(http.post, checked.headers["location"], data=await form(http, seen=seen))
    return Write(send, "budget_lines.imported", actor.username)


async def _export_page(users: Users) -> Write:
    http, actor = await users.new("finance_director")
    data = await form(http, kind="spend_workbook", group_by="pcpg")
    return Write(partial(http.post, "/finance/exports", data=data), "finance_export.requested", actor.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", "/finance/exports"): _export_page,
    ("POST", "/api/v1/budget-lines"): _create,
    ("PUT", "/api/v1/budget-lines/{budget_line_id:int}"): _change,
    ("POST", "/budgets/new"): _create_page,
    ("POST", "/budgets/{budget_line_id:int}"): _change_page,
    ("POST", "/api/v1/budget-lines/import"): _import,
    ("POST", "/budgets/import"): _check_page,
    ("POST", "/budgets/import/{import_id:int}"): _confirm_page,
}
