"""Wherever a person is shown (the panel, moderation, the audit trail, a vehicle's decision, a budget line, a menu
version) it is by their full name, never by the username they sign in with (issue 10, item 12)."""

from __future__ import annotations

from accounts.actor import Role
from menu import queries as menu_queries
from menu.schemas import MenuKpiIn, MenuServiceIn
from menu.services import edit_menu_service
from organisations.schemas import DeliveryVehicleDecisionIn
from organisations.services import approve_delivery_vehicle
from tests import bidding_support as b
from tests import commissioning_support as support
from tests import factories
from tests.api.audit_writes.menu import on_the_menu
from tests.bidding_support import as_user  # noqa: F401 - a fixture
from tests.conftest import make_actor
from tests.pages.markup import table_rows, text_of


async def test_the_panel_and_its_scores_are_shown_by_name_to_the_commissioner_and_the_evaluators(as_user):  # noqa: F811
    await on_the_menu()
    done = await b.evaluated()
    await b.move_clock(b.AFTER)
    commissioner = await as_user(done.deal.commissioner)
    evaluation = text_of((await commissioner.get(f"/specifications/{done.deal.id}/evaluation")).text)
    for member in done.panel:
        assert member.full_name in evaluation
        assert member.username not in evaluation
    first = done.panel[0]
    assert f"{first.full_name}: 4 – Evidence for 4" in evaluation
    assert f"{done.panel[1].full_name}: 4 – Evidence for 4" in evaluation
    evaluator = await as_user(first)
    own = text_of((await evaluator.get(f"/evaluations/{done.deal.id}")).text)
    assert f"4 ({first.full_name}) – Evidence for 4" in own
    assert first.username not in own and done.panel[1].username not in own


async def test_evaluators_to_name_are_offered_by_name_and_deactivated_ones_not_at_all(as_user):  # noqa: F811
    await on_the_menu()
    deal = await b.tender()
    await make_actor(Role.EVALUATOR, full_name="Rhys Evans")
    await factories.create_user(role=Role.EVALUATOR, full_name="Gone Away", active=False)
    await b.move_clock(b.AFTER)
    page = await (await as_user(deal.commissioner)).get(f"/specifications/{deal.id}/evaluation")
    assert "<option" in page.text
    assert "Rhys Evans" in page.text
    assert "Gone Away" not in page.text


async def test_the_audit_trail_names_who_acted_by_full_name(client_as):
    admin, me = await client_as("national_admin", full_name="Alys Morgan")
    vehicle = await factories.create_vehicle(status="pending", name="Bay Health CIC")
    await approve_delivery_vehicle(
        actor=me, delivery_vehicle_id=vehicle.id, decision=DeliveryVehicleDecisionIn(), now=factories.NOW
    )
    page = await admin.get("/audit")
    assert table_rows(page.text)[0][1] == "Who Alys Morgan"
    assert me.username not in text_of(page.text)
    api = (await admin.get("/api/v1/audit/events")).json()["items"][0]
    assert (api["who"], api["actor_username"]) == ("Alys Morgan", me.username)


async def test_a_vehicle_decision_and_a_budget_line_name_who_made_them(client_as):
    admin, me = await client_as("national_admin", full_name="Alys Morgan")
    vehicle = await factories.create_vehicle(status="pending")
    await approve_delivery_vehicle(
        actor=me, delivery_vehicle_id=vehicle.id, decision=DeliveryVehicleDecisionIn(), now=factories.NOW
    )
    page = text_of((await admin.get(f"/delivery-vehicles/{vehicle.id}")).text)
    assert "by Alys Morgan" in page and me.username not in page
    line = await support.budget_line(actor=me)
    page = text_of((await admin.get(f"/budgets/{line.id}")).text)
    assert "by Alys Morgan" in page and me.username not in page


async def test_a_menu_version_names_its_editor_and_the_national_load_as_the_service(client_as, menu):
    admin, me = await client_as("national_admin", full_name="Alys Morgan")
    service_id = await support.service_id("obesity")
    current = await menu_queries.get_menu_service(service_id)
    data = MenuServiceIn(
        name=current.name,
        name_cy=current.name_cy,
        description=current.description + " Now with follow-up.",
        description_cy=current.description_cy,
        category=current.category,  # type: ignore[arg-type]
        unit_of_activity=current.unit_of_activity,
        unit_of_activity_cy=current.unit_of_activity_cy,
        kpis=[
            MenuKpiIn(name=k.name, name_cy=k.name_cy, unit=k.unit, direction=k.direction, code=k.code)
            for k in current.kpis
        ],  # type: ignore[arg-type]
        price_min_pence=current.price_min_pence,
        price_max_pence=current.price_max_pence,
        change_note="Follow-up added",
    )
    await edit_menu_service(actor=me, menu_service_id=service_id, data=data, now=factories.NOW)
    page = text_of((await admin.get(f"/menu/{service_id}")).text)
    assert "Alys Morgan: Follow-up added" in page
    assert "The service (automatic): Loaded from the national menu" in page
    assert me.username not in page
