"""The browser suite's machinery: the live server, the browser, and the checks every page must pass.

Everything here is plain functions so that the crawl, the journeys and the negative controls run the very same
checks (a check that is only ever seen passing proves nothing; test_checks_can_fail.py shows each one failing).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from babel.messages.pofile import read_po
from playwright.async_api import Error as PlaywrightError

from tests.browser.plain_words import markup_problems, plain_words_problems

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CATALOG = ROOT / "locale" / "cy" / "LC_MESSAGES" / "messages.po"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PASSWORD = "demo-password"

ANONYMOUS = "anonymous"
DEMO_USERS = ["admin", "commissioner", "commissioner2", "evaluator", "evaluator2", "provider", "provider2", "finance"]
ROLES = [ANONYMOUS, *DEMO_USERS]
LANGUAGES = ("en", "cy")
OTHER = {"en": "cy", "cy": "en"}

VIEWPORT = {"width": 1024, "height": 768}
# WCAG 2.2 SC 1.4.10 Reflow: at 320 CSS px wide nothing needs scrolling sideways, except content that needs two
# dimensions (a data table), which may scroll inside its own box (the page may not).
REFLOW_WIDTH = 320
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every request that is not to the live server (127.0.0.1, any port) is aborted, and reported as a failed request
# (browser_problems): a page must never depend on (or leak to) another site, nor a test on the internet.
NOT_LOCAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/])")

MAX_PAGES = 60  # per role and language
MAX_PER_PATTERN = 2  # /reference/pcpgs/1, /reference/pcpgs/2, ...: the same template; a few are enough
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods", ".json", ".zip", ".xml", ".docx", ".txt")
SKIPPED_PATHS = ("/sign-out",)
NOT_PAGES = ("/static/", "/assets/", "/api/")

# The English texts the NHS.UK components print when a template does not pass its own (STACK-NOTES.md).
NHSUK_ENGLISH_DEFAULTS = [
    "Skip to main content",
    "Breadcrumb",
    "Support links",
    "Error:",
    "Back to",
    "Information:",
    "Important:",
    "Pagination",
    "Show password",
    "Menu",
    "Account",
    "Browse",
    "Previous page",
    "Next page",
]
# These are prefixes of a longer text ("Error: Enter your username", "Back to Health boards"), not whole texts.
NHSUK_PREFIXES = ("Error:", "Information:", "Important:", "Back to")

# Counts shown at the end of the run (conftest.py's terminal summary), so that growth is visible.
PAGE_COUNTS: dict[tuple[str, str], int] = {}
PDF_COUNTS: dict[str, int] = defaultdict(int)
PDFS_SEEN: dict[str, set[str]] = defaultdict(set)
UNTRANSLATED_SEEN: set[str] = set()


# ---------------------------------------------------------------------------------------------------------------
# The live server


@dataclass
class LiveServer:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    workdir: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cdv_command() -> str:
    """The `cdv` of the interpreter running the tests (the project's .venv), as the README runs it."""
    beside = Path(sys.executable).parent / "cdv"
    if beside.exists():
        return str(beside)
    found = shutil.which("cdv")
    assert found, "the `cdv` command is not installed: run scripts/setup"
    return found


def start_live_server(workdir: Path) -> LiveServer:
    """The real app as scripts/demo starts it (`cdv demo --reset`, then `cdv serve`), on its own SQLite file.

    The rest of the suite migrates and empties a different database (tests/conftest.py); this one is a fresh demo
    database in `workdir`, on 127.0.0.1 and a free port.
    """
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(CDV_ENV="demo", CDV_SQLITE_PATH=str(workdir / "demo.sqlite3"), PICCOLO_CONF="piccolo_conf")
    cdv = cdv_command()
    demo = subprocess.run(
        [cdv, "demo", "--reset"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert demo.returncode == 0, f"`cdv demo --reset` failed:\n{demo.stdout[-2000:]}\n{demo.stderr[-2000:]}"
    port = free_port()
    log_path = workdir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [cdv, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path, workdir)
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise AssertionError(f"`cdv serve` exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.base_url + "/", timeout=2) as answer:  # noqa: S310 - our own server
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise AssertionError(f"`cdv serve` did not answer on {server.base_url} within 30 s:\n{server.log_tail()}")
        time.sleep(0.1)


# ---------------------------------------------------------------------------------------------------------------
# Browser contexts

# Routing a context turns Chromium's HTTP cache off, so every page would fetch the stylesheets and scripts again
# (about 0.1 s a page here). They are fetched from the live server once per session and kept, as a browser would.
STATIC = re.compile(r"^http://127\.0\.0\.1:\d+/(static|assets)/")
_STATIC_CACHE: dict[str, tuple[int, dict[str, str], bytes]] = {}


def _fetch_static(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - the live server, 127.0.0.1 only
            return answer.status, {"content-type": answer.headers.get("content-type", "")}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {"content-type": error.headers.get("content-type", "")}, error.read()


async def _cached_static(route: Any) -> None:
    url = route.request.url
    try:
        if route.request.method != "GET":
            await route.continue_()
            return
        found = _STATIC_CACHE.get(url) or await asyncio.to_thread(_fetch_static, url)
        if found[0] == 200:
            _STATIC_CACHE[url] = found
        status, headers, body = found
        await route.fulfill(status=status, headers=headers, body=body)
    except PlaywrightError:
        pass  # the page or context closed while its stylesheet was on the way


async def new_context(browser: Any, base_url: str, *, java_script_enabled: bool = True, axe: bool = False) -> Any:
    """A fresh context (no cookies) in which only 127.0.0.1 can be reached.

    With `axe`, axe-core is loaded into every page as it opens (an init script: quicker than sending it for each
    page, and like evaluate() not subject to the page's Content-Security-Policy).
    """
    context = await browser.new_context(
        base_url=base_url,
        java_script_enabled=java_script_enabled,
        viewport=VIEWPORT,
        locale="en-GB",
    )
    await context.route(NOT_LOCAL, lambda route: route.abort("blockedbyclient"))
    await context.route(STATIC, _cached_static)
    watch_browser(context)
    _SCRIPTED[context] = java_script_enabled
    if axe:
        await context.add_init_script(script=axe_source())
    return context


# ---------------------------------------------------------------------------------------------------------------
# What the browser reports about a page: console errors, CSP violations, uncaught exceptions, failed requests


@dataclass
class _Seen:
    what: str
    url: str = ""  # the resource (a failed request) or where a console message comes from
    on: str = ""  # the page's address when it was seen


_SEEN: weakref.WeakKeyDictionary[Any, list[_Seen]] = weakref.WeakKeyDictionary()
_PAGE_STATUS = "page status"


def _seen(page: Any, what: str, url: str = "") -> None:
    if page is not None:
        _SEEN.setdefault(page, []).append(_Seen(what, url, page.url))


def _page_of(request: Any) -> Any:
    try:
        return request.frame.page
    except PlaywrightError:  # a service worker's request has no frame
        return None


def _on_console(message: Any) -> None:
    """Errors, and CSP violations at any level: Chromium logs a violation of a report-only policy as "info"."""
    text = message.text
    csp = "Content Security Policy" in text or "Content-Security-Policy" in text
    if message.type == "error" or csp:
        where = message.location.get("url", "") if message.location else ""
        line = message.location.get("lineNumber") if message.location else None
        place = f" ({short(where)}{f':{line + 1}' if line is not None and line >= 0 else ''})" if where else ""
        kind = f"console {message.type}"
        if csp:
            kind = "CSP violation (report-only)" if "report-only" in text.lower() else "CSP violation"
        _seen(message.page, f"{kind}: {' '.join(text.split())[:300]}{place}", where)


def _on_page_error(error: Any) -> None:
    problem = error.error
    _seen(error.page, f"uncaught exception: {problem.name}: {' '.join(problem.message.split())[:300]}")


def _on_request_failed(request: Any) -> None:
    failure = request.failure or "failed"
    # net::ERR_ABORTED is the browser cancelling a request nobody waits for any more: the page navigated away (a
    # favicon still loading), a navigation became a download. A server that fails shows as a status or another
    # error (ERR_EMPTY_RESPONSE, ERR_CONNECTION_RESET, ...); a page that cannot be opened makes page.goto raise.
    if "ERR_ABORTED" in failure:
        return
    _seen(_page_of(request), f"request {request.method} {short(request.url)} failed: {failure}", request.url)


def _on_response(response: Any) -> None:
    """A resource that answered with an error. A page's own status is checked by the crawl and the journeys (a form
    with errors answers 400), so a page is only noted, for browser_problems to recognise the browser's console
    error about it."""
    request = response.request
    if response.status < 400:
        return
    if request.is_navigation_request():
        _seen(_page_of(request), _PAGE_STATUS, response.url)
    else:
        what = f"request {request.method} {short(response.url)} answered {response.status}"
        _seen(_page_of(request), what, response.url)


def watch_browser(context: Any) -> None:
    """Note, per page, what browser_problems reports. support.new_context calls it for every context."""
    context.on("console", _on_console)
    context.on("weberror", _on_page_error)
    context.on("requestfailed", _on_request_failed)
    context.on("response", _on_response)


def browser_problems(page: Any) -> list[str]:
    """What the browser reported about `page` since the last call: console errors, CSP violations (also of a
    report-only policy, which are not errors), uncaught exceptions, and requests that failed or answered 4xx/5xx
    (any request to another site fails: new_context aborts them). Each names the page it was seen on when that is
    not the page now open.

    The browser's own "Failed to load resource" console error about a request already reported here, or about the
    page itself (whose status the crawl and the journeys check), is left out: it would say the same thing twice.
    """
    seen = _SEEN.pop(page, [])
    said = {item.url for item in seen if item.what.startswith("request ") or item.what == _PAGE_STATUS}
    now = canonical(page.url) if not page.is_closed() else ""
    problems = []
    for item in seen:
        if item.what == _PAGE_STATUS or (
            item.what.startswith("console error: Failed to load resource") and item.url in said
        ):
            continue
        if item.what.startswith("request ") and any(
            item.url in other.what for other in seen if other.what.startswith("CSP violation:")
        ):
            continue  # blocked by the policy, whose violation (reported) names the directive
        problems.append(item.what + (f" (on {short(item.on)})" if canonical(item.on) != now else ""))
    return list(dict.fromkeys(problems))


_SCRIPTED: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()  # context: JavaScript on


async def settle(page: Any) -> None:
    """Let the page finish what it started: its web fonts (a blocked font is a console error) and, with JavaScript
    on, two frames (the NHS.UK header rearranges its menu on resize). With JavaScript off no timer or frame
    callback runs, so only the fonts are awaited."""
    frames = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
    script = f"document.fonts.ready.then(() => {frames if _SCRIPTED.get(page.context, True) else 'true'})"
    await asyncio.wait_for(page.evaluate(script), timeout=30)


async def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Through the form, as a person would (the journeys test the form itself in more detail)."""
    await page.goto("/sign-in")
    await page.fill("#username", username)
    await page.fill("#password", password)
    async with page.expect_navigation():
        await page.locator("main form button").click()
    assert urlsplit(page.url).path != "/sign-in", f"{username} could not sign in: still on {page.url}"


# ---------------------------------------------------------------------------------------------------------------
# URLs


def canonical(url: str) -> str:
    """The URL without its fragment, `lang` (the language is the same page in the other language) and `next` (where
    the sign-in page goes afterwards: the same page)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("lang", "next")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def with_language(url: str, language: str) -> str:
    parts = urlsplit(canonical(url))
    query = [*parse_qsl(parts.query, keep_blank_values=True), ("lang", language)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def short(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def is_pdf_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")


def without_fragment(url: str) -> str:
    return urlunsplit((*urlsplit(url)[:4], ""))


def path_pattern(url: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", urlsplit(url).path)


# ---------------------------------------------------------------------------------------------------------------
# Reading a response that was not opened in a tab (the counterpart in the other language)


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.h1 = 0
        self.h1_texts: list[str] = []
        self._in_h1 = False
        self.title = ""
        self.hreflang_links: dict[str, list[str]] = defaultdict(list)
        self.text: list[str] = []
        self.main_text: list[str] = []
        self._in_main = 0
        self._in_title = False
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.html_lang = found.get("lang")
        elif tag == "h1":
            self.h1 += 1
            self._in_h1 = True
            self.h1_texts.append("")
        elif tag == "title" and not self.title:
            self._in_title = True
        elif tag in ("a", "link") and found.get("hreflang") and found.get("href"):
            self.hreflang_links[str(found["hreflang"])].append(str(found["href"]))
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "main":
            self._in_main += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "main" and self._in_main:
            self._in_main -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.text.append(data)
            if self._in_main:
                self.main_text.append(data)
            if self._in_h1:
                self.h1_texts[-1] += data


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    parser.close()
    return parser


# ---------------------------------------------------------------------------------------------------------------
# axe-core


@lru_cache(maxsize=1)
def axe_source() -> str:
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `npm ci` (scripts/setup does)"
    return AXE_JS.read_text(encoding="utf-8")


async def run_axe(page: Any, stylesheets_seen: set[str] | None = None) -> list[dict[str, Any]]:
    """axe-core's violations for WCAG 2.2 A and AA, each with its rule, impact and the offending elements.

    Injected with evaluate() unless an init script put it there (support.new_context(axe=True)); evaluate is not
    subject to the page's Content-Security-Policy (a script tag would be). axe "preloads" the page's stylesheets
    to check them (css-orientation-lock), the slowest part of a run; given `stylesheets_seen`, the set of
    stylesheet lists already checked in this crawl, it does so only for a page whose stylesheets are new.
    """
    if not await page.evaluate("typeof window.axe === 'object'"):
        await page.evaluate(axe_source())
    key, violations = await page.evaluate(
        """async ([tags, seen]) => {
            const key = Array.from(document.styleSheets)
                .map(s => s.href || "inline " + (s.ownerNode ? s.ownerNode.textContent.length : 0)).join(" ");
            const preload = seen === null || !seen.includes(key);
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], preload,
            });
            return [key, result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200)})),
            }))];
        }""",
        [AXE_TAGS, None if stylesheets_seen is None else sorted(stylesheets_seen)],
    )
    if stylesheets_seen is not None:
        stylesheets_seen.add(key)
    return violations


def axe_problems(violations: list[dict[str, Any]]) -> list[str]:
    problems = []
    for violation in violations:
        for node in violation["nodes"]:
            problems.append(
                f"axe rule {violation['id']} ({violation['impact']}): {violation['help']}; "
                f"element {node['target']}: {node['html']}"
            )
    return problems


# ---------------------------------------------------------------------------------------------------------------
# English on a Welsh page


@dataclass(frozen=True)
class EnglishText:
    msgid: str
    pattern: re.Pattern[str]


def _normalise(text: str) -> str:
    return " ".join(text.split())


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def english_pattern(msgid: str) -> re.Pattern[str] | None:
    """A regular expression for the whole text a msgid renders as, or None when it is too short to be telling.

    Placeholders (`%(name)s`, `%s`) match any text; at least two words or 13 characters must be the
    msgid's own (not placeholder) text, so that a one-word label or a bare "%(when)s by %(who)s" cannot be mistaken
    for data that happens to contain it.
    """
    text = _normalise(msgid)
    literal = _normalise(_PLACEHOLDER.sub(" ", text).replace("%%", "%"))
    if len(literal.split()) < 2 and len(literal) <= 12:
        return None
    parts = _PLACEHOLDER.split(text)
    regex = ".+?".join(re.escape(part.replace("%%", "%")) for part in parts)
    return re.compile(regex)


@dataclass(frozen=True)
class WelshCatalogue:
    """What the Welsh catalogue says about English texts.

    `translated`: the English of every entry with a Welsh translation (non-empty and not the same as the English).
    Such a text must never appear on a Welsh page: if it does, something printed the English (a string outside
    gettext, a component default, a stale catalogue). `untranslated`: entries still without Welsh; they appear on
    Welsh pages until the translator gets to them, which the catalogue completeness test already reports, so the
    crawl only counts them.
    """

    translated: tuple[EnglishText, ...]
    untranslated: tuple[EnglishText, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: dict[str, str]) -> WelshCatalogue:
        translated, untranslated = [], []
        for english, welsh in pairs.items():
            pattern = english_pattern(english)
            if pattern is None:
                continue
            if welsh and _normalise(welsh) != _normalise(english):
                translated.append(EnglishText(english, pattern))
            elif not welsh:
                untranslated.append(EnglishText(english, pattern))
        return cls(tuple(translated), tuple(untranslated))


@lru_cache(maxsize=1)
def welsh_catalogue() -> WelshCatalogue:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    pairs: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        welsh = "" if message.fuzzy else (strings[0] or "")
        for english in ids:
            pairs[str(english)] = str(welsh)
    return WelshCatalogue.from_pairs(pairs)


# The texts of a page, as a reader or a screen reader meets them: every text node of the body (visually hidden
# ones included, script and style excluded), the attributes that are read out, and the parts of the title.
# Anything inside an element marked lang="en" (the "English" language link) is English on purpose and left out.
PAGE_TEXTS_JS = """() => {
    const texts = [];
    const norm = s => s.replace(/\\s+/g, " ").trim();
    const english = el => {  // marked English inside the page (the page's own <html lang> does not count)
        const marked = el.closest("[lang]");
        return !!marked && marked !== document.documentElement && /^en/i.test(marked.getAttribute("lang") || "");
    };
    const where = el => {
        let name = el.tagName.toLowerCase();
        if (el.id) name += "#" + el.id;
        else if (el.classList.length) name += "." + Array.from(el.classList).slice(0, 2).join(".");
        const parent = el.parentElement && el.parentElement !== document.body ? el.parentElement : null;
        if (parent && !el.id) {
            let up = parent.tagName.toLowerCase();
            if (parent.id) up += "#" + parent.id; else if (parent.classList.length) up += "." + parent.classList[0];
            name = up + " > " + name;
        }
        return name;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest("script, style, noscript, template") || english(parent)) continue;
        const text = norm(node.data);
        if (text) texts.push({text, where: where(parent), kind: "text"});
    }
    const attributes = ["aria-label", "aria-description", "aria-roledescription", "title", "alt", "placeholder"];
    for (const el of document.body.querySelectorAll("*")) {
        if (english(el)) continue;
        for (const name of attributes) {
            const value = el.getAttribute(name);
            if (value && norm(value)) texts.push({text: norm(value), where: where(el), kind: name});
        }
        if (el.matches("input[type=submit], input[type=button], input[type=reset]") && el.value)
            texts.push({text: norm(el.value), where: where(el), kind: "value"});
    }
    const title = document.querySelector("head > title");
    if (title && !english(title))
        for (const part of document.title.split(/\\s+[–—|-]\\s+/))
            if (norm(part)) texts.push({text: norm(part), where: "title", kind: "title"});
    return texts;
}"""


def english_on_welsh_page(texts: list[dict[str, str]], catalogue: WelshCatalogue) -> tuple[list[str], set[str]]:
    """Problems (English interface text on a Welsh page) and the untranslated catalogue entries seen.

    How it avoids false positives: data (names of clusters, organisations, people) is never compared word by word.
    A catalogue entry counts only when a whole text (a text node, an attribute, a part of the title) is exactly
    that entry, placeholders filled by anything, and only entries of at least two words or 13 characters of their
    own are used (single words such as "Cardiff" could be data). The NHS.UK defaults are matched as whole texts too,
    or as the start of one for the prefixes ("Error: ...", "Back to ...").
    """
    problems: list[str] = []
    untranslated: set[str] = set()
    for item in texts:
        text = item["text"]
        place = f"{item['where']} ({item['kind']})"
        for default in NHSUK_ENGLISH_DEFAULTS:
            if text == default or (default in NHSUK_PREFIXES and text.startswith(default + " ")):
                problems.append(f'welsh: NHS.UK English default "{default}" in {place}: "{text[:80]}"')
        # The most specific entry that matches says what the text is ("Your bid for %(title)s" also matches the
        # text of "Your bid for %(reference)s was received %(when)s.").
        matches = [(entry, True) for entry in catalogue.translated if entry.pattern.fullmatch(text)]
        matches += [(entry, False) for entry in catalogue.untranslated if entry.pattern.fullmatch(text)]
        if not matches:
            continue
        entry, has_welsh = max(matches, key=lambda match: len(_PLACEHOLDER.sub("", match[0].msgid)))
        if has_welsh:
            shown = f'"{text[:100]}"' + (f' (catalogue "{entry.msgid[:80]}")' if text != entry.msgid else "")
            problems.append(f"welsh: English interface text {shown} in {place}")
        else:
            untranslated.add(entry.msgid)
    return list(dict.fromkeys(problems)), untranslated


async def welsh_check(page: Any, catalogue: WelshCatalogue | None = None) -> tuple[list[str], set[str]]:
    texts = await page.evaluate(PAGE_TEXTS_JS)
    return english_on_welsh_page(texts, catalogue or welsh_catalogue())


# ---------------------------------------------------------------------------------------------------------------
# English names on a Welsh page: data that has a Welsh name of its own (issue 10, bullet 17)


@dataclass(frozen=True)
class EnglishNames:
    """English names a Welsh page must not show, each with what it names ("PCPG Cardiff, in Welsh Caerdydd"), and
    English names a Welsh page shows rightly (a cluster without a Welsh name, a delivery vehicle, a person).

    A text is searched for a forbidden name as a whole word (case-sensitive) once every allowed name is taken out
    of it, longest first: "Cardiff North" is a cluster with no Welsh name, so it does not count as the PCPG
    "Cardiff". Text marked lang="en" (English on purpose) never reaches this check (PAGE_TEXTS_JS).
    """

    forbidden: tuple[tuple[str, str], ...]
    allowed: tuple[str, ...] = ()

    @classmethod
    def from_rows(cls, named: list[tuple[str, str, str | None]], allowed: list[str]) -> EnglishNames:
        """`named`: (what, English, Welsh) of things that may have a Welsh name; one without (or with the same one)
        is allowed in English."""
        forbidden, keep = {}, set(allowed)
        for what, english, welsh in named:
            english, welsh = _normalise(english or ""), _normalise(welsh or "")
            if not english:
                continue
            if welsh and welsh != english:
                forbidden[english] = f"{what} {english!r}, in Welsh {welsh!r}"
            else:
                keep.add(english)
        # A name that is English-only for one thing and has Welsh for another ("Merthyr Tydfil": a cluster without a
        # Welsh name, and a PCPG, "Merthyr Tudful") cannot tell which it names: it is allowed.
        forbidden = {english: what for english, what in forbidden.items() if english not in keep}
        return cls(
            tuple(sorted(forbidden.items(), key=lambda item: -len(item[0]))),
            tuple(sorted(keep, key=len, reverse=True)),
        )


def role_label_rows() -> list[tuple[str, str, str | None]]:
    """Every role's label and its Welsh (the labels accounts.rules gives the pages)."""
    from accounts.rules import ROLE_LABELS

    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    rows: list[tuple[str, str, str | None]] = []
    for label in ROLE_LABELS.values():
        message = catalog.get(label)
        rows.append(("role label", label, str(message.string) if message is not None and not message.fuzzy else None))
    return rows


def names_from_database(path: Path) -> EnglishNames:
    """The live server's own names (its demo SQLite database): organisations, clusters and KPIs with their Welsh
    names, the role labels, and the English-only names of delivery vehicles and people."""
    import sqlite3

    named: list[tuple[str, str, str | None]] = role_label_rows()
    allowed: list[str] = []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        for table, what in [
            ("health_board", "health board"),
            ("regional_partnership_board", "regional partnership board"),
            ("local_authority", "local authority"),
            ("pcpg", "PCPG"),
            ("cluster", "cluster"),
            ("menu_kpi", "KPI"),
            ("specification_kpi", "KPI"),
        ]:
            named += [(what, english, welsh) for english, welsh in db.execute(f'SELECT name, name_cy FROM "{table}"')]
        allowed += [name for (name,) in db.execute('SELECT name FROM "delivery_vehicle"')]
        allowed += [name for (name,) in db.execute('SELECT full_name FROM "app_user"')]
    return EnglishNames.from_rows(named, allowed)


_NAMES: dict[str, EnglishNames] = {}


def use_names_from(path: Path) -> None:
    """Called once the live server's demo database exists (conftest.live_server)."""
    _NAMES["live"] = names_from_database(path)


NAME_TEXT_WORDS = 6


def english_names_on_welsh_page(texts: list[dict[str, str]], names: EnglishNames | None = None) -> list[str]:
    """Names are looked for where pages print them: a text that is the name (a cell, an option, a heading), or a
    short text of at most NAME_TEXT_WORDS words around it (a label "Cardiff, 2027-28, Cyllid clwstwr", a list of
    clusters, "Anna Price (PCPG commissioner)"). Prose a person typed (a reason, a need, a cited source, an address)
    is in the language they wrote it in, so longer texts and texts with a web address are left alone."""
    names = names if names is not None else _NAMES.get("live", EnglishNames(()))
    problems = []
    for item in texts:
        text = item["text"]
        whole = {english for english, _ in names.forbidden if text == english}
        if not whole and (len(text.split()) > NAME_TEXT_WORDS or "://" in text):
            continue
        for name in names.allowed:
            if name in text:
                text = text.replace(name, " ")
        for english, what in names.forbidden:
            if english in text and re.search(rf"(?<!\w){re.escape(english)}(?!\w)", text):
                problems.append(
                    f'welsh: English name of a {what} in {item["where"]} ({item["kind"]}): "{item["text"][:100]}"'
                )
                text = text.replace(english, " ")
    return list(dict.fromkeys(problems))


async def english_names_check(page: Any, names: EnglishNames | None = None) -> list[str]:
    return english_names_on_welsh_page(await page.evaluate(PAGE_TEXTS_JS), names)


# Elements whose text is interface, never data: navigation and footer links, buttons, column headings, captions,
# legends, labels of text fields, summary-list keys, details summaries, error summary titles.
INTERFACE_SELECTOR = ", ".join(
    [
        ".nhsuk-header__navigation-link",
        ".nhsuk-footer a",
        "button",
        "a.nhsuk-button",
        "input[type=submit]",
        "thead th",
        "caption",
        "legend",
        "label.nhsuk-label:not(.nhsuk-checkboxes__label):not(.nhsuk-radios__label)",
        ".nhsuk-summary-list__key",
        ".nhsuk-details__summary-text",
        ".nhsuk-error-summary__title",
    ]
)

SAME_AS_ENGLISH_JS = """([englishHtml, selector]) => {
    const norm = s => (s || "").replace(/\\s+/g, " ").trim();
    const english = el => {  // marked English inside the page (the page's own <html lang> does not count)
        const marked = el.closest("[lang]");
        return !!marked && marked !== document.documentElement && /^en/i.test(marked.getAttribute("lang") || "");
    };
    const wholly_english = el => {  // a label whose every word is inside an element marked English (a name)
        const marked = Array.from(el.querySelectorAll("[lang]")).filter(m => /^en/i.test(m.getAttribute("lang") || ""));
        return marked.length > 0 && norm(marked.map(m => m.textContent).join(" ")) === norm(el.textContent);
    };
    const where = el => el.tagName.toLowerCase()
        + (typeof el.className === "string" && el.className ? "." + el.className.split(/\\s+/)[0] : "");
    const texts = (root, welsh) => Array.from(root.querySelectorAll(selector))
        .filter(el => !welsh || !(english(el) || wholly_english(el)))
        .map(el => ({text: norm(el.textContent || el.value), where: where(el)}))
        .filter(item => /[a-z]/.test(item.text) && item.text.length > 2);
    const other = new DOMParser().parseFromString(englishHtml, "text/html");
    const inEnglish = new Set(texts(other, false).map(item => item.text));
    return texts(document, true).filter(item => inEnglish.has(item.text));
}"""


async def same_as_english(page: Any, english_html: str, already: str = "") -> list[str]:
    """Interface text of a Welsh page that is word for word the same on the English version of the page.

    This catches English that no catalogue knows about (a string never extracted, so never translated): the
    Welsh page is compared with its English counterpart, but only in elements that hold interface text (see
    INTERFACE_SELECTOR), never data, and only for texts with lower-case letters (acronyms such as "PCPG" are the
    same in both languages).
    """
    found = await page.evaluate(SAME_AS_ENGLISH_JS, [english_html, INTERFACE_SELECTOR])
    problems = []
    for item in found:
        if f'"{item["text"]}' in already:
            continue
        problems.append(f'welsh: "{item["text"][:80]}" in {item["where"]} is the same as on the English page')
    return list(dict.fromkeys(problems))


# ---------------------------------------------------------------------------------------------------------------
# The checks every page must pass


LINKS_JS = """() => Array.from(document.querySelectorAll("a[href]")).map(a => {
    const box = a.parentElement ? a.parentElement.closest("li, p, td, dd, dt, div, section") : null;
    return {
        href: a.href,
        hreflang: a.getAttribute("hreflang"),
        download: a.hasAttribute("download"),
        type: a.getAttribute("type") || "",
        beside: box ? Array.from(box.querySelectorAll("a[href]")).filter(b => b !== a).map(b => b.href) : [],
    };
})"""

PAGE_FACTS_JS = (
    """(welsh) => {
    const each = (selector, read) => Array.from(document.querySelectorAll(selector)).map(read);
    return {
        lang: document.documentElement.getAttribute("lang"),
        title: document.title.replace(/\\s+/g, " ").trim(),
        h1: each("h1", h => h.textContent.replace(/\\s+/g, " ").trim()),
        alternates: each("link[rel=alternate][hreflang]", l => ({hreflang: l.getAttribute("hreflang"), href: l.href})),
        languageLinks: each("body a[hreflang]", a => ({
            hreflang: a.getAttribute("hreflang"), href: a.href, text: a.textContent.trim(),
        })),
        links: ("""
    + LINKS_JS
    + """)(),
        texts: ("""
    + PAGE_TEXTS_JS
    + """)(),
    };
}"""
)


@dataclass
class PageResult:
    url: str
    problems: list[str] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""


async def check_counterpart(page: Any, url: str, language: str, facts: dict[str, Any]) -> tuple[list[str], str]:
    """The language link: present, pointing at this page in the other language, and that page really is it.

    Fetched with the context's own request client (same cookies and session), so for a signed-in user it changes
    the saved preference; the crawl opens every page with ?lang= for its language, which puts it back, and which
    is the counterpart's link back (checked here to lead to this page) followed.
    """
    other = OTHER[language]
    problems: list[str] = []
    expected = canonical(url)
    # Other links may carry hreflang too (an English-only resource says so); the switch is the one to this page.
    links = [
        link
        for link in facts["languageLinks"]
        if link["hreflang"] == other
        and canonical(link["href"]) == expected
        and dict(parse_qsl(urlsplit(link["href"]).query)).get("lang") == other
    ]
    if not links:
        return [f'no link with hreflang="{other}" to this page in the other language (?lang={other})'], ""
    if not any(a["hreflang"] == other and canonical(a["href"]) == expected for a in facts["alternates"]):
        problems.append(f'no <link rel="alternate" hreflang="{other}"> to this page in the other language')
    answer = await page.request.get(links[0]["href"], max_redirects=0)
    html = await answer.text()
    counterpart = outline(html)
    if answer.status != 200:
        problems.append(f"the {other} version ({short(links[0]['href'])}) answered {answer.status}")
    if counterpart.html_lang != other:
        problems.append(f"the {other} version has <html lang={counterpart.html_lang!r}>")
    if counterpart.h1 != 1 or len(facts["h1"]) != 1:
        problems.append(f"the {other} version has {counterpart.h1} h1, this page {len(facts['h1'])}")
    back = [urljoin(url, href) for href in counterpart.hreflang_links.get(language, []) if href]
    if not any(
        canonical(href) == expected and dict(parse_qsl(urlsplit(href).query)).get("lang") == language for href in back
    ):
        problems.append(f'the {other} version has no hreflang="{language}" link back to this page (?lang={language})')
    return problems, html if answer.status == 200 else ""


async def check_page(
    page: Any,
    response: Any,
    url: str,
    language: str,
    catalogue: WelshCatalogue | None = None,
    stylesheets_seen: set[str] | None = None,
) -> PageResult:
    """Every check on one page, every problem collected (not only the first)."""
    result = PageResult(url=url)
    problems = result.problems
    status = response.status if response is not None else None
    if status != 200:
        problems.append(f"status {status}")
    facts = await page.evaluate(PAGE_FACTS_JS, language == "cy")
    result.title = facts["title"]
    result.links = facts["links"]
    # The other-language round trip goes to the server while axe runs in the page (it changes nothing in it).
    counterpart = asyncio.ensure_future(check_counterpart(page, url, language, facts))
    if facts["lang"] != language:
        problems.append(f"<html lang={facts['lang']!r}>, expected {language!r}")
    if len(facts["h1"]) != 1:
        problems.append(f"{len(facts['h1'])} h1 elements {facts['h1']}, expected one")
    problems.extend(title_problems(facts["title"], facts["h1"]))
    try:
        violations = await run_axe(page, stylesheets_seen)
    finally:
        counterpart_problems, english_html = await counterpart
        problems.extend(counterpart_problems)
    problems.extend(axe_problems(violations))
    if language == "cy":
        english, untranslated = english_on_welsh_page(facts["texts"], catalogue or welsh_catalogue())
        problems.extend(english)
        problems.extend(english_names_on_welsh_page(facts["texts"]))
        UNTRANSLATED_SEEN.update(untranslated)
        if english_html:
            problems.extend(await same_as_english(page, english_html, already=" ".join(english)))
    problems.extend(plain_words_problems(facts["texts"]))
    problems.extend(markup_problems(facts["texts"]))
    problems.extend(await reflow_problems(page))
    await settle(page)
    problems.extend(browser_problems(page))
    return result


# What sticks out past the right edge: the outermost elements, and text that runs out of its box, not counting
# what is inside a box that scrolls or clips (a table in its scrolling container).
REFLOW_JS = """() => {
    const root = document.documentElement;
    const limit = root.clientWidth, width = root.scrollWidth;
    if (width <= limit) return {width, limit, wide: []};
    const out = box => box.right > limit + 0.5 && box.width > 0;
    const clipped = el => {  // el or a box around it scrolls or clips (a visually hidden caption clips its text)
        for (let up = el; up && up !== document.body && up !== root; up = up.parentElement)
            if (getComputedStyle(up).overflowX !== "visible") return true;
        return false;
    };
    const name = el => {
        let text = el.tagName.toLowerCase();
        if (el.id) return text + "#" + el.id;
        if (typeof el.className === "string" && el.className.trim())
            text += "." + el.className.trim().split(/\\s+/).slice(0, 2).join(".");
        const up = el.parentElement;
        if (up && up !== document.body) {
            let parent = up.tagName.toLowerCase();
            if (up.id) parent += "#" + up.id;
            else if (typeof up.className === "string" && up.className.trim())
                parent += "." + up.className.trim().split(/\\s+/)[0];
            text = parent + " > " + text;
        }
        return text;
    };
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (!out(box) || clipped(el.parentElement)) continue;
        if (el.parentElement && out(el.parentElement.getBoundingClientRect())) continue;
        wide.push(name(el) + " is " + Math.round(box.width) + " px wide, to " + Math.round(box.right) + " px");
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.data.trim() || !el || out(el.getBoundingClientRect()) || clipped(el)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (out(box))
            wide.push(`text "${node.data.trim().slice(0, 60)}" in ${name(el)} runs to ${Math.round(box.right)} px`);
    }
    return {width, limit, wide: wide.slice(0, 8)};
}"""


async def reflow_problems(page: Any) -> list[str]:
    """The page at REFLOW_WIDTH px: nothing scrolls sideways (the viewport is put back afterwards)."""
    size = page.viewport_size or VIEWPORT
    await page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        await settle(page)
        found = await page.evaluate(REFLOW_JS)
    finally:
        await page.set_viewport_size(size)
    if found["width"] <= found["limit"]:
        return []
    what = "; ".join(found["wide"]) or "nothing found to blame"
    return [f"reflow: at {REFLOW_WIDTH} px wide the page scrolls sideways ({found['width']} px of content): {what}"]


SERVICE_SUFFIXES = ("Commissioning cluster services", "NHS Wales")


def title_problems(title: str, h1: list[str]) -> list[str]:
    """A descriptive title names the page first (GOV.UK/NHS.UK pattern "Page – Service – Organisation")."""
    if not title:
        return ["empty <title>"]
    first = re.split(r"\s+[–—|-]\s+", title)[0].strip()
    first = re.sub(r"^\w{1,10}:\s+", "", first)  # "Error: Sign in" names the page after the prefix
    if len(first) < 3 or first in SERVICE_SUFFIXES or first.lower() in ("none", "undefined", "nhs", "page"):
        return [f'<title> "{title}" does not say which page this is']
    return []


# ---------------------------------------------------------------------------------------------------------------
# PDFs


def pdftotext(data: bytes) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: scripts/test installs poppler-utils"
    done = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, f"pdftotext failed: {done.stderr.decode(errors='replace')[:500]}"
    return done.stdout.decode("utf-8", errors="replace")


WELSH_LETTERS = re.compile(r"\w*[ŵŷŴŶ]\w*")


async def check_pdf(context: Any, pdf_url: str, language: str, beside: list[str], host: str | None) -> list[str]:
    """Fetch a PDF and its HTML version, then apply pdf_problems.

    The HTML version is the first other link in the same paragraph, list item or cell as the PDF link, or else the
    page the link is on (a page that offers "this page as a PDF"). None when the link was not met on a page.
    """
    # In the crawl's language, as its HTML version is read: the other-language check of the page before may have
    # switched the saved language over.
    answer = await context.request.get(with_language(pdf_url, language))
    if answer.status != 200:
        return [f"PDF {short(pdf_url)} answered {answer.status}"]
    html_pages = [href for href in beside if not is_pdf_url(href)] or ([host] if host else [])
    companion = None
    if html_pages:
        page_answer = await context.request.get(with_language(html_pages[0], language))
        if page_answer.status != 200 or "html" not in page_answer.headers.get("content-type", ""):
            return [f"the HTML version of {short(pdf_url)} ({short(html_pages[0])}) answered {page_answer.status}"]
        companion = await page_answer.text()
    return pdf_problems(
        short(pdf_url), await answer.body(), answer.headers.get("content-type", ""), companion, language
    )


def pdf_problems(name: str, body: bytes, content_type: str, companion_html: str | None, language: str) -> list[str]:
    """A PDF: served as one, with an HTML page of the same content beside it, and its letters intact.

    The HTML page is the reference for what the text holds: its h1 and every word of its <main> with ŵ or ŷ must
    come out of pdftotext unchanged (fonts without ŵ ŷ print nothing or squares, silently). Checked in both languages:
    English documents carry Welsh names too.
    """
    if "application/pdf" not in content_type or not body.startswith(b"%PDF"):
        return [f"{name} is not a PDF (content-type {content_type!r})"]
    if companion_html is None:
        return [f"PDF {name} has no HTML page with the same content linked beside it"]
    problems: list[str] = []
    text = _normalise(pdftotext(body))
    page = outline(companion_html)
    missing = sorted(word for word in set(WELSH_LETTERS.findall(" ".join(page.main_text))) if word not in text)
    if missing:
        problems.append(f"PDF {name} ({language}) lost Welsh letters: pdftotext lacks {missing[:10]}")
    for heading in page.h1_texts:
        if _normalise(heading) not in text:
            problems.append(f'PDF {name} ({language}) lacks the heading "{_normalise(heading)}" of its HTML version')
    return problems


# ---------------------------------------------------------------------------------------------------------------
# Evidence


async def keep_evidence(page: Any, name: str) -> str:
    """A full-page screenshot and the HTML of the page, under test-artifacts/ (git-ignored); returns where."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
    try:
        await page.screenshot(path=str(stem.with_suffix(".png")), full_page=True)
        stem.with_suffix(".html").write_text(await page.content(), encoding="utf-8")
    except Exception as exc:  # the page may be gone; the failure message still names the URL
        return f"(no evidence: {exc})"
    return f"{stem.relative_to(ROOT)}.png and .html"
