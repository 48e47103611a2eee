"""Registering, approving and rejecting a delivery vehicle through the pages, in English and Welsh."""

from __future__ import annotations

from typing import Any

import pytest

from organisations.tables import DeliveryVehicle
from tests import factories
from tests.conftest import csrf_from
from tests.pages.markup import (
    element_ids,
    error_summary_links,
    fields_in_error,
    html_lang,
    input_value,
    success_banner,
    text_of,
    welsh,
)


async def _form(http: Any, path: str) -> tuple[str, str]:
    page = await http.get(path)
    assert page.status_code == 200, page.text[:300]
    return page.text, csrf_from(page.text)


async def _registration(token: str, **changes: Any) -> dict[str, Any]:
    return {
        "_csrf_token": token,
        "name": "Gwent Valleys Health CIC",
        "legal_form": "cic",
        "companies_house_number": "12345678",
        "cluster_ids": [str(i) for i in await factories.cluster_ids("Cardiff North", "Cardiff East")],
        "contact_name": "Rhys Morgan",
        "contact_email": "rhys@example.org",
        "contact_phone": "",
        **changes,
    }


async def _status(vehicle_id: int) -> str:
    row = await DeliveryVehicle.select(DeliveryVehicle.status).where(DeliveryVehicle.id == vehicle_id).first()
    assert row is not None
    return row["status"]


async def test_a_provider_registers_through_the_form_and_sees_their_vehicle_with_a_success_banner(client_as):
    provider, _ = await client_as("provider")
    form, token = await _form(provider, "/delivery-vehicles/register")
    assert {
        "name",
        "legal_form",
        "companies_house_number",
        "cluster_ids",
        "contact_name",
        "contact_email",
    } <= element_ids(form)
    response = await provider.post("/delivery-vehicles/register", data=await _registration(token))
    assert response.status_code in (302, 303)
    vehicle = await DeliveryVehicle.select().first()
    assert vehicle is not None
    assert response.headers["location"] == f"/delivery-vehicles/{vehicle['id']}"
    page = await provider.get(response.headers["location"])
    assert page.status_code == 200
    assert success_banner(page.text) == (
        "Success Your delivery vehicle is registered. A commissioner or national administrator will review it"
    )
    assert "Gwent Valleys Health CIC" in page.text
    assert "Waiting for approval" in page.text
    assert "Cardiff East, Cardiff North" in page.text
    again = await provider.get(response.headers["location"])
    assert success_banner(again.text) is None, "the banner shows once"


async def test_a_provider_with_a_vehicle_is_sent_to_it_instead_of_the_form(client_as):
    vehicle = await factories.create_vehicle()
    provider, _ = await client_as("provider", delivery_vehicle_id=vehicle.id)
    response = await provider.get("/delivery-vehicles/register")
    assert response.headers["location"] == f"/delivery-vehicles/{vehicle.id}"
    assert (await provider.get("/delivery-vehicles")).headers["location"] == f"/delivery-vehicles/{vehicle.id}"


async def test_an_empty_form_shows_every_error_linked_to_its_field_and_saves_nothing(client_as):
    provider, _ = await client_as("provider")
    _, token = await _form(provider, "/delivery-vehicles/register")
    response = await provider.post("/delivery-vehicles/register", data={"_csrf_token": token})
    assert response.status_code == 400
    links = error_summary_links(response.text)
    assert links == ["#name", "#legal_form", "#contact_name", "#contact_email", "#cluster_ids"]
    assert {link[1:] for link in links} <= element_ids(response.text), "each summary link reaches its field"
    assert fields_in_error(response.text) == {"name", "legal_form", "contact_name", "contact_email", "cluster_ids"}
    assert "<title>Error: Register your delivery vehicle" in response.text
    assert await DeliveryVehicle.count() == 0


async def test_a_wrong_companies_house_number_is_shown_on_that_field_and_the_answers_are_kept(client_as):
    provider, _ = await client_as("provider")
    _, token = await _form(provider, "/delivery-vehicles/register")
    response = await provider.post(
        "/delivery-vehicles/register", data=await _registration(token, companies_house_number="CH-1")
    )
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#companies_house_number"]
    assert fields_in_error(response.text) == {"companies_house_number"}
    assert "Enter a Companies House number of 8 characters" in response.text
    assert input_value(response.text, "name") == "Gwent Valleys Health CIC"
    assert input_value(response.text, "companies_house_number") == "CH-1"
    assert response.text.count("checked") >= 3, "the legal form and both clusters stay selected"
    assert await DeliveryVehicle.count() == 0


async def test_a_number_already_registered_is_shown_on_that_field(client_as):
    await factories.create_vehicle(companies_house_number="12345678")
    provider, _ = await client_as("provider")
    _, token = await _form(provider, "/delivery-vehicles/register")
    response = await provider.post("/delivery-vehicles/register", data=await _registration(token))
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#companies_house_number"]
    assert "already registered" in response.text
    assert await DeliveryVehicle.count() == 1


async def test_the_welsh_form_shows_its_errors_in_the_same_places(client_as):
    provider, _ = await client_as("provider")
    _, token = await _form(provider, "/delivery-vehicles/register?lang=cy")
    response = await provider.post("/delivery-vehicles/register", data={"_csrf_token": token})
    assert response.status_code == 400
    assert html_lang(response.text) == "cy"
    assert error_summary_links(response.text) == [
        "#name",
        "#legal_form",
        "#contact_name",
        "#contact_email",
        "#cluster_ids",
    ]
    assert welsh("Enter the organisation's name").replace("'", "&#39;") in response.text


async def test_the_form_without_its_token_is_refused_and_saves_nothing(client_as):
    provider, _ = await client_as("provider")
    await _form(provider, "/delivery-vehicles/register")
    data = await _registration("")
    del data["_csrf_token"]
    response = await provider.post("/delivery-vehicles/register", data=data)
    assert response.status_code == 403
    assert await DeliveryVehicle.count() == 0


async def test_a_commissioner_is_asked_to_confirm_before_approving(client_as):
    vehicle = await factories.create_vehicle(status="pending", name="Cardiff North Care CIC")
    commissioner, _ = await client_as("commissioner")
    detail = (await commissioner.get(f"/delivery-vehicles/{vehicle.id}")).text
    assert f'href="/delivery-vehicles/{vehicle.id}/approve"' in detail
    confirm, token = await _form(commissioner, f"/delivery-vehicles/{vehicle.id}/approve")
    assert "Approve Cardiff North Care CIC" in confirm
    assert "nhsuk-card--warning" in confirm
    assert "This cannot be undone" in confirm
    assert await _status(vehicle.id) == "pending", "showing the confirmation changes nothing"
    check = await commissioner.post(f"/delivery-vehicles/{vehicle.id}/approve", data={"_csrf_token": token})
    assert check.status_code == 200 and "Check before you approve Cardiff North Care CIC" in text_of(check.text)
    assert await _status(vehicle.id) == "pending", "checking the decision changes nothing"
    response = await commissioner.post(
        f"/delivery-vehicles/{vehicle.id}/approve", data={"_csrf_token": token, "reason": "", "confirm": "yes"}
    )
    assert (response.status_code, response.headers["location"]) == (302, f"/delivery-vehicles/{vehicle.id}")
    assert await _status(vehicle.id) == "approved"
    page = (await commissioner.get(response.headers["location"])).text
    assert success_banner(page) == "Success The delivery vehicle is approved and can now bid"
    assert f'href="/delivery-vehicles/{vehicle.id}/approve"' not in page, "no second decision is offered"


async def test_the_welsh_confirmation_page_is_welsh(client_as):
    vehicle = await factories.create_vehicle(status="pending")
    commissioner, _ = await client_as("commissioner")
    confirm, _ = await _form(commissioner, f"/delivery-vehicles/{vehicle.id}/approve?lang=cy")
    assert html_lang(confirm) == "cy"
    assert "nhsuk-card--warning" in confirm


async def test_rejecting_without_a_reason_shows_the_error_and_changes_nothing(client_as):
    vehicle = await factories.create_vehicle(status="pending")
    commissioner, _ = await client_as("commissioner")
    _, token = await _form(commissioner, f"/delivery-vehicles/{vehicle.id}/reject")
    for confirm in ("", "yes"):  # neither the form's Continue nor a confirmation without a reason goes through
        response = await commissioner.post(
            f"/delivery-vehicles/{vehicle.id}/reject", data={"_csrf_token": token, "reason": "   ", "confirm": confirm}
        )
        assert response.status_code == 400
        assert error_summary_links(response.text) == ["#reason"]
        assert fields_in_error(response.text) == {"reason"}
        assert "Give the reason for rejecting the registration" in response.text
        assert "Check before you reject" not in text_of(response.text)
        assert await _status(vehicle.id) == "pending"


async def test_rejecting_with_a_reason_records_it_for_the_provider_to_read(client_as):
    vehicle = await factories.create_vehicle(status="pending")
    commissioner, _ = await client_as("commissioner")
    _, token = await _form(commissioner, f"/delivery-vehicles/{vehicle.id}/reject")
    answers = {"_csrf_token": token, "reason": "Not a registered company"}
    check = await commissioner.post(f"/delivery-vehicles/{vehicle.id}/reject", data=answers)
    assert "nhsuk-button--warning" in check.text, "the irreversible button is the warning one"
    response = await commissioner.post(f"/delivery-vehicles/{vehicle.id}/reject", data={**answers, "confirm": "yes"})
    assert response.status_code == 302
    assert await _status(vehicle.id) == "rejected"
    provider, _ = await client_as("provider", delivery_vehicle_id=vehicle.id)
    page = (await provider.get(f"/delivery-vehicles/{vehicle.id}")).text
    assert "Not a registered company" in text_of(page)
    assert "Rejected" in page


async def test_a_decision_already_made_is_shown_as_an_error_not_made_twice(client_as):
    vehicle = await factories.create_vehicle(status="approved")
    commissioner, _ = await client_as("commissioner")
    _, token = await _form(commissioner, f"/delivery-vehicles/{vehicle.id}/reject")
    for confirm in ("", "yes"):  # refused on the check step and on the confirmation alike
        response = await commissioner.post(
            f"/delivery-vehicles/{vehicle.id}/reject",
            data={"_csrf_token": token, "reason": "Too late", "confirm": confirm},
        )
        assert response.status_code == 400
        assert "already been approved" in response.text
        assert await _status(vehicle.id) == "approved"


async def test_an_unknown_decision_is_not_found(client_as):
    vehicle = await factories.create_vehicle(status="pending")
    admin, _ = await client_as("national_admin")
    assert (await admin.get(f"/delivery-vehicles/{vehicle.id}/delete")).status_code == 404


@pytest.mark.parametrize("role", ["finance_director", "provider"])
async def test_roles_that_cannot_decide_see_no_approve_or_reject_buttons(client_as, role):
    vehicle = await factories.create_vehicle(status="pending")
    scope = {"delivery_vehicle_id": vehicle.id} if role == "provider" else {}
    reader, _ = await client_as(role, **scope)
    page = await reader.get(f"/delivery-vehicles/{vehicle.id}")
    assert page.status_code == 200
    assert f"/delivery-vehicles/{vehicle.id}/approve" not in page.text
    assert (await reader.get(f"/delivery-vehicles/{vehicle.id}/approve")).status_code == 403


async def test_the_list_filters_by_status_and_links_each_vehicle(client_as):
    pending = await factories.create_vehicle(status="pending", name="Pending CIC")
    await factories.create_vehicle(status="approved", name="Approved CIC")
    admin, _ = await client_as("national_admin")
    page = (await admin.get("/delivery-vehicles?status=pending")).text
    assert f'href="/delivery-vehicles/{pending.id}"' in page
    assert "Pending CIC" in page and "Approved CIC" not in page
    everything = (await admin.get("/delivery-vehicles")).text
    assert "Pending CIC" in everything and "Approved CIC" in everything
