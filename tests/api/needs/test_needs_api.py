"""The needs and engagements API: commissioners write their PCPG's, others read in scope; bad input is a problem
naming its field; out of scope is 404 exactly as absent."""

from __future__ import annotations

from typing import Any

from needs.tables import Engagement, Need
from tests import factories
from tests import needs_support as support
from tests.conftest import make_actor

PROBLEM = "application/problem+json"


async def _need_json(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "pcpg_id": await support.pcpg_id(),
        "title": "Adult obesity",
        "description": "More adults live with obesity than the Wales average.",
        "source": "collaborative",
        "collaborative": "gp",
        "cluster_ids": await factories.cluster_ids("Cardiff North"),
        "priority": "medium",
        "population_affected": 1200,
    }
    return {**body, **changes}


def _fields(answer) -> list[str]:
    assert answer.headers["content-type"] == PROBLEM, answer.text
    return [e["field"] for e in answer.json()["errors"]]


async def test_a_commissioner_records_reads_changes_and_links_a_need(client_as):
    http, actor = await client_as("commissioner")
    created = await http.post("/api/v1/needs", json=await _need_json())
    assert created.status_code == 201, created.text
    need = created.json()
    assert need["collaborative_label"] == "GP collaborative" and need["priority_label"] == "Medium priority"
    assert (await http.get(f"/api/v1/needs/{need['id']}")).json()["title"] == "Adult obesity"
    changed = await http.patch(f"/api/v1/needs/{need['id']}", json={"priority": "high"})
    assert changed.status_code == 200 and changed.json()["priority"] == "high"
    priority = await support.priority(actor)
    linked = await http.put(f"/api/v1/needs/{need['id']}/plan-priorities", json={"plan_priority_ids": [priority]})
    assert linked.status_code == 200 and [p["id"] for p in linked.json()["plan_priorities"]] == [priority]
    listed = (await http.get("/api/v1/needs", params={"priority": "high"})).json()
    assert listed["total"] == 1 and listed["items"][0]["plan_priority_count"] == 1
    assert (await http.get("/api/v1/needs", params={"priority": "low"})).json()["total"] == 0


async def test_bad_input_is_a_problem_naming_each_field(client_as):
    http, _ = await client_as("commissioner")
    answer = await http.post("/api/v1/needs", json=await _need_json(priority="urgent"))
    assert answer.status_code == 422 and _fields(answer) == ["priority"]
    answer = await http.post("/api/v1/needs", json=await _need_json(source="pna", collaborative=None))
    assert answer.status_code == 422 and set(_fields(answer)) == {"pna_title", "pna_year"}
    answer = await http.post(
        "/api/v1/needs", json=await _need_json(cluster_ids=await factories.cluster_ids("CityHealth"))
    )
    assert answer.status_code == 422 and _fields(answer) == ["cluster_ids"]
    answer = await http.post("/api/v1/needs", json=await _need_json(pna_link="javascript:alert(1)"))
    assert answer.status_code == 422 and _fields(answer) == ["pna_link"]
    assert await Need.count() == 0


async def test_another_pcpgs_need_is_not_found_exactly_as_a_missing_one(client_as):
    owner = await make_actor("commissioner")
    need = await support.need(owner)
    http, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    hidden = await http.get(f"/api/v1/needs/{need.id}")
    missing = await http.get("/api/v1/needs/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == missing.json()["detail"]
    assert (await http.patch(f"/api/v1/needs/{need.id}", json={"title": "Mine now"})).status_code == 404
    put = await http.put(f"/api/v1/needs/{need.id}/plan-priorities", json={"plan_priority_ids": []})
    assert put.status_code == 404


async def test_readers_read_in_scope_and_may_not_write(client_as):
    owner = await make_actor("commissioner")
    need = await support.need(owner)
    admin, _ = await client_as("national_admin")
    assert (await admin.get(f"/api/v1/needs/{need.id}")).json()["can_change"] is False
    assert (await admin.patch(f"/api/v1/needs/{need.id}", json={"title": "X"})).status_code == 403
    board, _ = await client_as("finance_director")
    assert (await board.get("/api/v1/needs")).json()["total"] == 1
    elsewhere, _ = await client_as("finance_director", health_board_name="Swansea Bay University Health Board")
    assert (await elsewhere.get(f"/api/v1/needs/{need.id}")).status_code == 404
    provider, _ = await client_as("provider")
    assert (await provider.get("/api/v1/needs")).status_code == 403


async def test_engagements_are_recorded_read_and_changed_and_refusals_name_the_field(client_as):
    http, actor = await client_as("commissioner")
    need = await support.need(actor)
    body = {
        "need_id": need.id,
        "kind": "patient_panel",
        "held_on": "2026-11-01",
        "people_reached": 12,
        "groups_reached": "Patient panel members",
        "what_they_said": "Clearer letters",
        "what_changed": "Letters rewritten with the panel",
    }
    created = await http.post("/api/v1/engagements", json=body)
    assert created.status_code == 201, created.text
    engagement = created.json()
    assert engagement["kind_label"] == "Patient panel" and "created_by_username" not in engagement
    changed = await http.patch(f"/api/v1/engagements/{engagement['id']}", json={"people_reached": 15})
    assert changed.json()["people_reached"] == 15
    listed = await http.get("/api/v1/engagements", params={"need": need.id})
    assert listed.json()["total"] == 1
    both = await http.post("/api/v1/engagements", json={**body, "plan_priority_id": await support.priority(actor)})
    assert both.status_code == 422 and _fields(both) == ["need_id"]
    future = await http.post("/api/v1/engagements", json={**body, "held_on": "2099-01-01"})
    assert future.status_code == 422 and _fields(future) == ["held_on"]
    negative = await http.post("/api/v1/engagements", json={**body, "people_reached": -1})
    assert negative.status_code == 422 and _fields(negative) == ["people_reached"]
    assert await Engagement.count() == 1
    other, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    assert (await other.get(f"/api/v1/engagements/{engagement['id']}")).status_code == 404
    assert (await other.patch(f"/api/v1/engagements/{engagement['id']}", json={"people_reached": 1})).status_code == 404
