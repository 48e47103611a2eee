"""The crawl: every page a person can reach by following links, for every role, in English and in Welsh.

From the start page, every same-origin GET link is followed (sign-out and downloads are not; each URL once; at most
MAX_PAGES per role and language; of the URLs that differ only in query values, the first; of the paths that differ
only in an id, the first MAX_PER_PATTERN). Every page must pass support.check_page: status 200, <html lang>, the
language link to the same page in the other language, a descriptive and unique <title>, one h1, no axe-core
violation of WCAG 2.2 AA, on Welsh pages no English interface text, nothing that scrolls sideways at 320 px wide
(WCAG 1.4.10 reflow), and nothing the browser reports: no console error, no CSP violation, no uncaught exception, no
failed request. Every PDF met is checked once per language.

All problems of all pages are reported in one assertion per role and language, each naming the URL, the role, the
language, the axe rule and the element, with a screenshot and the HTML kept under test-artifacts/browser/.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.async_api import Error as PlaywrightError

from tests.browser import support

pytestmark = pytest.mark.browser


def _follow(link: dict[str, Any], origin: str) -> bool:
    """Same-origin GET links to pages; not sign-out, downloads, or links marked with hreflang.

    A link with hreflang leads to a resource in the language it names: the language switch (checked on every page
    by check_counterpart) or a resource declared English-only (the third-party Swagger UI explorer).
    """
    href = link["href"]
    parts = urlsplit(href)
    if f"{parts.scheme}://{parts.netloc}" != origin or parts.scheme not in ("http", "https"):
        return False
    if link["hreflang"] or link["download"]:
        return False
    path = parts.path.lower()
    if path in support.SKIPPED_PATHS or path.startswith(support.NOT_PAGES):
        return False
    return not path.endswith(support.DOWNLOAD_SUFFIXES)


def _is_pdf_link(link: dict[str, Any]) -> bool:
    return support.is_pdf_url(link["href"]) or link["type"].split(";")[0].strip().lower() == "application/pdf"


async def _served_as_pdf(context: Any, url: str) -> bool:
    answer = await context.request.get(url)
    return "application/pdf" in answer.headers.get("content-type", "")


def _report_browser_problems(page: Any, url: str, role: str, language: str, reports: list[str]) -> None:
    """For what is opened but not checked as a page (a PDF, a download): what the browser reported on the way."""
    problems = support.browser_problems(page)
    if problems:
        lines = "\n".join(f"    - {problem}" for problem in problems)
        reports.append(f"URL {url} (role {role}, language {language})\n{lines}")


async def crawl(
    context: Any, page: Any, origin: str, role: str, language: str, *, start_path: str = "/", evidence: str = "crawl"
) -> tuple[int, list[str], list[str]]:
    """Returns (pages checked, failure reports, PDF problems). test_checks_can_fail.py crawls planted pages."""
    start = origin + start_path
    queue: deque[str] = deque([start])
    seen = {support.canonical(start)}
    variants: set[tuple[str, frozenset[str]]] = {(urlsplit(start).path, frozenset())}
    per_pattern: Counter[str] = Counter()
    titles: dict[str, str] = {}
    pdfs: dict[str, tuple[list[str], str | None]] = {}  # PDF link: (links beside it, the page it is on)
    reports: list[str] = []
    stylesheets: set[str] = set()
    checked = 0

    while queue and checked < support.MAX_PAGES:
        # Every page is opened with ?lang= for the crawl's language: the other-language check on the page before
        # switched the saved language over, and this is the link back it offers.
        url = support.with_language(queue.popleft(), language)
        try:
            response = await page.goto(url)
        except PlaywrightError as exc:
            if "Download is starting" not in str(exc):
                reports.append(f"URL {url} (role {role}, language {language}): could not be opened: {exc}")
            elif await _served_as_pdf(context, url):
                pdfs.setdefault(url, ([], None))
            _report_browser_problems(page, url, role, language, reports)
            continue  # a download (spreadsheet, ...) met only when opened: not a page
        kind = response.headers.get("content-type", "") if response else ""
        if "application/pdf" in kind:
            pdfs.setdefault(url, ([], None))
            _report_browser_problems(page, url, role, language, reports)
            continue
        checked += 1
        seen.add(support.canonical(page.url))
        if "text/html" not in kind:
            if response is None or response.status != 200:
                reports.append(f"URL {url} (role {role}, language {language}): status {response and response.status}")
            continue
        result = await support.check_page(page, response, page.url, language, stylesheets_seen=stylesheets)
        if result.title:
            first = titles.setdefault(result.title, support.canonical(page.url))
            if first != support.canonical(page.url):
                result.problems.append(f'<title> "{result.title}" is also the title of {support.short(first)}')
        if result.problems:
            kept = await support.keep_evidence(page, f"{evidence}-{role}-{language}-{checked:02d}")
            lines = "\n".join(f"    - {problem}" for problem in result.problems)
            reports.append(f"URL {page.url} (role {role}, language {language}); evidence {kept}\n{lines}")

        for link in result.links:
            if not _follow(link, origin):
                continue
            if _is_pdf_link(link):
                pdfs.setdefault(support.without_fragment(link["href"]), (link["beside"], page.url))
                continue
            target = support.canonical(link["href"])
            if target in seen:
                continue
            parts = urlsplit(target)
            variant = (parts.path, frozenset(key for key, _ in parse_qsl(parts.query)))
            pattern = support.path_pattern(target)
            if variant in variants or (parts.path != pattern and per_pattern[pattern] >= support.MAX_PER_PATTERN):
                continue
            seen.add(target)
            variants.add(variant)
            per_pattern[pattern] += 1
            queue.append(target)

    pdf_problems: list[str] = []
    for pdf_url, (beside, host) in pdfs.items():
        if support.canonical(pdf_url) in support.PDFS_SEEN[language]:
            continue
        support.PDFS_SEEN[language].add(support.canonical(pdf_url))
        support.PDF_COUNTS[language] += 1
        for problem in await support.check_pdf(context, pdf_url, language, beside, host):
            pdf_problems.append(f"URL {pdf_url} (role {role}, language {language}): {problem}")
    return checked, reports, pdf_problems


CRAWL_TEST = "test_every_reachable_page_passes_the_page_checks"
CONCURRENT_USERS = 3  # crawls of different users at once: the pages wait on the server more than on the CPU


async def crawl_as(chromium: Any, base_url: str, role: str, language: str) -> tuple[int, list[str], list[str]]:
    context = await support.new_context(chromium, base_url, axe=True)
    try:
        page = await context.new_page()
        if role != support.ANONYMOUS:
            await support.sign_in(page, role)
        return await crawl(context, page, base_url, role, language)
    finally:
        await context.close()


@pytest.fixture(scope="session")
async def crawl_results(
    request: pytest.FixtureRequest, chromium: Any, live_server: support.LiveServer
) -> dict[tuple[str, str], Any]:
    """Every selected crawl, run a few users at a time; each test then reports its own role and language.

    One user's two languages run one after the other (the other-language check switches the user's saved
    language back and forth), different users side by side.
    """
    wanted: dict[str, list[str]] = {}
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if getattr(item, "originalname", "") == CRAWL_TEST and callspec is not None:
            wanted.setdefault(callspec.params["role"], []).append(callspec.params["language"])
    results: dict[tuple[str, str], Any] = {}
    limit = asyncio.Semaphore(CONCURRENT_USERS)

    async def user(role: str, languages: list[str]) -> None:
        async with limit:
            for language in languages:
                try:
                    results[(role, language)] = await crawl_as(chromium, live_server.base_url, role, language)
                except Exception as exc:  # reported by that role and language's test
                    results[(role, language)] = exc

    await asyncio.gather(*(user(role, languages) for role, languages in wanted.items()))
    return results


@pytest.mark.parametrize("language", support.LANGUAGES)
@pytest.mark.parametrize("role", support.ROLES)
async def test_every_reachable_page_passes_the_page_checks(
    crawl_results: dict[tuple[str, str], Any], role: str, language: str
) -> None:
    result = crawl_results[(role, language)]
    if isinstance(result, BaseException):
        raise result
    checked, reports, pdf_problems = result
    support.PAGE_COUNTS[(role, language)] = checked
    assert checked > 0, f"the crawl for {role} in {language} checked no page"
    problems = reports + pdf_problems
    assert not problems, (
        f"{len(reports)} of {checked} pages fail for role {role} in language {language}"
        + (f", and {len(pdf_problems)} PDF problems" if pdf_problems else "")
        + ":\n"
        + "\n".join(problems)
    )
