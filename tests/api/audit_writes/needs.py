"""Writes of needs: a commissioner records, changes and links their PCPG's needs and records and changes engagement
activities (API and pages)."""

from __future__ import annotations

from functools import partial

from tests import factories
from tests import needs_support as support
from tests.api.audit_writes import Users, Write, form

ENGAGEMENT = {
    "kind": "survey",
    "people_reached": "40",
    "what_they_said": "Weekend sessions",
    "what_changed": "Saturday sessions added",
}


async def _record(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    body = {
        "pcpg_id": await support.pcpg_id(),
        "title": "Adult obesity",
        "description": "Above the Wales average",
        "source": "cluster",
        "cluster_ids": await factories.cluster_ids("Cardiff North"),
        "priority": "high",
    }
    return Write(partial(http.post, "/api/v1/needs", json=body), "need.recorded", actor.username)


async def _change(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    need = await support.need(actor)
    send = partial(http.patch, f"/api/v1/needs/{need.id}", json={"priority": "low"})
    return Write(send, "need.changed", actor.username)


async def _link(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    need = await support.need(actor)
    priority = await support.priority(actor)
    send = partial(http.put, f"/api/v1/needs/{need.id}/plan-priorities", json={"plan_priority_ids": [priority]})
    return Write(send, "need.priorities_linked", actor.username)


async def _record_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    clusters = await factories.cluster_ids("Cardiff North")
    data = await form(
        http,
        title="Adult obesity",
        description="Above the Wales average",
        source="cluster",
        cluster_ids=[str(c) for c in clusters],
        priority="high",
    )
    return Write(partial(http.post, "/needs/new", data=data), "need.recorded", actor.username)


async def _change_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    need = await support.need(actor, source="cluster")
    data = await form(
        http,
        title="Adult obesity in Cardiff",
        description="Above the Wales average",
        source="cluster",
        cluster_ids=[str(c.id) for c in need.clusters],
        priority="medium",
    )
    return Write(partial(http.post, f"/needs/{need.id}/edit", data=data), "need.changed", actor.username)


async def _link_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    need = await support.need(actor)
    priority = await support.priority(actor)
    data = await form(http, plan_priority_ids=[str(priority)])
    send = partial(http.post, f"/needs/{need.id}/plan-priorities", data=data)
    return Write(send, "need.priorities_linked", actor.username)


async def _engage(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    need = await support.need(actor)
    body = {**ENGAGEMENT, "people_reached": 40, "need_id": need.id, "held_on": "2026-11-01"}
    return Write(partial(http.post, "/api/v1/engagements", json=body), "engagement.recorded", actor.username)


async def _change_engagement(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    need = await support.need(actor)
    engagement = await support.engagement(actor, need_id=need.id)
    send = partial(http.patch, f"/api/v1/engagements/{engagement.id}", json={"people_reached": 50})
    return Write(send, "engagement.changed", actor.username)


def _held(day: str = "1", month: str = "11", year: str = "2026") -> dict[str, str]:
    return {"held_on-day": day, "held_on-month": month, "held_on-year": year}


async def _engage_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    priority = await support.priority(actor)
    data = await form(http, **ENGAGEMENT, **_held())
    send = partial(http.post, f"/engagement/new?plan_priority_id={priority}", data=data)
    return Write(send, "engagement.recorded", actor.username)


async def _change_engagement_page(users: Users) -> Write:
    http, actor = await users.new("commissioner")
    need = await support.need(actor)
    engagement = await support.engagement(actor, need_id=need.id)
    data = await form(http, **{**ENGAGEMENT, "people_reached": "60"}, **_held())
    send = partial(http.post, f"/engagement/{engagement.id}/edit", data=data)
    return Write(send, "engagement.changed", actor.username)


WRITES = {
    ("POST", "/api/v1/needs"): _record,
    ("PATCH", "/api/v1/needs/{need_id:int}"): _change,
    ("PUT", "/api/v1/needs/{need_id:int}/plan-priorities"): _link,
    ("POST", "/needs/new"): _record_page,
    ("POST", "/needs/{need_id:int}/edit"): _change_page,
    ("POST", "/needs/{need_id:int}/plan-priorities"): _link_page,
    ("POST", "/api/v1/engagements"): _engage,
    ("PATCH", "/api/v1/engagements/{engagement_id:int}"): _change_engagement,
    ("POST", "/engagement/new"): _engage_page,
    ("POST", "/engagement/{engagement_id:int}/edit"): _change_engagement_page,
}
