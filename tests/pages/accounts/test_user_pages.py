"""National administrators manage users in the browser, in English and Welsh: the list, adding a user (and the link
shown once), changing a scope, deactivating after a check; and a user setting their password with the link."""

from __future__ import annotations

import re
from typing import Any

import httpx

from accounts.tables import User
from organisations.tables import Pcpg
from tests import factories
from tests.conftest import csrf_from
from tests.pages.markup import (
    error_summary_links,
    fields_in_error,
    html_lang,
    success_banner,
    table_rows,
    text_of,
    welsh,
)

NEW_PASSWORD = "a-brand-new-password"


async def _token(http: httpx.AsyncClient, path: str = "/admin/users/new") -> str:
    page = await http.get(path)
    assert page.status_code == 200, page.text[:300]
    return csrf_from(page.text)


def _link(page: str) -> str | None:
    found = re.search(r'href="(http://testserver/set-password/[^"]+)"', page)
    return found.group(1) if found else None


async def test_the_list_shows_people_by_name_and_its_filters_work_with_every_choice_left_on_all(client_as):
    admin, me = await client_as("national_admin")
    await factories.create_user(role=factories.Role.COMMISSIONER, full_name="Gareth Price", pcpg_names=("Cardiff",))
    await factories.create_user(role=factories.Role.EVALUATOR, full_name="Aled Jones", active=False)
    page = await admin.get("/admin/users", params={"role": "", "status": ""})  # as a browser sends "All"
    assert page.status_code == 200
    rows = table_rows(page.text)
    assert [row[0] for row in rows] == ["Name Aled Jones", "Name Gareth Price", f"Name {me.full_name}"]
    assert rows[1][1:] == ["Role PCPG commissioner", "Acts for Cardiff", "Status Active"]
    assert rows[0][3] == "Status Deactivated"
    assert me.username not in text_of(page.text), "people are shown by name, not username"
    filtered = await admin.get("/admin/users", params={"role": "commissioner", "status": "active"})
    assert [row[0] for row in table_rows(filtered.text)] == ["Name Gareth Price"]
    nonsense = await admin.get("/admin/users", params={"role": "chief", "status": "gone", "offset": "x"})
    assert nonsense.status_code == 200
    cy = await admin.get("/admin/users", params={"lang": "cy"})
    assert html_lang(cy.text) == "cy"
    assert welsh("Add a user") in text_of(cy.text)


async def _add_form(http: httpx.AsyncClient, **values: Any) -> dict[str, Any]:
    return {"_csrf_token": await _token(http), "language": "en", **values}


async def test_an_empty_form_lists_every_missing_answer_at_once(client_as):
    admin, _ = await client_as("national_admin")
    response = await admin.post("/admin/users/new", data=await _add_form(admin, full_name="", username=""))
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#full_name", "#username", "#role"]
    assert {"full_name", "username", "role"} <= fields_in_error(response.text)


async def test_a_commissioner_without_a_pcpg_is_asked_for_one_with_the_answers_kept(client_as):
    admin, _ = await client_as("national_admin")
    data = await _add_form(admin, full_name="Anna Price", username="anna", role="commissioner")
    response = await admin.post("/admin/users/new", data=data)
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#pcpg_ids"]
    assert "Choose at least one PCPG the commissioner acts for" in text_of(response.text)
    assert 'value="Anna Price"' in response.text
    assert await User.count() == 1


async def test_adding_a_user_shows_their_password_link_once_and_the_link_sets_their_password(client_as, client):
    admin, _ = await client_as("national_admin")
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    data = await _add_form(admin, full_name="Anna Price", username="anna", role="commissioner", pcpg_ids=[str(cardiff)])
    response = await admin.post("/admin/users/new", data=data)
    assert response.status_code in (302, 303), response.text[:500]
    user = await User.select(User.id).where(User.username == "anna").first()
    assert response.headers["location"] == f"/admin/users/{user['id']}"
    page = await admin.get(response.headers["location"])
    assert success_banner(page.text).startswith("Success The user is added")
    link = _link(page.text)
    assert link is not None, "the link is shown to the administrator"
    assert "Give this link to Anna Price, privately" in text_of(page.text)
    assert page.headers["cache-control"] == "no-store"
    again = await admin.get(response.headers["location"])
    assert _link(again.text) is None, "the link is shown once"

    form = await client.get(link)
    assert form.status_code == 200
    assert "Anna Price, choose a password of at least 12 characters" in text_of(form.text)
    assert form.headers["referrer-policy"] == "no-referrer"
    token = csrf_from(form.text)
    mistyped = await client.post(
        link, data={"_csrf_token": token, "password": NEW_PASSWORD, "confirmation": "something-else-entirely"}
    )
    assert mistyped.status_code == 400
    assert error_summary_links(mistyped.text) == ["#confirmation"]
    done = await client.post(link, data={"_csrf_token": token, "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    assert (done.status_code, done.headers["location"]) == (302, "/sign-in")
    signed_in = await client.get("/sign-in")
    assert success_banner(signed_in.text) == "Success Your password is set. Sign in with it"
    used = await client.get(link)
    assert used.status_code == 404
    assert "This link has expired or has already been used" in text_of(used.text)


async def test_the_set_password_page_is_in_welsh_for_a_welsh_reader(client_as, client):
    admin, _ = await client_as("national_admin")
    evaluator = await factories.create_user(role=factories.Role.EVALUATOR, full_name="Nia Thomas")
    response = await admin.post(f"/admin/users/{evaluator.id}/password-link", data={"_csrf_token": await _token(admin)})
    assert response.status_code in (302, 303)
    link = _link((await admin.get(response.headers["location"])).text)
    assert link is not None
    page = await client.get(link, params={"lang": "cy"})
    assert html_lang(page.text) == "cy"
    assert welsh("Set your password") in text_of(page.text)


async def test_a_commissioners_pcpgs_are_changed_through_the_form(client_as):
    admin, _ = await client_as("national_admin")
    _, commissioner = await client_as("commissioner")
    path = f"/admin/users/{commissioner.user_id}/scope"
    form = await admin.get(path)
    assert form.status_code == 200
    assert re.search(r'value="\d+" checked', form.text), "the current PCPG is ticked"
    swansea = await factories.reference_id(Pcpg, "Swansea Bay")
    none = await admin.post(path, data={"_csrf_token": csrf_from(form.text)})
    assert (none.status_code, error_summary_links(none.text)) == (400, ["#pcpg_ids"])
    done = await admin.post(path, data={"_csrf_token": csrf_from(form.text), "pcpg_ids": [str(swansea)]})
    assert (done.status_code, done.headers["location"]) == (302, f"/admin/users/{commissioner.user_id}")
    page = await admin.get(done.headers["location"])
    assert success_banner(page.text) == "Success The user's scope is changed. It applies from their next page"
    assert "PCPGs Swansea Bay" in text_of(page.text)


async def test_deactivating_is_checked_first_then_signs_the_user_out(client_as):
    admin, _ = await client_as("national_admin")
    provider, provider_actor = await client_as("provider", full_name="Dylan Hughes")
    check = await admin.get(f"/admin/users/{provider_actor.user_id}/deactivate")
    assert check.status_code == 200
    text = text_of(check.text)
    assert "Check before you deactivate Dylan Hughes" in text
    assert "This cannot be undone" in text
    assert await User.count().where(User.active == False) == 0  # noqa: E712 - looking changes nothing
    done = await admin.post(
        f"/admin/users/{provider_actor.user_id}/deactivate", data={"_csrf_token": csrf_from(check.text)}
    )
    assert (done.status_code, done.headers["location"]) == (302, f"/admin/users/{provider_actor.user_id}")
    page = await admin.get(done.headers["location"])
    assert "The account is deactivated" in success_banner(page.text)
    assert "Deactivated" in text_of(page.text)
    dashboard = await provider.get("/dashboard")
    assert dashboard.status_code in (302, 303) and dashboard.headers["location"].startswith("/sign-in")


async def test_the_last_national_admin_is_told_clearly_they_cannot_deactivate_themselves(client_as):
    admin, me = await client_as("national_admin")
    page = await admin.get(f"/admin/users/{me.user_id}")
    reason = "You are the last active national administrator, so you cannot deactivate your own account"
    assert reason in text_of(page.text)
    assert f"/admin/users/{me.user_id}/deactivate" not in page.text
    check = await admin.get(f"/admin/users/{me.user_id}/deactivate")
    assert reason in text_of(check.text)
    assert "Deactivate account" not in text_of(check.text)
    refused = await admin.post(f"/admin/users/{me.user_id}/deactivate", data={"_csrf_token": csrf_from(check.text)})
    assert refused.status_code == 409
    assert error_summary_links(refused.text) == ["#deactivate"]
    assert (await admin.get("/dashboard")).status_code == 200


async def test_the_audit_trail_reads_what_was_done_to_a_user_in_words(client_as):
    admin, _ = await client_as("national_admin", full_name="Alys Morgan")
    _, evaluator = await client_as("evaluator", full_name="Rhys Evans")
    token = await _token(admin, f"/admin/users/{evaluator.user_id}/deactivate")
    await admin.post(f"/admin/users/{evaluator.user_id}/deactivate", data={"_csrf_token": token})
    rows = table_rows((await admin.get("/audit")).text)
    assert rows[0][1:3] == ["Who Alys Morgan", "What Alys Morgan deactivated the account of Rhys Evans"]
