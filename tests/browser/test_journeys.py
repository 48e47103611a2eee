"""Journeys, by clicking and typing as a person would, with JavaScript off and again with it on.

They sign in as provider3, a demo user the crawl does not use, so the crawl's language switching cannot disturb
them (and they put the user's language back to English when done). Any failure keeps a screenshot and the HTML of
the page under test-artifacts/browser/ and names the URL, the role and the language. A journey also fails when the
browser reported a console error, a CSP violation, an uncaught exception or a failed request on any of its pages
(support.browser_problems), naming the page it was seen on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import support

pytestmark = pytest.mark.browser

USER = "provider3"
USER_NAME = "Owain Lewis"  # the header shows people by name (api/demo.py)
JAVASCRIPT = pytest.mark.parametrize("javascript", [False, True], ids=["js-off", "js-on"])


class Journey:
    """The page a journey is on, so that a failure can say where it happened."""

    def __init__(self, chromium: Any, base_url: str, name: str, javascript: bool) -> None:
        self.chromium, self.base_url, self.name, self.javascript = chromium, base_url, name, javascript
        self.contexts: list[Any] = []
        self.pages: list[Any] = []
        self.page: Any = None
        self.role = support.ANONYMOUS

    async def open(self) -> Any:
        """A new visitor: a fresh context (no cookies)."""
        context = await support.new_context(self.chromium, self.base_url, java_script_enabled=self.javascript)
        self.contexts.append(context)
        self.page = await context.new_page()
        self.pages.append(self.page)
        self.role = support.ANONYMOUS
        return self.page

    async def language(self) -> str:
        return str(await self.page.evaluate("document.documentElement.lang"))

    async def focused(self) -> dict[str, Any]:
        return await self.page.evaluate(
            """() => {
                const el = document.activeElement;
                return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className || "",
                        text: (el.textContent || "").trim().slice(0, 60),
                        inMain: !!el.closest("#maincontent")};
            }"""
        )

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()


@asynccontextmanager
async def journey(
    chromium: Any, live_server: support.LiveServer, name: str, javascript: bool
) -> AsyncIterator[Journey]:
    trip = Journey(chromium, live_server.base_url, name, javascript)
    try:
        yield trip
        if trip.page is not None:
            await support.settle(trip.page)
        problems = [problem for page in trip.pages for problem in support.browser_problems(page)]
        assert not problems, "the browser reported:\n" + "\n".join(f"  - {problem}" for problem in problems)
    except Exception as exc:
        language = "?"
        evidence = "(no page)"
        if trip.page is not None:
            try:
                language = await trip.language()
            except Exception:  # noqa: S110 - the page may be gone; the message says so
                pass
            evidence = await support.keep_evidence(
                trip.page, f"journey-{name}-{'js' if javascript else 'nojs'}-{trip.role}-{language}"
            )
        url = trip.page.url if trip.page is not None else "(none)"
        raise AssertionError(
            f"URL {url} (role {trip.role}, language {language}, JavaScript {'on' if javascript else 'off'}): "
            f"{exc}\nevidence {evidence}"
        ) from exc
    finally:
        await trip.close()


async def click_to_sign_in(trip: Journey, password: str = support.PASSWORD) -> None:
    """From wherever the visitor is: the header's sign-in link, the two fields, the button."""
    page = trip.page
    async with page.expect_navigation():
        await page.locator("header a[href='/sign-in']").click()
    await page.locator("#username").fill(USER)
    await page.locator("#password").fill(password)
    async with page.expect_navigation():
        await page.locator("main form button").click()
    if password == support.PASSWORD:
        trip.role = USER


async def click_to_sign_out(trip: Journey) -> None:
    """The header's Sign out asks which: this browser, or everywhere. This browser."""
    async with trip.page.expect_navigation():
        await trip.page.locator("header a[href='/sign-out']").click()
    async with trip.page.expect_navigation():
        await trip.page.locator("main form[action='/sign-out'] button").click()
    trip.role = support.ANONYMOUS


async def click_language(trip: Journey, language: str) -> None:
    """Anyone: the header's link (for the visit). Signed in: the header's button, which keeps it for the user."""
    switch = (
        f"header form[action='/account/language'] button[lang='{language}']"
        if trip.role != support.ANONYMOUS
        else f"header a[hreflang='{language}']"
    )
    async with trip.page.expect_navigation():
        await trip.page.locator(switch).click()
    assert await trip.language() == language, f"the language switch did not switch to {language}"


async def english_please(trip: Journey) -> None:
    """Put the user back on English if an earlier run left them in Welsh."""
    if await trip.language() != "en":
        await click_language(trip, "en")


@JAVASCRIPT
async def test_sign_in_wrong_password_error_summary_then_sign_in_and_out(
    chromium: Any, live_server: support.LiveServer, javascript: bool
) -> None:
    async with journey(chromium, live_server, "sign-in", javascript) as trip:
        page = await trip.open()
        await page.goto("/?lang=en")
        await click_to_sign_in(trip, password="not-the-password")

        summary = page.locator(".nhsuk-error-summary")
        assert await summary.is_visible(), "no error summary after a wrong password"
        assert "There is a problem" in await summary.inner_text()
        assert (await page.title()).startswith("Error:"), f"the title does not start with Error: {await page.title()}"
        assert await page.locator("#username").input_value() == USER, "the username was not kept"
        link = summary.locator("a").first
        target = await link.get_attribute("href")
        assert target and target.startswith("#"), f"the error summary link is {target!r}, not to a field"
        await link.click()
        focused = await trip.focused()
        assert focused["id"] == target[1:], f"the error summary link moved focus to {focused}, not {target}"
        assert await page.locator(f"{target}.nhsuk-input--error").count() == 1, "the field is not marked in error"

        await page.locator("#password").fill(support.PASSWORD)
        async with page.expect_navigation():
            await page.locator("main form button").click()
        trip.role = USER
        await english_please(trip)
        assert urlsplit(page.url).path == "/dashboard", f"signed in, but on {page.url}"
        assert USER_NAME in await page.locator("header").inner_text(), "the header does not show who is signed in"

        await click_to_sign_out(trip)
        assert urlsplit(page.url).path == "/", f"signed out, but on {page.url}"
        assert "You have signed out" in await page.locator("main").inner_text()
        assert await page.locator("header a[href='/sign-in']").count() == 1, "no sign-in link after signing out"
        await page.goto("/dashboard")
        assert urlsplit(page.url).path == "/sign-in", f"the dashboard is still open after signing out: {page.url}"


@JAVASCRIPT
async def test_language_choice_is_kept_for_the_user_and_for_an_anonymous_visitor(
    chromium: Any, live_server: support.LiveServer, javascript: bool
) -> None:
    async with journey(chromium, live_server, "language", javascript) as trip:
        # An anonymous visitor: the choice is kept in a cookie.
        page = await trip.open()
        await page.goto("/?lang=en")
        await click_language(trip, "cy")
        async with page.expect_navigation():
            await page.locator("header nav a[href='/reference/health-boards']").click()
        assert await trip.language() == "cy", "an anonymous visitor's Welsh was not kept on the next page"
        await page.goto("/accessibility")
        assert await trip.language() == "cy", "an anonymous visitor's Welsh was not kept on coming back"
        cookies = {cookie["name"]: cookie["value"] for cookie in await page.context.cookies()}
        assert cookies.get("cdv_language") == "cy", f"no language cookie: {cookies}"

        # A user: Welsh chosen while signed in, kept after signing out and in again, and on another device.
        page = await trip.open()
        await page.goto("/?lang=en")
        await click_to_sign_in(trip)
        await english_please(trip)
        await click_language(trip, "cy")
        await click_to_sign_out(trip)
        assert await trip.language() == "cy", "the Welsh choice was lost on signing out"
        await click_to_sign_in(trip)
        assert await trip.language() == "cy", "the Welsh choice was lost on signing in again"

        page = await trip.open()  # another browser: no cookie, only the saved preference
        await page.goto("/")
        assert await trip.language() == "en", "a new visitor does not start in English"
        await click_to_sign_in(trip)
        assert await trip.language() == "cy", "the user's Welsh preference was not applied on signing in"
        await click_language(trip, "en")
        await click_to_sign_out(trip)
        assert await trip.language() == "en"


@JAVASCRIPT
async def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(
    chromium: Any, live_server: support.LiveServer, javascript: bool
) -> None:
    async with journey(chromium, live_server, "skip-link", javascript) as trip:
        page = await trip.open()
        for path in ("/?lang=en", "/sign-in", "/reference/health-boards", "/reference/health-boards?lang=cy"):
            await page.goto(path)
            await page.keyboard.press("Tab")
            focused = await trip.focused()
            assert "nhsuk-skip-link" in focused["cls"], f"{path}: the first Tab stop is {focused}"
            box = await page.locator(".nhsuk-skip-link").bounding_box()
            assert box and box["width"] > 1 and box["height"] > 1 and box["y"] >= 0, f"{path}: skip link not shown"
            await page.keyboard.press("Enter")
            focused = await trip.focused()
            if javascript:
                # NHS.UK's script focuses <main> itself.
                assert focused["tag"] == "main", f"{path}: the skip link moved focus to {focused}, not <main>"
            else:
                # Without script the browser moves the sequential focus point to #maincontent (<main> cannot
                # hold focus without a tabindex); the proof is where the next Tab lands.
                assert urlsplit(page.url).fragment == "maincontent", f"{path}: the skip link did not go to #maincontent"
            await page.keyboard.press("Tab")
            focused = await trip.focused()
            assert focused["inMain"], f"{path}: after the skip link, Tab went to {focused}, outside the main content"


FOCUSABLE_JS = """() => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])";
    const shown = el => !el.disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    const controls = Array.from(document.querySelectorAll(selector)).filter(shown);
    controls.forEach((el, index) => el.setAttribute("data-tab-check", String(index)));
    return controls.map(el => (el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " "
        + (el.textContent || el.getAttribute("name") || "").trim().slice(0, 40)));
}"""

# The computed styles that can show focus; a focused control must differ from itself unfocused in one of them.
FOCUS_STYLE_JS = """(el) => {
    const s = getComputedStyle(el);
    const transparent = /rgba\\(.*,\\s*0\\)$/.test(s.outlineColor) || s.outlineColor === "transparent";
    const outlined = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && !transparent;
    return {
        outline: outlined ? [s.outlineStyle, s.outlineWidth, s.outlineColor].join(" ") : "none",
        boxShadow: s.boxShadow,
        background: s.backgroundColor,
        color: s.color,
        border: s.borderColor + " " + s.borderWidth,
        decoration: s.textDecorationLine + " " + s.textDecorationThickness,
    };
}"""


@JAVASCRIPT
async def test_every_control_on_the_sign_in_page_is_reached_by_tab_and_shows_focus(
    chromium: Any, live_server: support.LiveServer, javascript: bool
) -> None:
    async with journey(chromium, live_server, "tab-focus", javascript) as trip:
        page = await trip.open()
        await page.goto("/sign-in?lang=en")
        controls: list[str] = await page.evaluate(FOCUSABLE_JS)
        assert len(controls) >= 4, f"the sign-in page has too few controls: {controls}"
        unfocused = []
        for index in range(len(controls)):
            unfocused.append(await page.locator(f"[data-tab-check='{index}']").evaluate(FOCUS_STYLE_JS))

        reached: list[int] = []
        invisible: list[str] = []
        for _ in range(len(controls) + 5):
            await page.keyboard.press("Tab")
            index = await page.evaluate("() => document.activeElement.getAttribute('data-tab-check')")
            if index is None or int(index) in reached:
                if reached:
                    break
                continue
            number = int(index)
            reached.append(number)
            style = await page.locator(f"[data-tab-check='{number}']").evaluate(FOCUS_STYLE_JS)
            if style == unfocused[number]:
                invisible.append(f"{controls[number]} (style {style})")
        missing = [controls[number] for number in range(len(controls)) if number not in reached]
        assert not missing, f"not reached by Tab: {missing}"
        assert not invisible, f"no visible focus indicator: {invisible}"
