"""A national administrator edits where a menu service and its KPIs come from: a new version, like any edit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from audit.tables import AuditEvent
from core.errors import Conflict, DomainError, NotAllowed, NotFound, RuleBroken
from menu import queries
from menu.schemas import KpiSourcesIn, MenuSourcesIn
from menu.services import edit_menu_service_sources, retire_menu_service
from menu.tables import MenuServiceVersion
from tests import commissioning_support as support
from tests.conftest import make_actor

pytestmark = pytest.mark.usefixtures("menu")
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def test_new_sources_make_a_new_version_and_the_old_one_keeps_its_own():
    admin = await make_actor("national_admin")
    service_id = await support.service_id("obesity")
    before = await queries.get_menu_service(service_id)
    kpi = before.kpis[0]
    after = await edit_menu_service_sources(
        actor=admin,
        menu_service_id=service_id,
        data=MenuSourcesIn(
            source="All Wales Weight Management Pathway 2021\nhttps://example.org/pathway\n",
            kpis=[KpiSourcesIn(code=kpi.code, source="https://example.org/kpi", target_source="NICE PH53")],
            change_note="Pathway document added",
        ),
        now=NOW,
    )
    assert after.version == before.version + 1
    assert after.source == "All Wales Weight Management Pathway 2021 ; https://example.org/pathway"
    assert (after.kpis[0].source, after.kpis[0].target_source) == ("https://example.org/kpi", "NICE PH53")
    assert [(k.code, k.source) for k in after.kpis[1:]] == [(k.code, k.source) for k in before.kpis[1:]], "kept"
    assert (after.name, after.description, after.price_min_pence) == (
        before.name,
        before.description,
        before.price_min_pence,
    )
    old = await queries.get_menu_service(service_id, version=before.version)
    assert old.source == before.source and old.kpis[0].source == kpi.source
    (event,) = await AuditEvent.select().where(AuditEvent.action == "menu_service.sources_edited")
    assert event["actor_username"] == admin.username
    assert _json(event["after"])["kpis"] == {
        kpi.name: {"source": "https://example.org/kpi", "target_source": "NICE PH53"}
    }


async def _refused(data: MenuSourcesIn, error: type[DomainError], *, role: str = "national_admin", code="obesity"):
    actor = await make_actor(role)
    service_id = await support.service_id(code)
    before = (await MenuServiceVersion.count(), await AuditEvent.count())
    with pytest.raises(error) as refused:
        await edit_menu_service_sources(actor=actor, menu_service_id=service_id, data=data, now=NOW)
    assert (await MenuServiceVersion.count(), await AuditEvent.count()) == before
    return refused.value


async def test_the_same_sources_again_make_no_new_version():
    current = await queries.get_menu_service(await support.service_id("obesity"))
    typed = "\n".join(current.source.split(" ; "))
    error = await _refused(MenuSourcesIn(source=typed), RuleBroken)
    assert (error.field, error.message) == ("source", "Nothing has changed, so no new version was made")


async def test_a_kpi_the_service_does_not_have_is_refused_naming_it():
    error = await _refused(MenuSourcesIn(source="x", kpis=[KpiSourcesIn(code="no-such-kpi")]), RuleBroken)
    assert (error.field, error.params) == ("kpis", {"code": "no-such-kpi"})


async def test_only_a_national_administrator_edits_sources_and_not_of_a_retired_service():
    for role in ("commissioner", "finance_director", "provider", "evaluator"):
        await _refused(MenuSourcesIn(source="x"), NotAllowed, role=role)
    admin = await make_actor("national_admin")
    service_id = await support.service_id("obesity")
    await retire_menu_service(actor=admin, menu_service_id=service_id, reason="Replaced", now=NOW)
    await _refused(MenuSourcesIn(source="x"), Conflict)
    with pytest.raises(NotFound):
        await edit_menu_service_sources(actor=admin, menu_service_id=999_999, data=MenuSourcesIn(source="x"), now=NOW)
