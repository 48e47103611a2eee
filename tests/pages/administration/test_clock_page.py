"""The training clock's page (demo and test only): set a date and time, move on by days, reset; in English and
Welsh, with the banner every page shows while the clock is moved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from administration.services import current_clock
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, fields_in_error, html_lang, success_banner, text_of, welsh


async def test_an_admin_sets_the_clock_moves_it_on_and_resets_it_with_the_banner_shown_meanwhile(client_as):
    admin, _ = await client_as("national_admin")
    page = await admin.get("/admin/clock")
    assert page.status_code == 200
    assert "The clock is on real time" in text_of(page.text)
    assert "cdv-training-clock" not in page.text
    token = csrf_from(page.text)

    done = await admin.post(
        "/admin/clock", data={"_csrf_token": token, "day": "2", "month": "4", "year": "2027", "time": "09:00"}
    )
    assert (done.status_code, done.headers["location"]) == (302, "/admin/clock")
    moved = await admin.get("/admin/clock")
    assert success_banner(moved.text).startswith("Success The training clock is set")
    assert "The clock reads 2 April 2027" in text_of(moved.text)
    assert "cdv-training-clock" in moved.text, "the banner every page shows"
    read = (await current_clock()).now()
    assert datetime(2027, 4, 2, 8, 0, tzinfo=UTC) <= read < datetime(2027, 4, 2, 8, 1, tzinfo=UTC)

    on = await admin.post("/admin/clock/advance", data={"_csrf_token": token, "days": "8"})
    assert on.status_code == 302
    assert "The clock reads 10 April 2027" in text_of((await admin.get("/admin/clock")).text)

    reset = await admin.post("/admin/clock/reset", data={"_csrf_token": token})
    assert reset.status_code == 302
    after = await admin.get("/admin/clock")
    assert success_banner(after.text) == "Success The clock is back to real time"
    assert "cdv-training-clock" not in after.text
    assert abs((await current_clock()).now() - datetime.now(UTC)) < timedelta(seconds=5)


async def test_a_date_that_does_not_exist_and_a_bad_number_of_days_are_shown_on_their_fields(client_as):
    admin, _ = await client_as("national_admin")
    token = csrf_from((await admin.get("/admin/clock")).text)
    bad_date = await admin.post(
        "/admin/clock", data={"_csrf_token": token, "day": "30", "month": "2", "year": "2027", "time": "09:00"}
    )
    assert (bad_date.status_code, error_summary_links(bad_date.text)) == (400, ["#clock_on"])
    assert "Enter a real date, like 2 4 2027" in text_of(bad_date.text)
    empty = await admin.post(
        "/admin/clock", data={"_csrf_token": token, "day": "", "month": "", "year": "", "time": ""}
    )
    assert empty.status_code == 400
    assert error_summary_links(empty.text)[0] == "#clock_on"
    assert "time" in fields_in_error(empty.text)
    days = await admin.post("/admin/clock/advance", data={"_csrf_token": token, "days": "0"})
    assert (days.status_code, error_summary_links(days.text)) == (400, ["#days"])
    assert not (await current_clock()).is_moved


async def test_the_clock_page_is_in_welsh_and_for_national_admins_only(client_as):
    admin, _ = await client_as("national_admin")
    cy = await admin.get("/admin/clock?lang=cy")
    assert html_lang(cy.text) == "cy"
    assert welsh("Training clock") in text_of(cy.text)
    assert 'href="/admin/clock"' in (await admin.get("/dashboard")).text, "the header links to it"
    commissioner, _ = await client_as("commissioner")
    assert (await commissioner.get("/admin/clock")).status_code == 403
    assert 'href="/admin/clock"' not in (await commissioner.get("/dashboard")).text
