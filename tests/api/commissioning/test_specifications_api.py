"""The specifications, plans and clarifications API: JSON in and out, status codes, problem details naming the field,
the 409 on publishing beyond headroom, and scope (another PCPG's drafts and actions are not found)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from audit.tables import AuditEvent
from commissioning.tables import Specification
from finance import queries as finance_queries
from finance.tables import BudgetEarmark
from tests import commissioning_support as support
from tests import factories

PROBLEM = "application/problem+json"


def _deadline(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def _body(lines: list[Any], *, value_pence: int = 20_000_000, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "pcpg_id": await support.pcpg_id("Cardiff"),
        "menu_service_id": await support.service_id("obesity"),
        "start_financial_year": 2027,
        "term_years": len(lines),
        "cluster_ids": await factories.cluster_ids("Cardiff North", "Cardiff West"),
        "years": [
            {"financial_year": line.financial_year, "max_value_pence": value_pence, "budget_line_id": line.id}
            for line in lines
        ],
        "bid_deadline_at": _deadline(),
        "clarification_contact": "commissioning@example.org",
    }
    return {**body, **changes}


async def _create(http: httpx.AsyncClient, lines: list[Any], **changes: Any) -> dict[str, Any]:
    response = await http.post("/api/v1/specifications", json=await _body(lines, **changes))
    assert response.status_code == 201, response.text
    return response.json()


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    return body


def _fields(problem: dict[str, Any]) -> list[str]:
    return [error["field"] for error in problem.get("errors", [])]


# Creating and reading


async def test_a_commissioner_creates_a_draft_and_gets_it_back_whole(client_as, menu):
    http, _ = await client_as("commissioner")
    lines = await support.lines_for_term()
    spec = await _create(http, lines)
    assert (spec["status"], spec["reference"], spec["title"], spec["title_cy"]) == (
        "draft",
        "CDV-2027-0001",
        "Obesity",
        "Gordewdra",
    )
    assert (spec["pcpg"], spec["menu_service_version"], spec["price_weight"]) == ("Cardiff", 1, 40)
    assert [c["name"] for c in spec["clusters"]] == ["Cardiff North", "Cardiff West"]
    assert [(y["label"], y["max_value_pence"], y["budget_line_id"]) for y in spec["years"]] == [
        ("2027-28", 20_000_000, lines[0].id),
        ("2028-29", 20_000_000, lines[1].id),
    ]
    assert spec["total_max_value_pence"] == 40_000_000
    assert len(spec["kpis"]) == 3 and len(spec["criteria"]) == 3
    assert all(len(c["descriptors"]) == 6 for c in spec["criteria"])
    again = await http.get(f"/api/v1/specifications/{spec['id']}")
    assert again.status_code == 200 and again.json() == spec


async def test_weights_not_summing_to_100_is_a_422_naming_the_criteria(client_as, menu):
    http, _ = await client_as("commissioner")
    descriptors = [{"en": f"{n}", "cy": f"{n}"} for n in range(6)]
    response = await http.post(
        "/api/v1/specifications",
        json=await _body(
            await support.lines_for_term(),
            criteria=[{"title": "Model", "title_cy": "Model", "weight": 50, "descriptors": descriptors}],
            price_weight=40,
        ),
    )
    problem = _problem(response, 422)
    assert _fields(problem) == ["criteria"]
    assert problem["detail"] == "The quality weights and the price weight must add up to 100"
    assert await Specification.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cluster_ids": "AFAN"}, "cluster_ids"),
        ({"bid_deadline_at": "2020-01-01T12:00:00Z"}, "bid_deadline_at"),
        ({"bid_deadline_at": "2207-01-01T12:00:00Z"}, "bid_deadline_at"),  # a mistyped year (issue 11, item 7)
        ({"plan_priority_id": 999_999}, "plan_priority_id"),
        ({"menu_service_id": 999_999}, "menu_service_id"),
        ({"start_financial_year": 2030, "term_years": 1}, "years"),
    ],
)
async def test_a_draft_breaking_a_rule_is_a_422_naming_the_field(client_as, menu, changes, field):
    http, _ = await client_as("commissioner")
    lines = await support.lines_for_term()
    if changes.get("cluster_ids") == "AFAN":
        changes = {"cluster_ids": await factories.cluster_ids("Afan")}
    problem = _problem(await http.post("/api/v1/specifications", json=await _body(lines, **changes)), 422)
    assert _fields(problem) == [field]
    assert await Specification.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"term_years": 6}, "term_years"),
        ({"procurement_route": "open_tender"}, "procurement_route"),
        ({"price_weight": 101}, "price_weight"),
        ({"colour": "blue"}, "colour"),
    ],
)
async def test_a_body_that_does_not_fit_the_schema_is_a_422_naming_the_field(client_as, menu, changes, field):
    http, _ = await client_as("commissioner")
    problem = _problem(
        await http.post("/api/v1/specifications", json=await _body(await support.lines_for_term(), **changes)), 422
    )
    assert field in _fields(problem)
    assert await Specification.count() == 0


async def test_the_list_has_items_total_limit_and_offset_and_shows_drafts_only_to_their_pcpg(client, client_as, menu):
    cardiff, _ = await client_as("commissioner")
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    lines = await support.lines_for_term(amount_pence=100_000_000)
    drafts = [await _create(cardiff, lines) for _ in range(3)]
    published = await cardiff.post(f"/api/v1/specifications/{drafts[0]['id']}/publish")
    assert published.status_code == 200
    own = (await cardiff.get("/api/v1/specifications?limit=2&offset=1")).json()
    assert set(own) == {"items", "total", "limit", "offset"}
    assert (own["total"], own["limit"], own["offset"]) == (3, 2, 1)
    assert [item["id"] for item in own["items"]] == [drafts[1]["id"], drafts[0]["id"]], "newest first"
    assert (await cardiff.get("/api/v1/specifications?status=draft")).json()["total"] == 2
    public = (await client.get("/api/v1/specifications")).json()
    assert [item["id"] for item in public["items"]] == [drafts[0]["id"]]
    assert [item["id"] for item in (await swansea.get("/api/v1/specifications")).json()["items"]] == [drafts[0]["id"]]
    open_now = (await swansea.get("/api/v1/specifications?open=true")).json()
    assert [(item["id"], item["status"]) for item in open_now["items"]] == [(drafts[0]["id"], "published")]
    assert (await cardiff.get("/api/v1/specifications?status=sold")).status_code == 422


async def test_the_list_filters_by_pcpg_health_board_and_service(client_as, menu):
    cardiff, _ = await client_as("commissioner")
    spec = await _create(cardiff, await support.lines_for_term())
    board = spec["health_board_id"]
    obesity, addiction = await support.service_id("obesity"), await support.service_id("addiction")
    assert (await cardiff.get(f"/api/v1/specifications?health_board={board}")).json()["total"] == 1
    assert (await cardiff.get(f"/api/v1/specifications?pcpg={spec['pcpg_id']}&service={obesity}")).json()["total"] == 1
    assert (await cardiff.get(f"/api/v1/specifications?service={addiction}")).json()["total"] == 0
    swansea_pcpg = await support.pcpg_id("Swansea Bay")
    assert (await cardiff.get(f"/api/v1/specifications?pcpg={swansea_pcpg}")).json()["total"] == 0


# Scope: another PCPG's specifications


async def test_a_swansea_bay_commissioner_can_neither_read_nor_touch_a_cardiff_draft(client, client_as, menu):
    cardiff, _ = await client_as("commissioner")
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    spec = await _create(cardiff, await support.lines_for_term())
    path = f"/api/v1/specifications/{spec['id']}"
    assert _problem(await swansea.get(path), 404)
    assert _problem(await swansea.patch(path, json={"title": "Taken"}), 404)
    assert _problem(await swansea.get(f"{path}/ledger-effect"), 404)
    assert _problem(await swansea.post(f"{path}/publish"), 404)
    assert _problem(await swansea.post(f"{path}/cancel", json={"reason": "Not ours"}), 404)
    assert _problem(await client.get(path), 404)
    assert await BudgetEarmark.count() == 0
    assert (await cardiff.get(path)).json()["title"] == "Obesity"


async def test_a_swansea_bay_commissioner_cannot_publish_or_cancel_a_published_cardiff_specification(client_as, menu):
    cardiff, _ = await client_as("commissioner")
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    spec = await _create(cardiff, await support.lines_for_term())
    assert (await cardiff.post(f"/api/v1/specifications/{spec['id']}/publish")).status_code == 200
    path = f"/api/v1/specifications/{spec['id']}"
    assert (await swansea.get(path)).status_code == 200, "published specifications are open data"
    assert _problem(await swansea.post(f"{path}/cancel", json={"reason": "Not ours"}), 404)
    assert _problem(await swansea.post(f"{path}/begin-evaluation"), 404)
    assert (await swansea.get(path)).json()["status"] == "published"


# Changing a draft


async def test_a_patch_changes_only_the_fields_given(client_as, menu):
    http, _ = await client_as("commissioner")
    spec = await _create(http, await support.lines_for_term())
    response = await http.patch(
        f"/api/v1/specifications/{spec['id']}", json={"title": "Weight management", "term_years": 1}
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["title"], changed["title_cy"], changed["term_years"]) == ("Weight management", "Gordewdra", 1)
    assert [y["financial_year"] for y in changed["years"]] == [2027], "the year beyond the new term is dropped"


async def test_a_patch_that_breaks_the_weights_is_a_422_naming_price_weight(client_as, menu):
    http, _ = await client_as("commissioner")
    spec = await _create(http, await support.lines_for_term())
    problem = _problem(await http.patch(f"/api/v1/specifications/{spec['id']}", json={"price_weight": 55}), 422)
    assert _fields(problem) == ["price_weight"]
    assert (await http.get(f"/api/v1/specifications/{spec['id']}")).json()["price_weight"] == 40


async def test_a_published_specification_cannot_be_patched(client_as, menu):
    http, _ = await client_as("commissioner")
    spec = await _create(http, await support.lines_for_term())
    await http.post(f"/api/v1/specifications/{spec['id']}/publish")
    problem = _problem(await http.patch(f"/api/v1/specifications/{spec['id']}", json={"title": "Late"}), 409)
    assert "Open for bids" in problem["detail"]  # the status by its label, not its stored code


# Publishing


async def test_the_ledger_effect_shows_each_line_before_and_after(client_as, menu):
    http, _ = await client_as("commissioner")
    lines = await support.lines_for_term(amount_pence=22_000_000)
    spec = await _create(http, lines, value_pence=20_000_000)
    response = await http.get(f"/api/v1/specifications/{spec['id']}/ledger-effect")
    assert response.status_code == 200
    effects = response.json()
    assert [
        (e["budget_line_id"], e["label"], e["headroom_before_pence"], e["earmark_pence"], e["headroom_after_pence"])
        for e in effects
    ] == [
        (lines[0].id, "Cardiff, 2027-28, Cluster funding", 22_000_000, 20_000_000, 2_000_000),
        (lines[1].id, "Cardiff, 2028-29, Cluster funding", 22_000_000, 20_000_000, 2_000_000),
    ]
    assert all(e["fits"] and e["warning"] and e["shortfall_pence"] == 0 for e in effects)


async def test_publishing_answers_with_the_published_specification_and_earmarks_each_year(client_as, menu):
    http, _ = await client_as("commissioner")
    lines = await support.lines_for_term(amount_pence=50_000_000)
    spec = await _create(http, lines, value_pence=20_000_000)
    response = await http.post(f"/api/v1/specifications/{spec['id']}/publish")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["specification"]["status"] == "published"
    assert body["specification"]["published_at"] is not None
    assert body["warnings"] == []
    for line in lines:
        ledger = (await http.get(f"/api/v1/budget-lines/{line.id}/ledger")).json()
        assert (ledger["earmarked_pence"], ledger["headroom_pence"]) == (20_000_000, 30_000_000)
    again = await http.post(f"/api/v1/specifications/{spec['id']}/publish")
    assert _problem(again, 409)
    assert await BudgetEarmark.count() == 2


async def test_publishing_beyond_headroom_is_a_409_naming_the_line_the_year_and_the_shortfall(client_as, menu):
    http, _ = await client_as("commissioner")
    roomy = await support.budget_line(year=2027, amount_pence=50_000_000)
    tight = await support.budget_line(year=2028, amount_pence=15_000_000)
    spec = await _create(http, [roomy, tight], value_pence=20_000_000)
    events_before = await AuditEvent.count()
    problem = _problem(await http.post(f"/api/v1/specifications/{spec['id']}/publish"), 409)
    assert "2028-29" in problem["detail"]
    assert "£50,000.00" in problem["detail"]
    assert "Cardiff, 2028-29, Cluster funding" in problem["detail"] and f"#{tight.id}" not in problem["detail"]
    assert (problem["budget_line_id"], problem["financial_year"], problem["shortfall_pence"]) == (
        tight.id,
        2028,
        5_000_000,
    )
    assert _fields(problem) == ["years"]
    assert await BudgetEarmark.count() == 0
    assert await AuditEvent.count() == events_before
    assert (await http.get(f"/api/v1/specifications/{spec['id']}")).json()["status"] == "draft"
    assert (await finance_queries.ledgers([roomy.id]))[roomy.id].earmarked_pence == 0


async def test_publishing_an_incomplete_draft_is_a_422_listing_every_problem_by_field(client_as, menu):
    http, _ = await client_as("commissioner")
    spec = await _create(http, [], years=[], cluster_ids=[], bid_deadline_at=None, term_years=2)
    problem = _problem(await http.post(f"/api/v1/specifications/{spec['id']}/publish"), 422)
    by_field = {error["field"]: error["message"] for error in problem["errors"]}
    assert by_field == {
        "cluster_ids": "Select the clusters the service covers",
        "years": "Give a maximum value for each financial year of the term",
        "bid_deadline_at": "Set the bid deadline",
    }


# Cancelling and evaluation


async def test_cancelling_releases_the_earmarks_and_needs_a_reason(client_as, menu):
    http, _ = await client_as("commissioner")
    lines = await support.lines_for_term()
    spec = await _create(http, lines)
    await http.post(f"/api/v1/specifications/{spec['id']}/publish")
    path = f"/api/v1/specifications/{spec['id']}/cancel"
    assert "reason" in _fields(_problem(await http.post(path, json={}), 422))
    assert "reason" in _fields(_problem(await http.post(path, json={"reason": ""}), 422))
    assert _fields(_problem(await http.post(path, json={"reason": "   "}), 422)) == ["reason"]
    response = await http.post(path, json={"reason": "Need met elsewhere"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancellation_reason"]) == ("cancelled", "Need met elsewhere")
    ledger = (await http.get(f"/api/v1/budget-lines/{lines[0].id}/ledger")).json()
    assert ledger["earmarked_pence"] == 0
    assert _problem(await http.post(path, json={"reason": "Again"}), 409)


async def test_evaluation_cannot_begin_before_the_deadline(client_as, menu):
    http, _ = await client_as("commissioner")
    spec = await _create(http, await support.lines_for_term())
    await http.post(f"/api/v1/specifications/{spec['id']}/publish")
    problem = _problem(await http.post(f"/api/v1/specifications/{spec['id']}/begin-evaluation"), 409)
    assert "Open for bids" in problem["detail"]  # the status by its label, not its stored code


async def test_evaluation_begins_once_the_clock_passes_the_deadline(client_as, menu):
    http, _ = await client_as("commissioner")
    admin, _ = await client_as("national_admin")
    spec = await _create(http, await support.lines_for_term(), bid_deadline_at=_deadline(days=2))
    await http.post(f"/api/v1/specifications/{spec['id']}/publish")
    moved = await admin.put("/api/v1/admin/clock", json={"now": _deadline(days=3)})
    assert moved.status_code == 200, moved.text
    assert (await http.get(f"/api/v1/specifications/{spec['id']}")).json()["status"] == "closed"
    response = await http.post(f"/api/v1/specifications/{spec['id']}/begin-evaluation")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "under_evaluation"


# Clarifications


async def test_a_question_is_seen_by_its_asker_and_once_answered_by_everyone_without_the_asker(client, client_as, menu):
    commissioner, _ = await client_as("commissioner")
    vehicle = await factories.create_vehicle()
    asker, _ = await client_as("provider", delivery_vehicle_id=vehicle.id)
    other, _ = await client_as("provider", delivery_vehicle_id=(await factories.create_vehicle()).id)
    spec = await _create(commissioner, await support.lines_for_term())
    await commissioner.post(f"/api/v1/specifications/{spec['id']}/publish")
    path = f"/api/v1/specifications/{spec['id']}/clarifications"
    asked = await asker.post(path, json={"question": "Can we use community venues?"})
    assert asked.status_code == 201, asked.text
    [mine] = asked.json()
    assert (mine["question"], mine["mine"], mine["answered_at"]) == ("Can we use community venues?", True, None)
    assert (await other.get(path)).json() == []
    assert (await client.get(path)).json() == []
    [waiting] = (await commissioner.get(path)).json()
    answered = await commissioner.post(f"/api/v1/clarifications/{waiting['id']}/answer", json={"answer": "Yes."})
    assert answered.status_code == 204
    [public] = (await client.get(path)).json()
    assert set(public) == {"id", "question", "asked_at", "answer", "answered_at", "mine"}
    assert (public["answer"], public["mine"]) == ("Yes.", False)
    assert _problem(
        await commissioner.post(f"/api/v1/clarifications/{waiting['id']}/answer", json={"answer": "Again"}), 409
    )


async def test_questions_on_a_draft_are_not_found_and_an_unapproved_provider_is_refused(client_as, menu):
    commissioner, _ = await client_as("commissioner")
    provider, _ = await client_as("provider", delivery_vehicle_id=(await factories.create_vehicle()).id)
    pending, _ = await client_as("provider", delivery_vehicle_id=(await factories.create_vehicle(status="pending")).id)
    spec = await _create(commissioner, await support.lines_for_term())
    path = f"/api/v1/specifications/{spec['id']}/clarifications"
    assert _problem(await provider.post(path, json={"question": "Early?"}), 404)
    await commissioner.post(f"/api/v1/specifications/{spec['id']}/publish")
    assert _problem(await pending.post(path, json={"question": "Us too?"}), 403)
    assert "question" in _fields(_problem(await provider.post(path, json={}), 422))


# Plans


async def test_a_commissioner_adds_a_plan_and_a_priority_and_anyone_reads_them(client, client_as, menu):
    http, _ = await client_as("commissioner")
    cardiff = await support.pcpg_id("Cardiff")
    created = await http.post(
        "/api/v1/plans", json={"pcpg_id": cardiff, "first_financial_year": 2026, "title": "Cardiff plan"}
    )
    assert created.status_code == 201, created.text
    plan = created.json()
    assert (plan["label"], plan["priorities"]) == ("2026-27 – 2028-29", [])
    priority = await http.post(
        f"/api/v1/plans/{plan['id']}/priorities",
        json={
            "title": "Healthy weight",
            "need": "Adult obesity above the Welsh average",
            "cluster_ids": await factories.cluster_ids("Cardiff North"),
        },
    )
    assert priority.status_code == 201, priority.text
    assert [p["cluster_names"] for p in priority.json()["priorities"]] == [["Cardiff North"]]
    outside = await http.post(
        f"/api/v1/plans/{plan['id']}/priorities",
        json={"title": "Elsewhere", "need": "x", "cluster_ids": await factories.cluster_ids("Afan")},
    )
    assert _fields(_problem(outside, 422)) == ["cluster_ids"]
    listed = (await client.get(f"/api/v1/plans?pcpg={cardiff}")).json()
    assert [(p["title"], len(p["priorities"])) for p in listed] == [("Cardiff plan", 1)]
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    assert _problem(
        await swansea.post("/api/v1/plans", json={"pcpg_id": cardiff, "first_financial_year": 2026, "title": "Ours"}),
        404,
    )


async def test_a_finance_director_cannot_write_specifications_or_plans(client_as, menu):
    finance, _ = await client_as("finance_director")
    assert _problem(await finance.post("/api/v1/specifications", json=await _body(await support.lines_for_term())), 403)
    assert _problem(await finance.post("/api/v1/plans", json={}), 403)
