"""Writes of the commissioner's review of a delivery return (API and pages): accept or query a submitted return, and
correct an accepted one with a reason (tests/returns_support_review.py puts the return into "submitted")."""

from __future__ import annotations

from functools import partial

import msgspec

from returns.services import review
from tests import contracts_support_lifecycle as cs
from tests import returns_support_review as rs
from tests.api.audit_writes import Arrange, Users, Write, form

API = "/api/v1/returns/{return_id:int}"
PAGE = "/returns/{return_id:int}"


async def _submitted(users: Users):  # type: ignore[no-untyped-def]
    http, actor = await users.new("commissioner")
    found = await rs.submitted(commissioner=actor)
    return http, actor, found


def _decision(path: str, action: str, body=None, page: bool = False) -> Arrange:  # type: ignore[no-untyped-def]
    async def arrange(users: Users) -> Write:
        http, actor, found = await _submitted(users)
        payload = body(found) if callable(body) else body
        if page:
            send = partial(http.post, f"/returns/{found.return_id}/{path}", data=await form(http, **(payload or {})))
        else:
            send = partial(http.post, f"/api/v1/returns/{found.return_id}/{path}", json=payload)
        return Write(send, action, actor.username)

    return arrange


def _query_body(found: rs.Submitted) -> dict:
    return {"comments": [{"field": "spend_pence", "comment": "Why so low?"}]}


def _correction(*, page: bool) -> Arrange:
    async def arrange(users: Users) -> Write:
        http, actor, found = await _submitted(users)
        await review.accept_return(actor=actor, return_id=found.return_id, now=cs.at(rs.REVIEW_DAY))
        figures = rs.figures(found, spend_pence=25_100_00)
        if page:
            answers = {
                "spend_pence": "25100.00",
                **{f"activity:{a.cluster_id}": str(a.units) for a in figures.activity},
                **{f"kpi:{k.contract_kpi_id}": k.value for k in figures.kpi_values},
                "narrative": figures.narrative,
                "workforce:nursing_midwifery": "2.5",
                "reason": "A late invoice",
                "confirm": "yes",
            }
            send = partial(http.post, f"/returns/{found.return_id}/correct", data=await form(http, **answers))
        else:
            body = {"figures": msgspec.to_builtins(figures), "reason": "A late invoice"}
            send = partial(http.post, f"/api/v1/returns/{found.return_id}/corrections", json=body)
        return Write(send, "delivery_return.corrected", actor.username)

    return arrange


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", f"{API}/accept"): _decision("accept", "delivery_return.accepted"),
    ("POST", f"{API}/query"): _decision("query", "delivery_return.queried", _query_body),
    ("POST", f"{API}/corrections"): _correction(page=False),
    ("POST", f"{PAGE}/accept"): _decision("accept", "delivery_return.accepted", page=True),
    ("POST", f"{PAGE}/query"): _decision(
        "query", "delivery_return.queried", {"comment-spend_pence": "Why so low?", "confirm": "yes"}, page=True
    ),
    ("POST", f"{PAGE}/correct"): _correction(page=True),
}
