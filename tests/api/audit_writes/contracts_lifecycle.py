"""Writes of a contract's lifecycle: a commissioner of its PCPG moves it and, while mobilising, sets its KPI
thresholds and split by cluster (API and pages)."""

from __future__ import annotations

from datetime import date
from functools import partial

from contracts.tables import ContractKpi
from tests import contracts_support_lifecycle as cs
from tests import factories
from tests.api.audit_writes import Arrange, Users, Write, form


async def _contract(users: Users, status: str = "mobilising", **options):  # type: ignore[no-untyped-def]
    await cs.clock_on(date(2027, 6, 1))
    http, actor = await users.new("commissioner")
    contract_id = await cs.contract(commissioner=actor, **options)
    if status != "mobilising":
        await cs.set_status(contract_id, status)
    return http, actor, contract_id


def _api(path: str, action: str, status: str = "mobilising", method: str = "post", body=None, **options) -> Arrange:  # type: ignore[no-untyped-def]
    async def arrange(users: Users) -> Write:
        http, actor, contract_id = await _contract(users, status, **options)
        payload = body(contract_id) if callable(body) else body
        send = partial(getattr(http, method), f"/api/v1/contracts/{contract_id}/{path}", json=payload)
        return Write(send, action, actor.username)

    return arrange


def _page(path: str, action: str, status: str = "mobilising", values=None, **options) -> Arrange:  # type: ignore[no-untyped-def]
    async def arrange(users: Users) -> Write:
        http, actor, contract_id = await _contract(users, status, **options)
        answers = values(contract_id) if callable(values) else dict(values or {})
        data = await form(http, **answers)
        return Write(partial(http.post, f"/contracts/{contract_id}/{path}", data=data), action, actor.username)

    return arrange


TERMINATION = {"terminated_on": "2027-06-30", "reason": "Provider closed"}


def _thresholds(kpi_ids: list[int]) -> dict:
    return {"thresholds": [{"kpi_id": kpi_id, "green_from": "90", "red_from": "75"} for kpi_id in kpi_ids]}


async def _kpis_api(users: Users) -> Write:
    http, actor, contract_id = await _contract(users)
    ids = [k["id"] for k in await ContractKpi.select(ContractKpi.id).where(ContractKpi.contract == contract_id)]
    send = partial(http.put, f"/api/v1/contracts/{contract_id}/kpis", json=_thresholds(ids))
    return Write(send, "contract.kpis_set", actor.username)


async def _kpis_page(users: Users) -> Write:
    http, actor, contract_id = await _contract(users)
    ids = [k["id"] for k in await ContractKpi.select(ContractKpi.id).where(ContractKpi.contract == contract_id)]
    answers = {f"kpi-{i}-{part}": value for i in ids for part, value in (("green_from", "90"), ("red_from", "75"))}
    send = partial(http.post, f"/contracts/{contract_id}/kpis", data=await form(http, **answers))
    return Write(send, "contract.kpis_set", actor.username)


async def _percentages() -> list[dict]:
    east, west = await factories.cluster_ids(*cs.WITHOUT_POPULATION)
    return [{"cluster_id": east, "percent": "50"}, {"cluster_id": west, "percent": "50"}]


async def _allocations_api(users: Users) -> Write:
    http, actor, contract_id = await _contract(users, clusters=cs.WITHOUT_POPULATION)
    body = {"percentages": await _percentages()}
    send = partial(http.put, f"/api/v1/contracts/{contract_id}/allocations", json=body)
    return Write(send, "contract.allocated", actor.username)


async def _allocations_page(users: Users) -> Write:
    http, actor, contract_id = await _contract(users, clusters=cs.WITHOUT_POPULATION)
    answers = {"method": "percentages", **{f"percent-{p['cluster_id']}": p["percent"] for p in await _percentages()}}
    send = partial(http.post, f"/contracts/{contract_id}/allocations", data=await form(http, **answers))
    return Write(send, "contract.allocated", actor.username)


API = "/api/v1/contracts/{contract_id:int}"
PAGE = "/contracts/{contract_id:int}"

WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", f"{API}/mobilise"): _api("mobilise", "contract.mobilised"),
    ("POST", f"{API}/suspend"): _api("suspend", "contract.suspended", "live", body={"reason": "Premises flooded"}),
    ("POST", f"{API}/resume"): _api("resume", "contract.resumed", "suspended"),
    ("POST", f"{API}/terminate"): _api("terminate", "contract.terminated", "live", body=TERMINATION),
    ("PUT", f"{API}/kpis"): _kpis_api,
    ("PUT", f"{API}/allocations"): _allocations_api,
    ("POST", f"{PAGE}/mobilise"): _page("mobilise", "contract.mobilised", values={"confirm": "yes"}),
    ("POST", f"{PAGE}/suspend"): _page(
        "suspend", "contract.suspended", "live", values={"reason": "Premises flooded", "confirm": "yes"}
    ),
    ("POST", f"{PAGE}/resume"): _page("resume", "contract.resumed", "suspended", values={"confirm": "yes"}),
    ("POST", f"{PAGE}/terminate"): _page(
        "terminate", "contract.terminated", "live", values={**TERMINATION, "confirm": "yes"}
    ),
    ("POST", f"{PAGE}/kpis"): _kpis_page,
    ("POST", f"{PAGE}/allocations"): _allocations_page,
}
