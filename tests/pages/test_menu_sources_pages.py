"""Editing a menu service's sources in the browser: one per line, shown on the service's page, a new version."""

from __future__ import annotations

from tests import commissioning_support as support
from tests.pages.markup import error_summary_links, html_lang, success_banner, text_of, welsh
from tests.pages.test_menu_and_budget_pages import form_values


async def test_an_admin_edits_the_sources_one_per_line_and_readers_see_them(client, client_as, menu):
    admin, _ = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    detail = await admin.get(f"/menu/{obesity}")
    assert f'href="/menu/{obesity}/sources"' in detail.text
    form = await admin.get(f"/menu/{obesity}/sources")
    assert form.status_code == 200
    values = form_values(form.text)
    assert values["source"].splitlines()[0] == "ACD presentation: what might the commissioned service be"
    assert values["kpis-0-code"] == "obesity-enrolment"

    unchanged = await admin.post(f"/menu/{obesity}/sources", data=values)
    assert (unchanged.status_code, error_summary_links(unchanged.text)) == (400, ["#source"])
    assert "Referrals that lead to enrolment" in text_of(unchanged.text), "the KPIs are shown again by name"

    values["source"] += "\nhttps://example.org/new-evidence"
    values["kpis-0-target_source"] = "NICE PH53, recommendation 9"
    done = await admin.post(f"/menu/{obesity}/sources", data=values)
    assert (done.status_code, done.headers["location"]) == (302, f"/menu/{obesity}")
    page = await admin.get(done.headers["location"])
    assert success_banner(page.text).startswith("Success The sources are saved as a new version")
    public = text_of((await client.get(f"/menu/{obesity}?lang=en")).text)
    assert "https://example.org/new-evidence" in public
    assert "Typical target: NICE PH53, recommendation 9" in public
    assert "Edit sources" not in public, "only administrators are offered the edit"


async def test_the_sources_form_is_in_welsh_and_closed_to_other_roles(client_as, menu):
    admin, _ = await client_as("national_admin")
    obesity = await support.service_id("obesity")
    form = await admin.get(f"/menu/{obesity}/sources?lang=cy")
    assert html_lang(form.text) == "cy"
    assert welsh("Sources for the service") in text_of(form.text)
    commissioner, _ = await client_as("commissioner")
    assert (await commissioner.get(f"/menu/{obesity}/sources")).status_code == 403
