"""Fixtures of the browser suite: one live server and one Chromium for the whole session.

The live server runs on its own fresh demo database (see support.start_live_server); the database that
tests/conftest.py migrates and empties after every test is not used here, so its two autouse fixtures are replaced
by no-ops for this folder. A missing /usr/bin/chromium fails the run: it is never skipped (scripts/test installs it).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import async_playwright

from tests.browser import support


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    """The browser suite does not use the test database (the live server has its own)."""
    yield


@pytest.fixture(autouse=True)
def clean_database() -> Iterator[None]:
    yield


@pytest.fixture(scope="session")
def live_server() -> Iterator[support.LiveServer]:
    shutil.rmtree(support.ARTIFACTS, ignore_errors=True)  # evidence of this run only
    workdir = Path(tempfile.mkdtemp(prefix="cdv-browser-"))
    server = support.start_live_server(workdir)
    support.use_names_from(workdir / "demo.sqlite3")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Any]:
    if not support.CHROMIUM.exists():
        pytest.fail(
            f"{support.CHROMIUM} is missing. The browser suite is not optional: scripts/test installs Debian's "
            "chromium package (apt-get install chromium); `playwright install` is not used.",
            pytrace=False,
        )
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(support.CHROMIUM), headless=True, args=support.LAUNCH_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not support.PAGE_COUNTS:
        return
    write = terminalreporter.write_line
    terminalreporter.section("browser crawl: pages checked per role and language")
    for role in support.ROLES:
        counts = [
            f"{language} {support.PAGE_COUNTS[(role, language)]:3d}"
            + ("*" if support.PAGE_COUNTS[(role, language)] >= support.MAX_PAGES else " ")
            for language in support.LANGUAGES
            if (role, language) in support.PAGE_COUNTS
        ]
        if counts:
            write(f"  {role:<14} " + "   ".join(counts))
    total = sum(support.PAGE_COUNTS.values())
    write(f"  {'total':<14} {total} pages")
    if any(count >= support.MAX_PAGES for count in support.PAGE_COUNTS.values()):
        write(f"  * reached the bound of {support.MAX_PAGES} pages: links may have been left unfollowed")
    pdfs = ", ".join(f"{language} {support.PDF_COUNTS.get(language, 0)}" for language in support.LANGUAGES)
    write(f"  PDFs checked: {pdfs}")
    if support.UNTRANSLATED_SEEN:
        write(
            f"  Welsh pages showed {len(support.UNTRANSLATED_SEEN)} catalogue texts that have no Welsh translation yet:"
        )
        for text in sorted(support.UNTRANSLATED_SEEN)[:10]:
            write(f"    {text[:100]}")
    if support.ARTIFACTS.exists() and any(support.ARTIFACTS.iterdir()):
        write(f"  failure evidence (screenshots and HTML): {support.ARTIFACTS.relative_to(support.ROOT)}/")
