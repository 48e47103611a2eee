"""The commissioner's forms for a contract the crawl does not reach (it opens only the first contracts of the list,
and the demo's mobilising contract comes later), in a real Chromium, in English and Welsh: confirming mobilisation,
the KPI thresholds with the activity plan, the split by cluster, and the termination's check page with its ledger
effect. Each gets the crawl's checks (support.check_page) and the 320 px reflow check.

Nothing is changed: no confirm button is pressed.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import support

pytestmark = pytest.mark.browser

USER = "commissioner"


async def _first_contract(page: Any, status: str) -> str:
    await page.goto(f"/contracts?status={status}&lang=en")
    for link in await page.locator("main a[href]").all():
        path = urlsplit(await link.get_attribute("href") or "").path
        if re.fullmatch(r"/contracts/\d+", path):
            return path
    raise AssertionError(f"the commissioner has no {status} contract in the demo")


async def _problems(page: Any, response: Any, language: str) -> list[str]:
    result = await support.check_page(page, response, page.url, language)
    return [*result.problems, *await support.reflow_problems(page)]


@pytest.mark.parametrize("language", support.LANGUAGES)
async def test_the_mobilising_forms_and_the_termination_check_pass_the_page_checks(
    chromium: Any, live_server: Any, language: str
) -> None:
    context = await support.new_context(chromium, live_server.base_url, axe=True)
    reports: list[str] = []
    try:
        page = await context.new_page()
        await support.sign_in(page, USER)
        mobilising = await _first_contract(page, "mobilising")
        live = await _first_contract(page, "live")
        for form in ("mobilise", "kpis", "allocations"):
            response = await page.goto(support.with_language(f"{mobilising}/{form}", language))
            assert response.status == 200, (form, response.status)
            reports += [f"{page.url}: {problem}" for problem in await _problems(page, response, language)]

        await page.goto(support.with_language(f"{live}/terminate", language))
        await page.fill("#reason", "The health board now runs this service itself")
        today = await page.evaluate("() => [new Date().getDate(), new Date().getMonth() + 1, new Date().getFullYear()]")
        for part, value in zip(("day", "month", "year"), today, strict=True):  # the last day of service: today
            await page.fill(f"input[name='terminated_on-{part}']", str(value))
        async with page.expect_navigation() as answered:
            await page.locator("main form button").first.click()
        response = await answered.value
        assert response.status == 200, await page.content()
        assert "/terminate" in page.url
        reports += [f"{page.url}: {problem}" for problem in await _problems(page, response, language)]
    finally:
        await context.close()
    assert not reports, f"{len(reports)} problems in {language}:\n" + "\n".join(reports)
