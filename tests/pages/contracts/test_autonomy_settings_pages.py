"""The national terms of earned autonomy (issue 15, item 5): a national administrator's form with its error summary,
check your answers, then the terms in force and audited; English and Welsh; nobody else sees it."""

from __future__ import annotations

from typing import Any

import httpx

from audit.tables import AuditEvent
from contracts.tables import AutonomySetting
from tests.api.audit_writes.autonomy import terms_form
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, html_lang, not_offered, success_banner, text_of, welsh


async def _post(http: httpx.AsyncClient, data: dict[str, Any]) -> httpx.Response:
    form = await http.get("/autonomy/settings")
    assert form.status_code == 200
    return await http.post("/autonomy/settings", data={**data, "_csrf_token": csrf_from(form.text)})


async def test_the_terms_are_checked_before_they_are_set(client_as):
    http, actor = await client_as("national_admin")
    form = await http.get("/autonomy/settings")
    assert 'value="5000.00"' in form.text and 'value="20000.00"' in form.text, "the defaults in force"
    assert not_offered(form.text, terms_form()) == set()

    wrong = await _post(http, terms_form() | {"earned_min_level": "seven", "high_domains": []})
    assert wrong.status_code == 400
    assert error_summary_links(wrong.text) == ["#earned_min_level", "#high_domains"]

    easier = await _post(http, terms_form() | {"high_red_free_quarters": "1"})
    assert easier.status_code == 400 and error_summary_links(easier.text) == ["#high_min_level"]

    check = await _post(http, terms_form())
    assert check.status_code == 200
    text = text_of(check.text)
    assert "Maturity level 3 or higher in Governance, Finance" in text
    assert "Half-yearly, light" in text
    assert await AutonomySetting.count() == 0, "the check writes nothing"

    done = await _post(http, terms_form() | {"confirm": "yes"})
    assert done.status_code in (302, 303) and done.headers["location"] == "/autonomy/settings"
    shown = await http.get("/autonomy/settings")
    assert "terms of earned autonomy are set" in (success_banner(shown.text) or "")
    assert 'value="2500.00"' in shown.text
    event = await AuditEvent.select().where(AuditEvent.action == "autonomy.settings_set").first()
    assert event is not None and event["actor_username"] == actor.username


async def test_the_form_reads_in_welsh_and_only_a_national_administrator_sees_it(client_as):
    http, _ = await client_as("national_admin")
    page = await http.get("/autonomy/settings?lang=cy")
    assert html_lang(page.text) == "cy" and welsh("Set the terms of earned autonomy") in text_of(page.text)
    commissioner, _ = await client_as("commissioner")
    assert (await commissioner.get("/autonomy/settings")).status_code == 403
