"""Check your answers before a delivery vehicle's registration is approved or rejected: the reason, then a page
showing the organisation, the decision, the reason (with a Change link that keeps it) and what happens next; only
its confirmation decides, and it checks the answer again."""

from __future__ import annotations

import html
import re
from typing import Any

from accounts.actor import Role
from organisations.tables import DeliveryVehicle
from tests import factories
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, html_lang, success_banner, text_of, welsh


async def _status(vehicle_id: int) -> str:
    row = await DeliveryVehicle.select(DeliveryVehicle.status).where(DeliveryVehicle.id == vehicle_id).first()
    assert row is not None
    return row["status"]


async def _check(http: Any, vehicle_id: int, decision: str, reason: str, lang: str = "en") -> tuple[Any, str]:
    form = await http.get(f"/delivery-vehicles/{vehicle_id}/{decision}?lang={lang}")
    token = csrf_from(form.text)
    check = await http.post(
        f"/delivery-vehicles/{vehicle_id}/{decision}", data={"_csrf_token": token, "reason": reason}
    )
    return check, token


def _change_hrefs(page: str) -> list[str]:
    return [
        html.unescape(chunk.split('href="', 1)[1].split('"', 1)[0])
        for chunk in page.split('class="nhsuk-summary-list__actions"')[1:]
    ]


def _textarea(page: str, field_id: str) -> str | None:
    found = re.search(rf'<textarea[^>]*\sid="{re.escape(field_id)}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)) if found else None


async def _pending() -> DeliveryVehicle:
    await factories.create_user(role=Role.PROVIDER, username="gwent", full_name="Rhys Morgan")
    return await factories.create_vehicle(
        status="pending",
        name="Gwent Valleys Health CIC",
        companies_house_number="12345678",
        contact_name="Rhys Morgan",
        contact_email="rhys@example.org",
        registered_by_username="gwent",
        cluster_names=("Cardiff North", "Cardiff East"),
    )


async def test_approving_is_checked_with_the_organisation_and_what_happens_next_then_confirmed(client_as):
    vehicle = await _pending()
    commissioner, _ = await client_as("commissioner")
    form = (await commissioner.get(f"/delivery-vehicles/{vehicle.id}/approve")).text
    assert "Continue" in text_of(form) and "Approve delivery vehicle" not in text_of(form)

    check, token = await _check(commissioner, vehicle.id, "approve", "Checked with Companies House")
    assert check.status_code == 200
    text = text_of(check.text)
    assert "Check before you approve Gwent Valleys Health CIC" in text
    assert "Delivery vehicle Gwent Valleys Health CIC" in text
    assert (
        "Clusters served Cardiff East, Cardiff North" in text or "Clusters served Cardiff North, Cardiff East" in text
    )
    assert "Legal form Community Interest Company" in text
    assert "Companies House number 12345678" in text
    assert "Contact Rhys Morgan, rhys@example.org" in text
    assert "by Rhys Morgan" in text and "by gwent" not in text, "a person by name, never by username"
    assert "Decision Approve the registration" in text
    assert "Reason Checked with Companies House Change the reason" in text
    assert "Gwent Valleys Health CIC can bid for every specification open to the clusters it serves" in text
    assert "sees the reason you give" not in text
    assert "Approve delivery vehicle" in text
    assert "pending" not in text and "cic" not in text.split(), "no stored code on screen"
    assert await _status(vehicle.id) == "pending", "the check changes nothing"

    done = await commissioner.post(
        f"/delivery-vehicles/{vehicle.id}/approve",
        data={"_csrf_token": token, "reason": "Checked with Companies House", "confirm": "yes"},
    )
    assert (done.status_code, done.headers["location"]) == (302, f"/delivery-vehicles/{vehicle.id}")
    assert await _status(vehicle.id) == "approved"
    page = (await commissioner.get(done.headers["location"])).text
    assert success_banner(page) == "Success The delivery vehicle is approved and can now bid"
    assert "Checked with Companies House" in text_of(page)


async def test_an_approval_without_a_reason_says_none_was_given(client_as):
    vehicle = await _pending()
    commissioner, _ = await client_as("commissioner")
    check, _ = await _check(commissioner, vehicle.id, "approve", "")
    assert check.status_code == 200
    assert "Reason None given Change the reason" in text_of(check.text)


async def test_rejecting_is_checked_with_what_the_organisation_will_see_and_the_change_link_keeps_the_reason(
    client_as,
):
    vehicle = await _pending()
    admin, _ = await client_as("national_admin")
    reason = "Not a registered company & no contact number"
    check, token = await _check(admin, vehicle.id, "reject", reason)
    assert check.status_code == 200
    text = text_of(check.text)
    assert "Check before you reject Gwent Valleys Health CIC" in text
    assert "Decision Reject the registration" in text
    assert f"Reason {reason} Change the reason" in text
    assert "Gwent Valleys Health CIC sees the reason you give" in text
    assert "can bid for every specification" not in text
    assert "nhsuk-button--warning" in check.text
    assert await _status(vehicle.id) == "pending"

    (change,) = _change_hrefs(check.text)
    assert change.startswith(f"/delivery-vehicles/{vehicle.id}/reject?")
    form = await admin.get(change)
    assert _textarea(form.text, "reason") == reason, "the reason typed comes back to be changed"
    fresh = await admin.get(f"/delivery-vehicles/{vehicle.id}/reject")
    assert _textarea(fresh.text, "reason") == "", "a form opened afresh keeps nothing"

    done = await admin.post(
        f"/delivery-vehicles/{vehicle.id}/reject", data={"_csrf_token": token, "reason": reason, "confirm": "yes"}
    )
    assert done.status_code == 302
    assert await _status(vehicle.id) == "rejected"


async def test_the_confirmation_is_checked_again_and_a_decision_made_meanwhile_is_not_made_twice(client_as):
    vehicle = await _pending()
    first, _ = await client_as("commissioner")
    second, _ = await client_as("national_admin")
    _, first_token = await _check(first, vehicle.id, "approve", "")
    _, second_token = await _check(second, vehicle.id, "reject", "Lapsed insurance")

    approved = await first.post(
        f"/delivery-vehicles/{vehicle.id}/approve", data={"_csrf_token": first_token, "confirm": "yes"}
    )
    assert approved.status_code == 302
    late = await second.post(
        f"/delivery-vehicles/{vehicle.id}/reject",
        data={"_csrf_token": second_token, "reason": "Lapsed insurance", "confirm": "yes"},
    )
    assert late.status_code == 400
    assert error_summary_links(late.text) == ["#reason"]
    assert "already been approved" in text_of(late.text)
    assert await _status(vehicle.id) == "approved"


async def test_the_check_page_is_in_welsh(client_as):
    vehicle = await _pending()
    commissioner, _ = await client_as("commissioner")
    check, _ = await _check(commissioner, vehicle.id, "reject", "Dim rheswm", lang="cy")
    assert check.status_code == 200
    assert html_lang(check.text) == "cy"
    text = text_of(check.text)
    title = welsh("Check before you reject %(name)s", name="Gwent Valleys Health CIC")
    assert title in text and title != "Check before you reject Gwent Valleys Health CIC"
    assert welsh("What happens next") in text and "What happens next" not in text
