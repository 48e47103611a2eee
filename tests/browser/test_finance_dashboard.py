"""The finance dashboard in a real Chromium, in English and Welsh, at each level of its drill-down: the crawl's page
checks (support.check_page: axe WCAG 2.2 AA, one h1, a title, the language link, no English on Welsh pages), and no
sideways scroll at 320 px wide (WCAG 1.4.10 reflow) with its charts and tables."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import support
from tests.browser.test_admin_pages import _reflow_problem

pytestmark = pytest.mark.browser


async def _link(page: Any, url: str, parameter: str) -> str:
    """The first drill-down link on the page to the level named by `parameter` (pcpg, cluster, health_board)."""
    await page.goto(support.with_language(url, "en"))
    for link in await page.locator("main a[href]").all():
        href = await link.get_attribute("href") or ""
        if urlsplit(href).path == "/finance/dashboard" and re.search(rf"[?&]{parameter}=\d+", href):
            return href
    raise AssertionError(f"no link with {parameter} on {url}")


@pytest.mark.parametrize("language", support.LANGUAGES)
async def test_each_level_of_the_dashboard_passes_the_page_checks_and_reflows(
    chromium: Any, live_server: Any, language: str
) -> None:
    reports: list[str] = []
    charts = 0
    for username, start in (("finance", "pcpg"), ("admin", "health_board")):
        context = await support.new_context(chromium, live_server.base_url, axe=True)
        try:
            page = await context.new_page()
            await support.sign_in(page, username)
            urls = ["/finance/dashboard"]
            urls.append(await _link(page, urls[-1], start))
            if start == "health_board":
                urls.append(await _link(page, urls[-1], "pcpg"))
            urls.append(await _link(page, urls[-1], "cluster"))
            for url in urls:
                response = await page.goto(support.with_language(url, language))
                problems = (await support.check_page(page, response, page.url, language)).problems
                charts += await page.locator("svg.app-chart").count()
                reflow = await _reflow_problem(page)
                if reflow:
                    problems.append(reflow)
                if problems:
                    kept = await support.keep_evidence(page, f"dashboard-{username}-{language}-{len(reports):02d}")
                    reports.append(f"URL {page.url}; evidence {kept}\n" + "\n".join(f"    - {p}" for p in problems))
        finally:
            await context.close()
    assert not reports, "\n".join(reports)
    assert charts >= 6  # the demo's money is drawn (each level above a cluster has its charts)
