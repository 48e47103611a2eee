"""The maturity API: JSON in and out, RFC 9457 problems naming each field, and scope (out of scope is 404 exactly
as absent)."""

from __future__ import annotations

from maturity.schemas import ReviewerIn
from maturity.services import assessments
from tests.maturity_support import NOW, all_answers, reviewed, submitted, world
from tests.pages.markup import PROBLEM


async def test_the_matrix_lists_seven_domains_in_order_with_four_levels_in_both_languages(as_user):
    w = await world()
    http = await as_user(w.provider)
    response = await http.get("/api/v1/maturity/domains")
    assert response.status_code == 200
    domains = response.json()
    assert [d["name"] for d in domains] == [
        "Governance",
        "Finance",
        "Workforce",
        "Service delivery",
        "Partnership",
        "Data and reporting",
        "Patient engagement",
    ]
    assert all(len(d["levels"]) == 4 and all(level["descriptor_cy"] for level in d["levels"]) for d in domains)


async def test_changing_a_domain_refuses_an_emptied_field_by_name_and_only_admins_may(as_user):
    w = await world()
    first = w.domain_ids[0]
    http = await as_user(w.admin)
    refused = await http.patch(
        f"/api/v1/maturity/domains/{first}", json={"name": "", "levels": [{"level": 3, "descriptor_cy": "  "}]}
    )
    assert refused.status_code == 422 and refused.headers["content-type"].startswith(PROBLEM)
    assert {e["field"] for e in refused.json()["errors"]} == {"level_3_cy", "name"}
    changed = await http.patch(
        f"/api/v1/maturity/domains/{first}", json={"levels": [{"level": 3, "descriptor": "The board reviews risk."}]}
    )
    assert changed.status_code == 200 and changed.json()["levels"][2]["descriptor"] == "The board reviews risk."
    assert changed.json()["name"] == "Governance"
    commissioner = await as_user(w.commissioner)
    assert (await commissioner.patch(f"/api/v1/maturity/domains/{first}", json={"name": "X"})).status_code == 403


async def test_submitting_an_incomplete_self_assessment_names_every_missing_field(as_user):
    w = await world()
    http = await as_user(w.provider)
    started = await http.post("/api/v1/maturity/assessments")
    assert started.status_code == 201 and started.json()["status_label"] == "Draft"
    base = started.headers["location"]
    first = w.domain_ids[0]
    saved = await http.put(
        f"{base}/self-assessment", json={"answers": [{"domain_id": first, "level": 3, "evidence": "Minutes"}]}
    )
    assert saved.status_code == 200
    refused = await http.post(f"{base}/submit")
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.json()["errors"]}
    assert len(fields) == 12 and f"level-{first}" not in fields and f"evidence-{w.domain_ids[1]}" in fields
    out_of_range = await http.put(f"{base}/self-assessment", json={"answers": [{"domain_id": first, "level": 5}]})
    assert out_of_range.status_code == 422 and "answers[0].level" in out_of_range.json()["errors"][0]["field"]
    unknown = await http.put(f"{base}/self-assessment", json={"answers": [{"domain_id": 999999, "level": 2}]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "answers"
    again = await http.post("/api/v1/maturity/assessments")
    assert again.status_code == 409


async def test_naming_a_reviewer_who_is_not_a_peer_is_a_problem_on_reviewer_id(as_user):
    w = await world()
    assessment_id = await submitted(w)
    http = await as_user(w.commissioner)
    refused = await http.post(
        f"/api/v1/maturity/assessments/{assessment_id}/reviewer", json={"reviewer_id": w.commissioner.user_id}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reviewer_id"
    named = await http.post(
        f"/api/v1/maturity/assessments/{assessment_id}/reviewer", json={"reviewer_id": w.peer.user_id}
    )
    assert named.status_code == 200 and named.json()["reviewer_name"] == "Peredur Peer"
    assert named.json()["status_label"] == "Under peer review"


async def test_a_different_level_without_a_comment_is_a_problem_on_that_domains_comment(as_user):
    w = await world()
    assessment_id = await submitted(w, level=2)
    await assessments.name_reviewer(
        actor=w.commissioner, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
    )
    http = await as_user(w.peer)
    base = f"/api/v1/maturity/assessments/{assessment_id}"
    early = await http.put(f"{base}/review", json={"answers": []})
    assert early.status_code == 409  # declare first
    declared = await http.post(f"{base}/declaration", json={"conflict": False})
    assert declared.status_code == 200 and len(declared.json()["answers"]) == 7
    first = w.domain_ids[0]
    refused = await http.put(f"{base}/review", json={"answers": [{"domain_id": first, "level": 4}]})
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == [f"comment-{first}"]


async def test_confirming_names_a_missing_level_and_reason(as_user):
    w = await world()
    assessment_id = await reviewed(w, level=2)
    http = await as_user(w.commissioner)
    first, second = w.domain_ids[:2]
    body = {"answers": [{"domain_id": first, "level": 3}]}
    refused = await http.post(f"/api/v1/maturity/assessments/{assessment_id}/confirm", json=body)
    assert refused.status_code == 422
    fields = [e["field"] for e in refused.json()["errors"]]
    assert fields[0] == f"level-{first}" or f"reason-{first}" in fields
    assert f"level-{second}" in fields


async def test_assessments_out_of_scope_are_not_found_exactly_as_absent(as_user):
    w = await world()
    assessment_id = await submitted(w)
    draft_vehicle_user = w.provider
    for outsider in (w.peer, w.other_commissioner):
        http = await as_user(outsider)
        hidden = await http.get(f"/api/v1/maturity/assessments/{assessment_id}")
        absent = await http.get("/api/v1/maturity/assessments/999999")
        assert hidden.status_code == absent.status_code == 404
        assert hidden.json()["detail"] == absent.json()["detail"]
        assert (await http.get("/api/v1/maturity/assessments")).json()["total"] == 0
    commissioner = await as_user(w.commissioner)
    assert (await commissioner.get(f"/api/v1/maturity/assessments/{assessment_id}")).status_code == 200
    own = await as_user(draft_vehicle_user)
    assert (await own.get("/api/v1/maturity/assessments")).json()["total"] == 1


async def test_a_draft_is_seen_only_by_its_vehicle_and_the_named_reviewer_only_what_they_review(as_user):
    w = await world()
    draft_id = await assessments.start_assessment(actor=w.provider, now=NOW)
    await assessments.save_self_assessment(actor=w.provider, assessment_id=draft_id, data=all_answers(w), now=NOW)
    commissioner = await as_user(w.commissioner)
    assert (await commissioner.get(f"/api/v1/maturity/assessments/{draft_id}")).status_code == 404
    await assessments.submit_self_assessment(actor=w.provider, assessment_id=draft_id, now=NOW)
    await assessments.name_reviewer(
        actor=w.commissioner, assessment_id=draft_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
    )
    peer = await as_user(w.peer)
    listed = (await peer.get("/api/v1/maturity/assessments")).json()
    assert [a["id"] for a in listed["items"]] == [draft_id] and listed["items"][0]["reader_is_reviewer"]
    seen = (await peer.get(f"/api/v1/maturity/assessments/{draft_id}")).json()
    assert seen["answers"] == [] and seen["actions"]["declare"]
    assert (await peer.get(f"/api/v1/maturity/delivery-vehicles/{w.vehicle_id}")).status_code == 404
