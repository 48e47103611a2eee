"""The national menu: loaded from the CSV, added to, edited (a new version each time) and retired by admins."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from accounts.actor import SYSTEM, Role
from audit.tables import AuditEvent
from commissioning.queries import specifications as commissioning_queries
from commissioning.tables import Specification
from core.errors import Conflict, NotFound, RuleBroken
from menu import queries, services
from menu.schemas import MenuKpiIn, MenuServiceIn, NewMenuServiceIn
from menu.tables import MenuKpi, MenuService, MenuServiceVersion
from tests import commissioning_support as support
from tests.conftest import make_actor


def _as_input(service: Any, **changes: Any) -> MenuServiceIn:
    """What the edit form sends back for a service, with some answers changed."""
    values = {
        "name": service.name,
        "name_cy": service.name_cy,
        "description": service.description,
        "description_cy": service.description_cy,
        "category": service.category,
        "unit_of_activity": service.unit_of_activity,
        "unit_of_activity_cy": service.unit_of_activity_cy,
        "translation_status": service.translation_status,
        "price_min_pence": service.price_min_pence,
        "price_max_pence": service.price_max_pence,
        "price_note": service.price_note,
        "kpis": [
            MenuKpiIn(
                code=k.code,
                name=k.name,
                name_cy=k.name_cy,
                unit=k.unit,
                direction=k.direction,  # type: ignore[arg-type]
                typical_target=k.typical_target,
            )
            for k in service.kpis
        ],
    }
    return msgspec.convert({**msgspec.to_builtins(values), **changes}, MenuServiceIn)


def _new_service(**changes: Any) -> NewMenuServiceIn:
    values = {
        "code": "falls-prevention",
        "name": "Falls prevention",
        "name_cy": "Atal cwympiadau",
        "description": "Strength and balance classes for older people at risk of falling.",
        "description_cy": "Dosbarthiadau cryfder a chydbwysedd i bobl hŷn sydd mewn perygl o gwympo.",
        "category": "frailty_long_term_conditions",
        "unit_of_activity": "participants",
        "unit_of_activity_cy": "cyfranogwyr",
        "price_min_pence": 4_000_000,
        "price_max_pence": 9_000_000,
        "kpis": [
            {
                "name": "Falls per 1,000 older people",
                "name_cy": "Cwympiadau fesul 1,000",
                "unit": "rate",
                "direction": "lower_is_better",
            },
        ],
    }
    return msgspec.convert({**values, **changes}, NewMenuServiceIn)


async def _events(action: str) -> list[dict[str, Any]]:
    return (
        await AuditEvent.select()
        .where(AuditEvent.action == action)
        .order_by(AuditEvent.sequence)
        .output(load_json=True)
    )


async def test_loading_the_national_menu_adds_23_services_with_69_suggested_kpis():
    added = await services.load_menu(actor=SYSTEM, now=support.now())
    assert added == 23
    assert await MenuService.count() == 23
    assert await MenuServiceVersion.count() == 23
    assert await MenuKpi.count() == 69
    obesity = await queries.get_menu_service(await support.service_id("obesity"))
    assert (obesity.name, obesity.name_cy, obesity.version) == ("Obesity", "Gordewdra", 1)
    assert obesity.translation_status == "draft"
    assert obesity.price_basis == "derived_from_staffing"
    assert (obesity.price_min_pence, obesity.price_max_pence) == (5_500_000, 21_100_000)
    assert len(obesity.kpis) == 3
    assert {k.direction for k in obesity.kpis} <= {"higher_is_better", "lower_is_better"}
    assert len(await _events("menu_service.loaded")) == 23


async def test_loading_the_menu_again_adds_nothing_and_keeps_an_administrators_edit():
    await services.load_menu(actor=SYSTEM, now=support.now())
    admin = await make_actor(Role.NATIONAL_ADMIN)
    obesity_id = await support.service_id("obesity")
    current = await queries.get_menu_service(obesity_id)
    await services.edit_menu_service(
        actor=admin, menu_service_id=obesity_id, data=_as_input(current, name="Weight management"), now=support.now()
    )
    assert await services.load_menu(actor=SYSTEM, now=support.now()) == 0
    assert await MenuService.count() == 23
    assert await MenuKpi.count() == 69 + 3
    assert (await queries.get_menu_service(obesity_id)).name == "Weight management"


async def test_an_edit_makes_version_2_and_version_1_stays_readable(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    obesity_id = await support.service_id("obesity")
    first = await queries.get_menu_service(obesity_id)
    edited = await services.edit_menu_service(
        actor=admin,
        menu_service_id=obesity_id,
        data=_as_input(first, name="Weight management", change_note="Name used by the pathway"),
        now=support.now(),
    )
    assert (edited.version, edited.current_version, edited.name) == (2, 2, "Weight management")
    assert edited.created_by == admin.username
    assert edited.change_note == "Name used by the pathway"
    old = await queries.get_menu_service(obesity_id, version=1)
    assert (old.version, old.name, old.current_version) == (1, "Obesity", 2)
    assert [k.name for k in old.kpis] == [k.name for k in first.kpis]
    assert [v.version for v in await queries.list_versions(obesity_id)] == [2, 1]
    listed = {s.id: s for s in (await queries.list_menu_services(limit=200)).items}
    assert listed[obesity_id].name == "Weight management", "the list shows the current version"


async def test_an_edit_is_audited_with_what_changed(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    obesity_id = await support.service_id("obesity")
    first = await queries.get_menu_service(obesity_id)
    await services.edit_menu_service(
        actor=admin, menu_service_id=obesity_id, data=_as_input(first, name_cy="Rheoli pwysau"), now=support.now()
    )
    [event] = await _events("menu_service.edited")
    assert event["entity_type"] == "MenuService" and event["entity_id"] == str(obesity_id)
    assert event["actor_username"] == admin.username
    before, after = event["before"], event["after"]
    assert before == {"version": 1, "name_cy": "Gordewdra"}
    assert after == {"version": 2, "name_cy": "Rheoli pwysau"}


async def test_an_edited_kpi_keeps_the_source_of_its_suggested_target(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    obesity_id = await support.service_id("obesity")
    first = await queries.get_menu_service(obesity_id)
    kpis = msgspec.to_builtins(_as_input(first).kpis)
    kpis[0]["name"] = kpis[0]["name"] + " (adults)"
    edited = await services.edit_menu_service(
        actor=admin, menu_service_id=obesity_id, data=_as_input(first, kpis=kpis), now=support.now()
    )
    assert edited.kpis[0].name.endswith("(adults)")
    assert edited.kpis[0].code == first.kpis[0].code
    assert edited.kpis[0].source == first.kpis[0].source
    assert edited.kpis[0].target_source == first.kpis[0].target_source
    [event] = await _events("menu_service.edited")
    assert [k["name"] for k in event["after"]["kpis"]] == [k["name"] for k in kpis], "the trail says the KPIs changed"


async def test_a_price_range_given_to_a_service_without_one_is_marked_as_worked_out_and_removing_it_unmarks_it(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    service_id = await support.service_id("gender-identity")
    current = await queries.get_menu_service(service_id)
    assert (current.price_min_pence, current.price_basis) == (None, "none")
    priced = await services.edit_menu_service(
        actor=admin,
        menu_service_id=service_id,
        data=_as_input(current, price_min_pence=3_000_000, price_max_pence=6_000_000),
        now=support.now(),
    )
    assert (priced.price_min_pence, priced.price_basis) == (3_000_000, "derived_from_staffing")
    unpriced = await services.edit_menu_service(
        actor=admin,
        menu_service_id=service_id,
        data=_as_input(priced, price_min_pence=None, price_max_pence=None),
        now=support.now(),
    )
    assert (unpriced.price_min_pence, unpriced.price_basis) == (None, "none")


async def test_a_specification_keeps_the_version_it_was_written_from_after_the_menu_is_edited(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    admin = await make_actor(Role.NATIONAL_ADMIN)
    lines = await support.lines_for_term()
    written = await support.draft(commissioner, lines)
    obesity_id = await support.service_id("obesity")
    current = await queries.get_menu_service(obesity_id)
    await services.edit_menu_service(
        actor=admin,
        menu_service_id=obesity_id,
        data=_as_input(current, name="Weight management", description="A new description."),
        now=support.now(),
    )
    again = await commissioning_queries.get_specification(
        actor=commissioner, specification_id=written.id, now=support.now()
    )
    assert (again.menu_service_version, again.menu_service) == (1, "Obesity")
    assert again.description == current.description, "the text copied into the draft is not rewritten"
    menu_version = await queries.get_menu_version(again.menu_service_version_id)
    assert (menu_version.version, menu_version.name) == (1, "Obesity")
    later = await support.draft(commissioner, lines)
    assert (later.menu_service_version, later.menu_service, later.title) == (
        2,
        "Weight management",
        "Weight management",
    )


async def test_an_edit_that_changes_nothing_is_refused_and_makes_no_version(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    obesity_id = await support.service_id("obesity")
    current = await queries.get_menu_service(obesity_id)
    with pytest.raises(RuleBroken) as refused:
        await services.edit_menu_service(
            actor=admin, menu_service_id=obesity_id, data=_as_input(current), now=support.now()
        )
    assert refused.value.message == "Nothing has changed, so no new version was made"
    assert (await queries.get_menu_service(obesity_id)).current_version == 1
    assert await MenuServiceVersion.count().where(MenuServiceVersion.menu_service == obesity_id) == 1
    assert await _events("menu_service.edited") == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"price_min_pence": 100, "price_max_pence": None},
            "price_min_pence",
            "Give both ends of the price range, or neither",
        ),
        (
            {"price_min_pence": 900, "price_max_pence": 100},
            "price_min_pence",
            "The lower price cannot be more than the upper price",
        ),
        ({"kpis": []}, "kpis", "Suggest at least one KPI"),
    ],
)
async def test_an_edit_breaking_a_rule_is_refused_beside_its_field_and_writes_nothing(menu, changes, field, message):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    obesity_id = await support.service_id("obesity")
    current = await queries.get_menu_service(obesity_id)
    with pytest.raises(RuleBroken) as refused:
        await services.edit_menu_service(
            actor=admin, menu_service_id=obesity_id, data=_as_input(current, **changes), now=support.now()
        )
    assert (refused.value.field, refused.value.message) == (field, message)
    assert await MenuServiceVersion.count().where(MenuServiceVersion.menu_service == obesity_id) == 1


async def test_two_kpis_with_the_same_name_are_refused(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    kpi = {"name": "Attendances", "name_cy": "Presenoldeb", "unit": "count", "direction": "higher_is_better"}
    with pytest.raises(RuleBroken) as refused:
        await services.add_menu_service(
            actor=admin, data=_new_service(kpis=[kpi, {**kpi, "name": " attendances "}]), now=support.now()
        )
    assert refused.value.field == "kpis"
    assert not await MenuService.exists().where(MenuService.code == "falls-prevention")


async def test_an_admin_adds_a_service_as_version_1_with_its_kpis_and_it_is_audited(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    added = await services.add_menu_service(actor=admin, data=_new_service(), now=support.now())
    assert (added.code, added.version, added.name, added.retired) == ("falls-prevention", 1, "Falls prevention", False)
    assert added.price_basis == "derived_from_staffing"
    assert [(k.code, k.direction) for k in added.kpis] == [("falls-prevention-1", "lower_is_better")]
    assert (await queries.list_menu_services(limit=200)).total == 24
    [event] = await _events("menu_service.added")
    assert event["entity_id"] == str(added.id)


async def test_a_second_service_with_the_same_code_is_a_conflict(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    with pytest.raises(Conflict) as refused:
        await services.add_menu_service(actor=admin, data=_new_service(code="obesity"), now=support.now())
    assert refused.value.field == "code"
    assert await MenuService.count() == 23


async def test_a_retired_service_is_no_longer_offered_and_a_new_specification_from_it_is_refused(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    commissioner = await make_actor(Role.COMMISSIONER)
    obesity_id = await support.service_id("obesity")
    retired = await services.retire_menu_service(
        actor=admin, menu_service_id=obesity_id, reason="Replaced by the national pathway", now=support.now()
    )
    assert retired.retired and retired.retired_at is not None
    offered = await queries.list_menu_services(limit=200)
    assert obesity_id not in {s.id for s in offered.items}
    assert offered.total == 22
    assert obesity_id in {s.id for s in (await queries.list_menu_services(limit=200, include_retired=True)).items}
    assert (await queries.get_menu_service(obesity_id)).name == "Obesity", "it can still be read"
    lines = await support.lines_for_term()
    with pytest.raises(RuleBroken) as refused:
        await support.draft(commissioner, lines)
    assert (refused.value.field, refused.value.message) == (
        "menu_service_id",
        "That service has been retired from the menu",
    )
    assert await Specification.count() == 0
    [event] = await _events("menu_service.retired")
    assert event["entity_id"] == str(obesity_id)


async def test_a_retired_service_cannot_be_edited_or_retired_again(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    obesity_id = await support.service_id("obesity")
    current = await queries.get_menu_service(obesity_id)
    await services.retire_menu_service(actor=admin, menu_service_id=obesity_id, reason="Replaced", now=support.now())
    with pytest.raises(Conflict):
        await services.edit_menu_service(
            actor=admin, menu_service_id=obesity_id, data=_as_input(current, name="Revived"), now=support.now()
        )
    with pytest.raises(Conflict):
        await services.retire_menu_service(actor=admin, menu_service_id=obesity_id, reason="Again", now=support.now())
    assert (await queries.get_menu_service(obesity_id)).current_version == 1
    assert len(await _events("menu_service.retired")) == 1


async def test_retiring_needs_a_reason(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    obesity_id = await support.service_id("obesity")
    with pytest.raises(RuleBroken) as refused:
        await services.retire_menu_service(actor=admin, menu_service_id=obesity_id, reason="   ", now=support.now())
    assert refused.value.field == "reason"
    assert not (await queries.get_menu_service(obesity_id)).retired


async def test_an_unknown_service_or_version_is_not_found(menu):
    admin = await make_actor(Role.NATIONAL_ADMIN)
    obesity_id = await support.service_id("obesity")
    with pytest.raises(NotFound):
        await queries.get_menu_service(999_999)
    with pytest.raises(NotFound):
        await queries.get_menu_service(obesity_id, version=2)
    with pytest.raises(NotFound):
        await services.retire_menu_service(actor=admin, menu_service_id=999_999, reason="x", now=support.now())
