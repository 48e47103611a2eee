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

from tests.browser import support
from tests.browser.test_crawl import crawl

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


async def _serve(context: Any, path: str, html: str) -> None:
    async def answer(route: Any) -> None:
        await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

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
