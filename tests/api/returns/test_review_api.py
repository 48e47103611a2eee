"""Reviewing a delivery return through the API (issue 13, item 3): accept, query with a comment per field, correct an
accepted return with a reason, and read its history; refusals as RFC 9457 problems naming the field."""

from __future__ import annotations

import msgspec

from returns.tables import ReturnQuery, ReturnVersion
from tests import returns_support_review as rs

PROBLEM = "application/problem+json"


def _fields(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [error["field"] for error in response.json().get("errors", [])]


async def test_the_query_loop_through_the_api(client_as, as_user):
    http, commissioner = await client_as("commissioner")
    found = await rs.submitted(commissioner=commissioner)
    base = f"/api/v1/returns/{found.return_id}"

    empty = await http.post(f"{base}/query", json={"comments": []})
    assert empty.status_code == 422 and empty.headers["content-type"] == PROBLEM and _fields(empty) == ["comments"]
    unknown = await http.post(f"{base}/query", json={"comments": [{"field": "kpi:999999", "comment": "?"}]})
    assert unknown.status_code == 422 and _fields(unknown) == ["comments[0].field"]
    assert await ReturnQuery.count() == 0

    comments = [
        {"field": "spend_pence", "comment": "Why so low?"},
        {"field": f"activity:{found.cluster_ids[1]}", "comment": "Fewer than planned: why?"},
    ]
    queried = await http.post(f"{base}/query", json={"comments": comments})
    assert queried.status_code == 200 and queried.json()["summary"]["status"] == "queried"

    provider = await as_user(found.provider)
    seen = (await provider.get(base)).json()
    assert [(q["field"], q["comment"]) for q in seen["queries"]] == [(c["field"], c["comment"]) for c in comments]
    assert (await http.post(f"{base}/accept")).status_code == 409  # queried: with the vehicle, not to accept

    await rs.submit(found, rs.figures(found, units=(120, 95)))
    accepted = await http.post(f"{base}/accept")
    assert accepted.status_code == 200 and accepted.json()["summary"]["status"] == "accepted"

    history = (await provider.get(f"{base}/history")).json()
    assert [v["version"] for v in history["versions"]] == [2, 1]
    assert history["versions"][0]["changes"] == ["Activity Cardiff South West: 80 -> 95 contacts"]
    assert [q["field"] for q in history["versions"][1]["queries"]] == [c["field"] for c in comments]


async def test_an_accepted_return_is_locked_and_corrected_only_with_a_reason(client_as, as_user):
    http, commissioner = await client_as("commissioner")
    found = await rs.submitted(commissioner=commissioner)
    base = f"/api/v1/returns/{found.return_id}"
    assert (await http.post(f"{base}/accept")).status_code == 200

    again = await http.post(f"{base}/accept")
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM
    assert (
        await http.post(f"{base}/query", json={"comments": [{"field": "risks", "comment": "?"}]})
    ).status_code == 409

    provider = await as_user(found.provider)
    figures = msgspec.to_builtins(rs.figures(found, spend_pence=26_000_00))
    no_reason = await provider.post(f"{base}/corrections", json={"figures": figures, "reason": " "})
    assert no_reason.status_code == 422 and _fields(no_reason) == ["reason"]
    assert await ReturnVersion.count() == 1

    done = await provider.post(f"{base}/corrections", json={"figures": figures, "reason": "Invoice found"})
    assert done.status_code == 200
    body = done.json()
    assert body["delivery_return"]["summary"]["version"] == 2 and body["delivery_return"]["spend_pence"] == 26_000_00
    assert body["delivery_return"]["summary"]["status"] == "accepted" and body["payment_unchanged"] is False


async def test_who_may_review_and_correct(client_as, as_user):
    found = await rs.submitted()
    base = f"/api/v1/returns/{found.return_id}"
    elsewhere, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    finance, _ = await client_as("finance_director")
    provider = await as_user(found.provider)

    assert (await elsewhere.post(f"{base}/accept")).status_code == 404
    assert (await elsewhere.get(f"{base}/history")).status_code == 404
    assert (await provider.post(f"{base}/accept")).status_code == 403
    assert (await finance.post(f"{base}/accept")).status_code == 403
    assert (await finance.post(f"{base}/query", json={"comments": []})).status_code == 403
    assert (await finance.get(f"{base}/history")).status_code == 200  # the health board's finance director reads it
    figures = msgspec.to_builtins(rs.figures(found))
    assert (await finance.post(f"{base}/corrections", json={"figures": figures, "reason": "x"})).status_code == 403
