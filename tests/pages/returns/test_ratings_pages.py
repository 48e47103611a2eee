"""The annual performance rating's pages (issue 13, item 6): the commissioner's form pre-filled from the year's RAG,
the check-your-answers page, then saved; the NHS.UK error summary for a KPI left unrated; the ratings on the
contract's public page with nobody named and no note; English and Welsh."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from contracts.tables import ContractKpi
from core.i18n import translations
from returns.tables import PerformanceRating
from tests import contracts_support_lifecycle as cs
from tests import returns_support_reminders as rs
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, html_lang, summary_rows, table_rows, text_of
from web.cookies import FLASH_COOKIE


def _checked(page: str, name: str) -> list[str]:
    """The values of the radios of that name that are checked."""
    return [
        re.search(r'value="([^"]*)"', tag).group(1)  # type: ignore[union-attr]
        for tag in re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
        if re.search(r"\schecked", tag)
    ]


async def _contract(client_as, values=None):
    await cs.clock_on(date(2028, 4, 3))
    http, commissioner = await client_as("commissioner")
    held = await rs.held(years=(2027, 2028))
    await rs.set_thresholds(held.contract_id)
    await rs.accepted(held.contract_id, values or {1: "85", 2: "50", 3: "40", 4: "30"})  # green and three reds
    (kpi,) = await rs.kpis(held.contract_id)
    return http, commissioner, held, kpi


async def test_the_commissioner_rates_a_year_from_the_suggestion_checks_and_saves(client_as):
    http, _, held, kpi = await _contract(client_as)
    path = f"/contracts/{held.contract_id}/ratings"
    form = await http.get(path)
    assert form.status_code == 200
    assert _checked(form.text, f"kpi-{kpi}") == ["inadequate"]  # pre-filled: red in more than half the quarters
    assert await PerformanceRating.count() == 0

    answer = await http.post(
        path,
        data={
            "financial_year": "2027",
            f"kpi-{kpi}": "requires_improvement",
            f"note-{kpi}": "Recovering",
            "_csrf_token": csrf_from(form.text),
        },
    )
    assert answer.status_code in (302, 303)
    check_path = answer.headers["location"]
    assert urlsplit(check_path).path == f"{path}/check"
    assert await PerformanceRating.count() == 0  # nothing written before the check
    check = await http.get(check_path)
    assert check.status_code == 200
    assert summary_rows(check.text) == [
        ("KPI 1", "Requires improvement – Recovering (suggested by the RAG: Inadequate)")
    ]

    saved = await http.post(
        path,
        data={
            "financial_year": "2027",
            f"kpi-{kpi}": "requires_improvement",
            f"note-{kpi}": "Recovering",
            "confirm": "yes",
            "_csrf_token": csrf_from(check.text),
        },
    )
    assert saved.status_code in (302, 303) and saved.headers["location"] == path
    assert saved.cookies.get(FLASH_COOKIE) == "performance_rated"
    shown = await http.get(path)
    assert ["KPI 1", "Q1: Green Q2: Red Q3: Red Q4: Red", "Inadequate", "Requires improvement Recovering"] in (
        table_rows(shown.text)
    )


async def test_a_kpi_left_unrated_shows_the_error_summary_and_writes_nothing(client_as):
    http, _, held, kpi = await _contract(client_as)
    path = f"/contracts/{held.contract_id}/ratings"
    form = await http.get(path)
    answer = await http.post(path, data={"financial_year": "2027", "_csrf_token": csrf_from(form.text)})
    assert answer.status_code == 400
    assert error_summary_links(answer.text) == [f"#kpi-{kpi}"]
    assert "Choose a rating for KPI 1" in text_of(answer.text)
    assert await PerformanceRating.count() == 0


async def test_the_provider_reads_the_ratings_without_a_form(client_as):
    _, _, held, kpi = await _contract(client_as)
    provider, _ = await client_as("provider", delivery_vehicle_id=held.vehicle_id)
    page = await provider.get(f"/contracts/{held.contract_id}/ratings")
    assert page.status_code == 200 and f'name="kpi-{kpi}"' not in page.text
    assert (await provider.get(f"/contracts/{held.contract_id}/ratings/check")).status_code == 403


async def test_the_public_page_shows_the_ratings_and_names_nobody_in_english_and_welsh(client_as, app):
    http, commissioner, held, kpi = await _contract(client_as)
    path = f"/contracts/{held.contract_id}/ratings"
    form = await http.get(path)
    await http.post(
        path,
        data={
            "financial_year": "2027",
            f"kpi-{kpi}": "inadequate",
            f"note-{kpi}": "Told Dr Jones on the phone",
            "confirm": "yes",
            "_csrf_token": csrf_from(form.text),
        },
    )
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as visitor:
        before_rating = await visitor.get(f"/contracts/{held.contract_id}/public")
        english = await visitor.get(f"/contracts/{held.contract_id}/public?lang=en")
        cymraeg = await visitor.get(f"/contracts/{held.contract_id}/public?lang=cy")
    assert before_rating.status_code == 200
    assert ["KPI 1", "Inadequate"] in table_rows(english.text)
    for page in (english.text, cymraeg.text):
        assert "Dr Jones" not in page and commissioner.username not in page
        assert commissioner.name not in page
    welsh_words = translations("cy").gettext
    assert html_lang(cymraeg.text) == "cy"
    kpi_cy = (await ContractKpi.select(ContractKpi.name_cy).where(ContractKpi.id == kpi).first())["name_cy"]
    assert [kpi_cy, welsh_words("Inadequate")] in table_rows(cymraeg.text)
    assert welsh_words("Inadequate") != "Inadequate"
    assert welsh_words("Performance ratings") in cymraeg.text


async def test_the_public_page_says_when_nothing_is_rated(client_as, app):
    _, _, held, _ = await _contract(client_as)
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as visitor:
        page = await visitor.get(f"/contracts/{held.contract_id}/public?lang=en")
    assert "The contract's performance has not been rated yet." in text_of(page.text)


async def test_the_rating_form_reads_in_welsh(client_as):
    http, _, held, kpi = await _contract(client_as)
    page = await http.get(f"/contracts/{held.contract_id}/ratings?lang=cy")
    welsh_words = translations("cy").gettext
    assert page.status_code == 200 and html_lang(page.text) == "cy"
    assert welsh_words("Requires improvement") in page.text and "Requires improvement" not in page.text
    assert _checked(page.text, f"kpi-{kpi}") == ["inadequate"]
