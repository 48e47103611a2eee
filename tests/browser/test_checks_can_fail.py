"""Proof that the crawl's checks can fail: pages served only by these tests, each broken in one known way.

The broken pages are answered by the browser context's router on the live server's own origin (the app is not
changed) and go through the very code the crawl uses (test_crawl.crawl), so the failure message and the evidence
files are the crawl's own. Each broken page has a sound twin that must pass, so the checks are not just always red.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from tests.browser import support
from tests.browser.test_crawl import crawl
from tests.browser.test_journeys import journey

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<a class="nhsuk-skip-link" href="#maincontent">{skip}</a>
<main id="maincontent">
<h1>{title}</h1>
<p><a href="{path}?lang={other}" hreflang="{other}" lang="{other}">{other_name}</a></p>
{body}
</main>
</body>
</html>"""

SOUND_ENGLISH = """<form><label for="name">Your name</label><input id="name" name="name" type="text"></form>
<p style="color:#212b32;background:#ffffff">Dark text on white</p>"""

BROKEN_ENGLISH = """<form><input id="unlabelled" name="unlabelled" type="text"></form>
<p id="faint" style="color:#c8c8c8;background:#ffffff">Grey text on white</p>"""

SOUND_WELSH = """<p>Mae'r dudalen hon yn Gymraeg i gyd.</p>
<p>Clwstwr Cardiff North and West</p>
<p lang="en">Swagger UI explorer, in English on purpose</p>"""


def _english_page(body: str, path: str) -> str:
    return PAGE.format(
        lang="en",
        title="Test page",
        skip="Skip to main content",
        path=path,
        other="cy",
        other_name="Cymraeg",
        body=body,
    )


def _welsh_page(body: str, path: str) -> str:
    return PAGE.format(
        lang="cy",
        title="Tudalen brawf",
        skip="Neidio i'r prif gynnwys",
        path=path,
        other="en",
        other_name="English",
        body=body,
    )


async def _serve(context: Any, path: str, html: str, headers: dict[str, str] | None = None) -> None:
    async def answer(route: Any) -> None:
        await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html, headers=headers)

    await context.route(f"**{path}*", answer)


def _forget_evidence(prefix: str) -> None:
    """Evidence of a planted failure is expected; leave test-artifacts/ to real failures."""
    for path in support.ARTIFACTS.glob(f"{prefix}-*"):
        path.unlink()


async def test_axe_check_fails_on_an_unlabelled_input_and_grey_text(
    chromium: Any, live_server: support.LiveServer
) -> None:
    path = "/__test__/broken"
    context = await support.new_context(chromium, live_server.base_url, axe=True)
    try:
        await _serve(context, path, _english_page(BROKEN_ENGLISH, path))
        page = await context.new_page()
        checked, reports, _ = await crawl(
            context, page, live_server.base_url, "anonymous", "en", start_path=path, evidence="control-axe"
        )
        assert checked == 1
        report = "\n".join(reports)
        assert f"URL {live_server.base_url}{path}" in report, report
        assert "role anonymous, language en" in report, report
        assert "axe rule label" in report and "#unlabelled" in report, report
        assert "axe rule color-contrast" in report and "#faint" in report, report
        evidence = sorted(support.ARTIFACTS.glob("control-axe-anonymous-en-01.*"))
        assert [item.suffix for item in evidence] == [".html", ".png"], evidence
        assert "unlabelled" in evidence[0].read_text()

        sound = "/__test__/sound"
        await _serve(context, sound, _english_page(SOUND_ENGLISH, sound))
        await page.goto(sound)
        assert await support.run_axe(page) == [], "the sound twin of the broken page must pass axe"
    finally:
        await context.close()
        _forget_evidence("control-axe")


def _catalogue_plants() -> tuple[support.WelshCatalogue, list[str]]:
    """English catalogue texts to plant: two real ones (one with placeholders filled in) when the catalogue has
    Welsh for them, else a stand-in catalogue with the same kind of entries."""
    catalogue = support.welsh_catalogue()
    plain = next((e.msgid for e in catalogue.translated if "%" not in e.msgid and len(e.msgid) < 60), None)
    shown = "Showing %(first)s to %(last)s of %(total)s"
    if plain and any(e.msgid == shown for e in catalogue.translated):
        return catalogue, [plain, "Showing 1 to 25 of 60"]
    stand_in = support.WelshCatalogue.from_pairs(
        {"Delivery vehicles waiting for approval": "Cyfryngau cyflawni sy'n aros am gymeradwyaeth", shown: "Yn dangos"}
    )
    return stand_in, ["Delivery vehicles waiting for approval", "Showing 1 to 25 of 60"]


async def test_welsh_check_fails_on_english_planted_in_a_welsh_page(
    chromium: Any, live_server: support.LiveServer
) -> None:
    catalogue, (plain, filled) = _catalogue_plants()
    plants = {
        "catalogue text": (f"<p>{plain}</p>", plain),
        "catalogue text with its placeholders filled": (f"<p>{filled}</p>", filled),
        "visually hidden NHS.UK default": ('<span class="nhsuk-u-visually-hidden">Skip to main content</span>', "Skip"),
        "aria-label NHS.UK default": ('<nav aria-label="Breadcrumb"><a href="/">Hafan</a></nav>', "Breadcrumb"),
        "error prefix": ('<p><span class="nhsuk-u-visually-hidden">Error:</span> Rhowch eich enw</p>', "Error:"),
    }
    context = await support.new_context(chromium, live_server.base_url)
    try:
        page = await context.new_page()
        sound = "/__test__/cymraeg"
        await _serve(context, sound, _welsh_page(SOUND_WELSH, sound))
        await page.goto(sound)
        problems, _ = await support.welsh_check(page, catalogue)
        assert problems == [], f"a Welsh page with only Welsh (data and lang=en parts aside) must pass: {problems}"

        for number, (what, (html, needle)) in enumerate(plants.items()):
            path = f"/__test__/cymraeg-{number}"
            await _serve(context, path, _welsh_page(SOUND_WELSH + html, path))
            await page.goto(path)
            problems, _ = await support.welsh_check(page, catalogue)
            assert any(needle in problem for problem in problems), f"{what} planted, not found: {problems}"

        # On a real Welsh page of the app, too.
        await page.goto("/accessibility?lang=cy")
        before, _ = await support.welsh_check(page, catalogue)
        await page.evaluate(
            "text => document.querySelector('main').insertAdjacentHTML('beforeend', text)", plants["catalogue text"][0]
        )
        after, _ = await support.welsh_check(page, catalogue)
        assert any(plain in problem for problem in after) and not any(plain in p for p in before), (before, after)
    finally:
        await context.close()


async def test_the_crawl_reports_a_welsh_page_with_english_planted(
    chromium: Any, live_server: support.LiveServer
) -> None:
    path = "/__test__/cymraeg-crawl"
    context = await support.new_context(chromium, live_server.base_url, axe=True)
    try:
        await _serve(context, path, _welsh_page(SOUND_WELSH + "<p>Skip to main content</p>", path))
        page = await context.new_page()
        _, reports, _ = await crawl(
            context, page, live_server.base_url, "anonymous", "cy", start_path=path, evidence="control-welsh"
        )
        report = "\n".join(reports)
        assert 'welsh: NHS.UK English default "Skip to main content"' in report, report
        assert "role anonymous, language cy" in report and path in report, report
    finally:
        await context.close()
        _forget_evidence("control-welsh")


NAMES_SOUND = """<p>Caerdydd, 2027-28, Cyllid clwstwr</p>
<p>Clystyrau: Cardiff North, Cardiff West</p>
<p>Mewngofnodwyd fel Anna Price, Comisiynydd GCCC.</p>
<table><tr><td>Atgyfeiriadau sy'n arwain at gofrestru</td><td>Merthyr Tydfil</td></tr></table>
<p>Rheswm: The health board will provide teledermatology across Cardiff from April.</p>"""
NAMES_PLANTED = {
    "PCPG in a budget line label": ("<p>Cardiff, 2027-28, Cyllid clwstwr</p>", "PCPG 'Cardiff'"),
    "health board": ("<p>Cardiff and Vale University Health Board</p>", "health board 'Cardiff and Vale University"),
    "role label": ("<p>Anna Price (PCPG commissioner)</p>", "role label 'PCPG commissioner'"),
    "KPI": ("<td>Referrals that lead to enrolment</td>", "KPI 'Referrals that lead to enrolment'"),
}


async def test_welsh_check_fails_on_english_names_of_organisations_kpis_and_roles(
    chromium: Any, live_server: support.LiveServer
) -> None:
    """Issue 10, bullet 17, with the live server's own names (its demo database): a cluster with no Welsh name
    ("Cardiff North") is sound in English and does not count as its PCPG ("Cardiff", in Welsh "Caerdydd"); prose a
    person typed (a reason) is left alone."""
    names = support.names_from_database(live_server.workdir / "demo.sqlite3")
    assert any(english == "Cardiff" for english, _ in names.forbidden), names.forbidden[:5]
    assert "Cardiff North" in names.allowed
    assert "Merthyr Tydfil" in names.allowed, "a cluster's English-only name, and a PCPG's: it cannot tell which"
    context = await support.new_context(chromium, live_server.base_url, axe=True)
    try:
        page = await context.new_page()
        sound = "/__test__/enwau"
        await _serve(context, sound, _welsh_page(NAMES_SOUND, sound))
        await page.goto(sound)
        assert await support.english_names_check(page, names) == [], "Welsh names and English-only ones must pass"
        for number, (what, (html, needle)) in enumerate(NAMES_PLANTED.items()):
            path = f"/__test__/enwau-{number}"
            await _serve(context, path, _welsh_page(NAMES_SOUND + html, path))
            await page.goto(path)
            problems = await support.english_names_check(page, names)
            assert len(problems) == 1 and needle in problems[0], f"{what} planted, not found alone: {problems}"

        path = "/__test__/enwau-crawl"
        planted = "".join(html for html, _ in NAMES_PLANTED.values())
        await _serve(context, path, _welsh_page(NAMES_SOUND + planted, path))
        _, reports, _ = await crawl(
            context, page, live_server.base_url, "anonymous", "cy", start_path=path, evidence="control-names"
        )
        report = "\n".join(reports)
        for what, (_, needle) in NAMES_PLANTED.items():
            assert needle in report, f"the crawl did not report the {what}: {report}"
    finally:
        await context.close()
        _forget_evidence("control-names")


def _pdf(text: str, font: str | None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    name = "Helvetica"
    if font:
        name = Path(font).stem
        pdfmetrics.registerFont(TTFont(name, font))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(name, 12)
    for line_number, line in enumerate(text.splitlines()):
        canvas.drawString(72, 760 - 18 * line_number, line)
    canvas.save()
    return buffer.getvalue()


def test_pdf_check_fails_when_welsh_letters_are_lost() -> None:
    """There are no PDFs yet; this shows the PDF check catches a font without ŵ ŷ and a PDF with no HTML twin."""
    fonts = [
        path
        for path in (
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        )
        if Path(path).exists()
    ]
    assert fonts, "a TTF with ŵ and ŷ is needed (scripts/test installs fonts-dejavu-core)"
    text = "Adroddiad y clwstwr\nMae'r gŵr yn dŷ ac yn gwŷdd"
    html = "<html lang='cy'><body><main><h1>Adroddiad y clwstwr</h1><p>Mae'r gŵr yn dŷ ac yn gwŷdd</p></main></body>"

    good = support.pdf_problems("report.pdf", _pdf(text, fonts[0]), "application/pdf", html, "cy")
    assert good == [], good
    lost = support.pdf_problems("report.pdf", _pdf(text, None), "application/pdf", html, "cy")
    assert any("lost Welsh letters" in problem and "gŵr" in problem for problem in lost), lost
    alone = support.pdf_problems("report.pdf", _pdf(text, fonts[0]), "application/pdf", None, "cy")
    assert any("no HTML page" in problem for problem in alone), alone
    not_pdf = support.pdf_problems("report.pdf", b"<html></html>", "text/html", html, "cy")
    assert any("is not a PDF" in problem for problem in not_pdf), not_pdf


async def test_welsh_check_fails_on_interface_text_the_catalogue_does_not_know(
    chromium: Any, live_server: support.LiveServer
) -> None:
    """A navigation label that was never put in the catalogue is caught by comparing with the English page."""
    nav = '<nav><a class="nhsuk-header__navigation-link" href="/x">{}</a></nav><button>{}</button>'
    data = (
        '<table><thead><tr><th scope="col">{}</th></tr></thead><tbody><tr><td>Cardiff North</td></tr></tbody></table>'
    )
    english = _english_page(nav.format("Opportunities", "Apply") + data.format("Cluster"), "/__test__/nav")
    context = await support.new_context(chromium, live_server.base_url)
    try:
        page = await context.new_page()
        path = "/__test__/nav-cy"
        sound = nav.format("Cyfleoedd", "Cymhwyso") + data.format("Clwstwr")
        await _serve(context, path, _welsh_page(sound, path))
        await page.goto(path)
        assert await support.same_as_english(page, english) == [], "a fully Welsh page must pass"

        planted = "/__test__/nav-cy-planted"
        await _serve(
            context, planted, _welsh_page(nav.format("Opportunities", "Cymhwyso") + data.format("Clwstwr"), planted)
        )
        await page.goto(planted)
        problems = await support.same_as_english(page, english)
        assert any('"Opportunities"' in problem for problem in problems), problems
        assert not any("Cardiff North" in problem for problem in problems), "data must not count as interface text"
    finally:
        await context.close()


# The app's own policy (api/security.py) in the parts these pages use: fonts, images and scripts from this site only,
# scripts and styles with the nonce; and a report-only policy that forbids images (Chromium logs its violations as
# "info", not as errors).
NONCE = "control-nonce"
CSP = {
    "content-security-policy": f"default-src 'self'; script-src 'nonce-{NONCE}'; style-src 'self' 'nonce-{NONCE}'; "
    "font-src 'self'; img-src 'self'",
}
CSP_REPORT_ONLY = {**CSP, "content-security-policy-report-only": "img-src 'none'"}

SOUND_SCRIPTED = f"""<p id="shown">Shown with a script, an image and a style of this site.</p>
<script nonce="{NONCE}">console.log("a log line is no problem"); console.info("nor is information");</script>
<style nonce="{NONCE}">#shown {{ font-weight: bold; }}</style>
<img src="/assets/images/favicon.svg" alt="" width="16" height="16">"""

PLANTED_CONSOLE_ERROR = f"""<script nonce="{NONCE}">console.error("planted console error");</script>"""
PLANTED_EXCEPTION = f"""<script nonce="{NONCE}">window.plantedUndefined.call();</script>"""
PLANTED_FOREIGN_FONT = f"""<style nonce="{NONCE}">
@font-face {{ font-family: Planted; src: url("https://assets.nhs.uk/fonts/planted.woff2") format("woff2"); }}
#planted-font {{ font-family: Planted, arial, sans-serif; }}</style><p id="planted-font">A font from another site</p>"""
PLANTED_MISSING_IMAGE = """<img src="/__test__/no-such-image.png" alt="" width="16" height="16">"""


async def test_browser_check_fails_on_a_console_error_a_csp_violation_an_exception_and_a_failed_request(
    chromium: Any, live_server: support.LiveServer
) -> None:
    """Each planted alone on the sound page, so each is shown to be caught by itself; then all in the crawl."""
    plants = {
        "console error": (PLANTED_CONSOLE_ERROR, CSP, "console error: planted console error"),
        "uncaught exception": (PLANTED_EXCEPTION, CSP, "uncaught exception: TypeError"),
        "font blocked by the CSP": (PLANTED_FOREIGN_FONT, CSP, "CSP violation: "),
        "report-only CSP violation": ("", CSP_REPORT_ONLY, "CSP violation (report-only): "),
        "request answered 404": (PLANTED_MISSING_IMAGE, CSP, "request GET /__test__/no-such-image.png answered 404"),
    }
    context = await support.new_context(chromium, live_server.base_url, axe=True)
    try:
        page = await context.new_page()
        sound = "/__test__/console-sound"
        await _serve(context, sound, _english_page(SOUND_SCRIPTED, sound), CSP)
        await page.goto(sound)
        await support.settle(page)
        assert await page.locator("#shown").evaluate("el => getComputedStyle(el).fontWeight") == "700", (
            "the sound page's script and style must run under its policy"
        )
        assert support.browser_problems(page) == [], "a page that logs no error and loads everything must pass"

        found = {}
        for number, (what, (html, headers, needle)) in enumerate(plants.items()):
            path = f"/__test__/console-{number}"
            await _serve(context, path, _english_page(SOUND_SCRIPTED + html, path), headers)
            await page.goto(path)
            await support.settle(page)
            found[what] = support.browser_problems(page)
            assert any(needle in problem for problem in found[what]), f"{what} planted, not found: {found[what]}"
        font = found["font blocked by the CSP"]
        assert len(font) == 1 and "assets.nhs.uk" in font[0] and "font-src" in font[0], (
            f"the blocked font is reported once, by the CSP directive that blocked it: {font}"
        )

        path = "/__test__/console-crawl"
        everything = SOUND_SCRIPTED + "".join(html for html, _, _ in plants.values())
        await _serve(context, path, _english_page(everything, path), CSP_REPORT_ONLY)
        checked, reports, _ = await crawl(
            context, page, live_server.base_url, "anonymous", "en", start_path=path, evidence="control-console"
        )
        report = "\n".join(reports)
        assert checked == 1 and f"URL {live_server.base_url}{path}" in report, report
        for what, (_, _, needle) in plants.items():
            assert needle in report, f"the crawl did not report the {what}: {report}"
    finally:
        await context.close()
        _forget_evidence("control-console")


async def test_a_journey_fails_when_the_browser_reports_an_error_on_a_page_it_passed_through(
    chromium: Any, live_server: support.LiveServer
) -> None:
    path = "/__test__/journey-console"
    with pytest.raises(AssertionError) as failed:
        async with journey(chromium, live_server, "control-console", javascript=True) as trip:
            page = await trip.open()
            await _serve(page.context, path, _english_page(SOUND_SCRIPTED + PLANTED_CONSOLE_ERROR, path), CSP)
            await page.goto(path)
            await page.goto("/accessibility")
    message = str(failed.value)
    assert "console error: planted console error" in message, message
    assert f"(on {path})" in message, f"the page it was seen on is named: {message}"
    _forget_evidence("journey-control-console")


WIDE_TABLE = """<table class="nhsuk-table"><caption id="quarters" class="nhsuk-table__caption">Clusters by quarter
</caption><thead><tr>{heads}</tr></thead><tbody><tr>{cells}</tr></tbody></table>""".format(
    heads="".join(f'<th scope="col" class="nhsuk-table__header">Quarter{n}heading</th>' for n in range(1, 9)),
    cells="".join(f'<td class="nhsuk-table__cell">£{n}00,000.00</td>' for n in range(1, 9)),
)
LONG_WORD = "<p>Reference CDV20270002AMENDMENTSUPERSEDEDBYAVERYLONGIDENTIFIERWITHNOPLACETOBREAK</p>"
STYLESHEETS = (
    '<link rel="stylesheet" href="/static/build/nhsuk-frontend.min.css"><link rel="stylesheet" href="/static/app.css">'
)


def _styled(body: str) -> str:
    """The app's stylesheets, and the body in the NHS.UK page width container (its gutters at 320 px)."""
    return f'{STYLESHEETS}<div class="nhsuk-width-container">{body}</div>'


def _in_scrolling_table(table: str) -> str:
    """The table as the app's pages wrap it: templates/macros/tables.html, rendered."""
    source = '{% from "macros/tables.html" import scrolling_table %}'
    source += '{% call scrolling_table("quarters") %}' + table + "{% endcall %}"
    templates = Environment(loader=FileSystemLoader(support.ROOT / "templates"), autoescape=True)
    return templates.from_string(source).render()


async def test_reflow_check_fails_on_a_wide_table_and_a_long_word_at_320_px(
    chromium: Any, live_server: support.LiveServer
) -> None:
    """The sound twin has the same content as the app fixes it: the table in the scrolling box of
    templates/macros/tables.html (focusable and named by the caption), the long word allowed to break anywhere."""
    context = await support.new_context(chromium, live_server.base_url, axe=True)
    try:
        page = await context.new_page()
        sound = "/__test__/reflow-sound"
        fixed = _styled(
            _in_scrolling_table(WIDE_TABLE) + LONG_WORD.replace("<p>", '<p style="overflow-wrap: anywhere">')
        )
        await _serve(context, sound, _english_page(fixed, sound))
        await page.goto(sound)
        assert await support.reflow_problems(page) == [], "a table that scrolls in its own box must pass"
        assert await support.run_axe(page) == [], "and its scrolling box must be reachable by keyboard and named"
        assert page.viewport_size == support.VIEWPORT, "the check puts the viewport back"

        for what, html, needle in [
            ("wide table", WIDE_TABLE, "> table.nhsuk-table is"),
            ("long word", LONG_WORD, 'text "Reference CDV20270002AMENDMENT'),
        ]:
            path = f"/__test__/reflow-{what.replace(' ', '-')}"
            await _serve(context, path, _english_page(_styled(html), path))
            await page.goto(path)
            problems = await support.reflow_problems(page)
            assert len(problems) == 1 and "reflow: at 320 px wide the page scrolls sideways" in problems[0], problems
            assert needle in problems[0], f"the {what} is named: {problems}"

        path = "/__test__/reflow-crawl"
        broken = _styled(WIDE_TABLE + LONG_WORD)
        await _serve(context, path, _english_page(broken, path))
        checked, reports, _ = await crawl(
            context, page, live_server.base_url, "anonymous", "en", start_path=path, evidence="control-reflow"
        )
        report = "\n".join(reports)
        assert checked == 1 and "reflow: at 320 px" in report and "role anonymous, language en" in report, report
    finally:
        await context.close()
        _forget_evidence("control-reflow")


async def test_the_crawl_reports_stored_codes_and_internal_ids_in_what_a_person_reads(
    chromium: Any, live_server: support.LiveServer
) -> None:
    """Issue 10, bullet 10. The sound twin says the same things in plain words (the planted pages have no Welsh
    twin, so only this check's words are looked for in the reports)."""
    context = await support.new_context(chromium, live_server.base_url, axe=True)
    try:
        page = await context.new_page()
        sound = "/__test__/plain-words-sound"
        await _serve(
            context,
            sound,
            _english_page("<p>Cardiff, 2027-28, Cluster funding: Under evaluation. Direct Award 1.</p>", sound),
        )
        checked, reports, _ = await crawl(
            context, page, live_server.base_url, "anonymous", "en", start_path=sound, evidence="control-plain"
        )
        assert checked == 1 and "stored code" not in "\n".join(reports), reports  # (it has no Welsh twin: not asked)
        broken = "/__test__/plain-words-broken"
        await _serve(
            context,
            broken,
            _english_page("<p>Budget line 2 for cluster_funding</p><p><strong>under_evaluation</strong></p>", broken),
        )
        checked, reports, _ = await crawl(
            context, page, live_server.base_url, "anonymous", "en", start_path=broken, evidence="control-plain"
        )
        report = "\n".join(reports)
        for needle in ("'Budget line 2'", "'cluster_funding'", "'under_evaluation'"):
            assert f"stored code or internal id {needle}" in report, report
    finally:
        await context.close()
        _forget_evidence("control-plain")
