"""The national administrator's tools in a real Chromium, in English and Welsh: every page the crawl cannot reach by
following links (pages behind a form post, pages past the crawl's bound) gets the crawl's checks (support.check_page:
axe WCAG 2.2 AA, one h1, a title, the language link, no English on Welsh pages), and none scrolls sideways at
320 px wide (WCAG 1.4.10 reflow).

Nothing here changes what the crawl or the journeys see: no vehicle is suspended, no user deactivated, the clock is
not moved; a password link is issued for evaluator2, whose password keeps working.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import support

pytestmark = pytest.mark.browser

REFLOW_WIDTH = 320
RESIZE_SETTLE_MS = 500
SCROLL_WIDTH_JS = "() => document.documentElement.scrollWidth"


async def _first_link(page: Any, path: str, pattern: str, text: str | None = None) -> str:
    """The first link on a page whose path matches `pattern` (and, if given, whose text contains `text`)."""
    await page.goto(f"{path}?lang=en")
    for link in await page.locator("main a[href]").all():
        href = await link.get_attribute("href") or ""
        if re.fullmatch(pattern, urlsplit(href).path) and (text is None or text in (await link.inner_text())):
            return urlsplit(href).path
    raise AssertionError(f"no link like {pattern} on {path}")


async def _reflow_problem(page: Any) -> str | None:
    await page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    try:
        await page.wait_for_timeout(RESIZE_SETTLE_MS)  # the NHS.UK header folds its links into "More" after a resize
        width = await page.evaluate(SCROLL_WIDTH_JS)
    finally:
        await page.set_viewport_size({"width": 1024, "height": 768})
    return f"scrolls sideways at {REFLOW_WIDTH} px ({width} px wide)" if width > REFLOW_WIDTH else None


async def _check(page: Any, url: str, language: str, reports: list[str], *, response: Any = None) -> None:
    """The crawl's checks on a page (opened here unless a form post already led to it), and reflow."""
    if response is None:
        response = await page.goto(support.with_language(url, language))
        result = await support.check_page(page, response, page.url, language)
        problems = result.problems
    else:  # a form's answer: its address is the form's, so only what is on the page is checked
        problems = support.axe_problems(await support.run_axe(page))
        if response.status != 200:
            problems.append(f"status {response.status}")
    reflow = await _reflow_problem(page)
    if reflow:
        problems.append(reflow)
    if problems:
        kept = await support.keep_evidence(page, f"admin-{language}-{len(reports):02d}")
        reports.append(f"URL {page.url} ({language}); evidence {kept}\n" + "\n".join(f"    - {p}" for p in problems))


@pytest.mark.parametrize("language", support.LANGUAGES)
async def test_the_national_admins_pages_pass_the_page_checks(chromium: Any, live_server: Any, language: str) -> None:
    context = await support.new_context(chromium, live_server.base_url, axe=True)
    reports: list[str] = []
    try:
        page = await context.new_page()
        await support.sign_in(page, "admin")
        commissioner = await _first_link(page, "/admin/users", r"/admin/users/\d+", "Gareth Price")
        evaluator2 = await _first_link(page, "/admin/users", r"/admin/users/\d+", "Nia Thomas")
        vehicle = await _first_link(page, "/delivery-vehicles", r"/delivery-vehicles/\d+", "Cardiff North and West")
        service = await _first_link(page, "/menu", r"/menu/\d+")
        for url in (
            "/admin/users",
            "/admin/users/new",
            commissioner,
            f"{commissioner}/scope",
            f"{commissioner}/deactivate",
            "/admin/clock",
            f"{service}/sources",
            f"{vehicle}/suspend",
        ):
            await _check(page, url, language, reports)

        # Check your answers before suspending: the reason typed, then the summary (not confirmed).
        await page.goto(support.with_language(f"{vehicle}/suspend", language))
        await page.fill("#reason", "Insurance certificate lapsed")
        async with page.expect_navigation() as answered:
            await page.locator("main form button").click()
        await _check(page, f"{vehicle}/suspend", language, reports, response=await answered.value)

        # A password link, shown once to the administrator, and the page it opens for the user.
        await page.goto(support.with_language(evaluator2, language))
        async with page.expect_navigation():
            await page.locator(f"form[action='{evaluator2}/password-link'] button").click()
        link = await page.locator(".cdv-password-link a").get_attribute("href")
        assert link, "the password link is shown"
        problems = support.axe_problems(await support.run_axe(page))
        reflow = await _reflow_problem(page)
        if problems or reflow:
            reports.append(
                f"URL {page.url} ({language}), the link shown:\n    - " + "\n    - ".join([*problems, reflow or ""])
            )
        visitor = await context.browser.new_context(base_url=live_server.base_url)
        try:
            await visitor.route(support.NOT_LOCAL, lambda route: route.abort("blockedbyclient"))
            await visitor.add_init_script(script=support.axe_source())
            anonymous = await visitor.new_page()
            await _check(anonymous, urlsplit(link).path, language, reports)
        finally:
            await visitor.close()
    finally:
        await context.close()
    assert not reports, f"{len(reports)} admin pages fail in {language}:\n" + "\n".join(reports)
