"""The delivery return's document page, the accessible twin of its PDF (issue 13, item 8): the same numbered sections
and the same facts, in English and Welsh, with a link to the PDF; plain words where a return is not started."""

from __future__ import annotations

import pytest

from tests import contracts_support_document as pdf
from tests import returns_support_document as r
from tests.api.returns.test_return_document_api import EMPTY, SECTIONS
from tests.bidding_support import as_user  # noqa: F401
from tests.pages.markup import html_lang, text_of, welsh


async def _both(http, return_id: int, language: str) -> tuple[str, str]:
    page = await http.get(f"/returns/{return_id}/document?lang={language}")
    assert page.status_code == 200, page.text
    document = await http.get(f"/returns/{return_id}/document.pdf")  # the language stays for the visit
    assert document.status_code == 200 and document.headers["content-type"] == "application/pdf"
    return page.text, pdf.pdf_text(document.content)


def _main(page: str) -> str:
    return text_of(page[page.index('id="maincontent"') : page.index("</main>")])


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_the_page_and_the_pdf_state_the_same_sections_and_facts(as_user, language):  # noqa: F811
    made = await r.made_return()
    http = await as_user(made.provider)

    page, text = await _both(http, made.return_id, language)

    html = _main(page)
    assert html_lang(page) == language
    say = welsh if language == "cy" else str
    for n, name in enumerate(SECTIONS, start=1):
        heading = f"{n}. {say(name)}"
        assert heading in html and heading in text, heading
    wanted = [*r.facts(language), made.reference]
    assert [f for f in wanted if f not in html] == [] and [f for f in wanted if f not in text] == []
    for words in EMPTY:
        assert say(words) not in html, words
    assert f'href="/returns/{made.return_id}/document.pdf"' in page
    assert say("Download as PDF") in html
    if language == "cy":
        assert "Activity by cluster" not in html and "Spend reported by the provider" not in html


async def test_a_return_not_started_says_so_in_plain_words_on_the_page_and_in_the_pdf(as_user):  # noqa: F811
    made = await r.made_return(filled=False)
    http = await as_user(made.commissioner)

    page, text = await _both(http, made.return_id, "en")

    html = _main(page)
    for words in EMPTY:
        assert words in html and words in text, words
    assert r.NARRATIVE not in html and "1,234" not in html
