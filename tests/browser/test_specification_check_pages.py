"""The check pages before publishing and cancelling a specification, in a real Chromium, in English and Welsh.

The crawl reaches the publish check from a draft's "Check and publish" link, but the cancel check only follows a
form post, so both are opened here the way a commissioner gets to them and given the crawl's checks
(support.check_page: axe WCAG 2.2 AA, one h1, a title, the language link, no English on Welsh pages) and the 320 px
reflow check. The reason's Change link brings the text back; with JavaScript off, an empty reason shows the NHS.UK
error summary.

Nothing here changes what the crawl or the journeys see: nothing is published and nothing cancelled (the confirm
button is never pressed).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import support

pytestmark = pytest.mark.browser

USER = "commissioner"
REASON = "The health board now runs this service itself"
REFLOW_WIDTH = 320
RESIZE_SETTLE_MS = 500


async def _first_specification(page: Any, status: str) -> str:
    await page.goto(f"/specifications?status={status}&lang=en")
    for link in await page.locator("main a[href]").all():
        path = urlsplit(await link.get_attribute("href") or "").path
        if re.fullmatch(r"/specifications/\d+", path):
            return path
    raise AssertionError(f"the commissioner has no {status} specification in the demo")


async def _problems(page: Any, response: Any, language: str) -> list[str]:
    result = await support.check_page(page, response, page.url, language)
    problems = list(result.problems)
    await page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    try:
        await page.wait_for_timeout(RESIZE_SETTLE_MS)  # the NHS.UK header folds its links into "More" after a resize
        width = await page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        await page.set_viewport_size({"width": 1024, "height": 768})
    if width > REFLOW_WIDTH:
        problems.append(f"scrolls sideways at {REFLOW_WIDTH} px ({width} px wide)")
    return problems


@pytest.mark.parametrize("language", support.LANGUAGES)
async def test_the_publish_and_cancel_checks_pass_the_page_checks(
    chromium: Any, live_server: Any, language: str
) -> None:
    context = await support.new_context(chromium, live_server.base_url, axe=True)
    reports: list[str] = []
    try:
        page = await context.new_page()
        await support.sign_in(page, USER)
        draft = await _first_specification(page, "draft")
        published = await _first_specification(page, "published")

        response = await page.goto(support.with_language(f"{draft}/publish", language))
        assert await page.locator("main .nhsuk-card__actions a").count() >= 5, "each section has a Change link"
        for problem in await _problems(page, response, language):
            reports.append(f"{page.url}: {problem}")

        await page.goto(support.with_language(f"{published}/cancel", language))
        await page.fill("#reason", REASON)
        async with page.expect_navigation() as answered:
            await page.locator("main form button").click()
        response = await answered.value
        assert urlsplit(page.url).path == f"{published}/cancel/check", page.url
        assert await page.locator("#cancel-button").count() == 1
        for problem in await _problems(page, response, language):
            reports.append(f"{page.url}: {problem}")

        # Change goes back to the form with the reason as typed; nothing was cancelled on the way.
        async with page.expect_navigation():
            await page.locator("main .nhsuk-card__actions a").first.click()
        assert await page.locator("#reason").input_value() == REASON
    finally:
        await context.close()
    assert not reports, f"{len(reports)} problems in {language}:\n" + "\n".join(reports)


async def test_without_javascript_an_empty_reason_shows_the_error_summary(chromium: Any, live_server: Any) -> None:
    context = await support.new_context(chromium, live_server.base_url, java_script_enabled=False)
    try:
        page = await context.new_page()
        await support.sign_in(page, USER)
        published = await _first_specification(page, "published")
        await page.goto(f"{published}/cancel?lang=en")
        async with page.expect_navigation() as answered:
            await page.locator("main form button").click()
        assert (await answered.value).status == 400
        summary = page.locator(".nhsuk-error-summary")
        assert await summary.count() == 1
        assert await summary.locator("a[href='#reason']").inner_text() == "Give the reason for cancelling"
        assert urlsplit(page.url).path == f"{published}/cancel"
        problems = support.browser_problems(page)
        assert not problems, problems
    finally:
        await context.close()
