"""Suspending a delivery vehicle in the browser: the reason, check your answers, then the suspension; reinstating."""

from __future__ import annotations

from organisations.tables import DeliveryVehicle
from tests import factories
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, html_lang, success_banner, text_of, welsh


async def _status(vehicle_id: int) -> str:
    row = await DeliveryVehicle.select(DeliveryVehicle.status).where(DeliveryVehicle.id == vehicle_id).first()
    return row["status"]


async def test_a_suspension_is_asked_for_then_checked_then_made(client_as):
    admin, _ = await client_as("national_admin", full_name="Alys Morgan")
    vehicle = await factories.create_vehicle(name="Bay Health CIC")
    page = await admin.get(f"/delivery-vehicles/{vehicle.id}")
    assert f'href="/delivery-vehicles/{vehicle.id}/suspend"' in page.text
    form = await admin.get(f"/delivery-vehicles/{vehicle.id}/suspend")
    token = csrf_from(form.text)

    empty = await admin.post(f"/delivery-vehicles/{vehicle.id}/suspend", data={"_csrf_token": token, "reason": " "})
    assert (empty.status_code, error_summary_links(empty.text)) == (400, ["#reason"])

    check = await admin.post(
        f"/delivery-vehicles/{vehicle.id}/suspend", data={"_csrf_token": token, "reason": "Lapsed cover"}
    )
    assert check.status_code == 200
    text = text_of(check.text)
    assert "Check before you suspend Bay Health CIC" in text
    assert "Reason for suspending Lapsed cover Change reason for suspending" in text
    assert "reason=Lapsed+cover" in check.text, "Change goes back to the question with the answer kept"
    assert await _status(vehicle.id) == "approved", "nothing changes until confirmed"

    done = await admin.post(
        f"/delivery-vehicles/{vehicle.id}/suspend",
        data={"_csrf_token": token, "reason": "Lapsed cover", "confirm": "yes"},
    )
    assert (done.status_code, done.headers["location"]) == (302, f"/delivery-vehicles/{vehicle.id}")
    shown = await admin.get(done.headers["location"])
    assert success_banner(shown.text).startswith("Success The delivery vehicle is suspended and cannot bid")
    assert "Suspended" in text_of(shown.text)
    assert "by Alys Morgan. Lapsed cover" in text_of(shown.text)
    assert f'href="/delivery-vehicles/{vehicle.id}/reinstate"' in shown.text
    assert await _status(vehicle.id) == "suspended"


async def test_the_change_link_brings_the_reason_back_and_the_pages_are_in_welsh(client_as):
    admin, _ = await client_as("national_admin")
    vehicle = await factories.create_vehicle()
    form = await admin.get(f"/delivery-vehicles/{vehicle.id}/suspend", params={"reason": "Lapsed cover", "lang": "cy"})
    assert html_lang(form.text) == "cy"
    assert ">Lapsed cover</textarea>" in form.text
    assert welsh("Reason for suspending") in text_of(form.text)


async def test_a_suspended_vehicle_is_reinstated_after_a_check(client_as):
    admin, _ = await client_as("national_admin")
    vehicle = await factories.create_vehicle(status="suspended", suspension_reason="Lapsed cover")
    check = await admin.get(f"/delivery-vehicles/{vehicle.id}/reinstate")
    assert "Reason for suspending Lapsed cover" in text_of(check.text)
    done = await admin.post(f"/delivery-vehicles/{vehicle.id}/reinstate", data={"_csrf_token": csrf_from(check.text)})
    assert (done.status_code, done.headers["location"]) == (302, f"/delivery-vehicles/{vehicle.id}")
    assert await _status(vehicle.id) == "approved"
    again = await admin.post(f"/delivery-vehicles/{vehicle.id}/reinstate", data={"_csrf_token": csrf_from(check.text)})
    assert (again.status_code, error_summary_links(again.text)) == (409, ["#reinstate"])


async def test_a_commissioner_is_offered_neither_and_cannot_reach_the_forms(client_as):
    commissioner, _ = await client_as("commissioner")
    vehicle = await factories.create_vehicle()
    page = await commissioner.get(f"/delivery-vehicles/{vehicle.id}")
    assert page.status_code == 200
    assert "/suspend" not in page.text
    assert (await commissioner.get(f"/delivery-vehicles/{vehicle.id}/suspend")).status_code == 403


async def test_the_provider_of_a_suspended_vehicle_reads_why(client_as):
    vehicle = await factories.create_vehicle(
        status="suspended", suspension_reason="Lapsed cover", suspended_at=factories.NOW, suspended_by_username="x"
    )
    provider, _ = await client_as("provider", delivery_vehicle_id=vehicle.id)
    page = await provider.get(f"/delivery-vehicles/{vehicle.id}")
    assert "by x. Lapsed cover" in text_of(page.text)
    assert "/reinstate" not in page.text
