"""The contract document's web page, the accessible twin of its PDF: the same numbered sections and the same facts,
in English and Welsh, with a link to the PDF; plain words where a contract has no KPIs or variations yet."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.tables import ContractKpi
from tests import contracts_support_document as s
from tests.api.contracts.test_contract_document_api import PRICE_RISE, REJECTED, SECTIONS, facts
from tests.pages.markup import html_lang, text_of, welsh

pytestmark = pytest.mark.usefixtures("menu")


async def _both(http, contract_id: int, language: str) -> tuple[str, str]:
    page = await http.get(f"/contracts/{contract_id}/document?lang={language}")
    assert page.status_code == 200, page.text
    pdf = await http.get(f"/contracts/{contract_id}/document.pdf")  # the language stays for the visit
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    return page.text, s.pdf_text(pdf.content)


def _main(page: str) -> str:
    return text_of(page[page.index('id="maincontent"') : page.index("</main>")])


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_the_page_and_the_pdf_state_the_same_sections_and_facts(as_user, language):
    made = await s.made_contract()
    await s.allocate(made.contract_id)
    await s.approve_variation(
        made.contract_id, 1, kind="price_change", reason=PRICE_RISE, effective_on=date(2027, 10, 1)
    )
    await s.approve_variation(
        made.contract_id, 2, kind="extension", reason=REJECTED, effective_on=date(2028, 1, 1), status="rejected"
    )
    http = await as_user(made.provider)

    page, pdf = await _both(http, made.contract_id, language)

    html = _main(page)
    assert html_lang(page) == language
    say = welsh if language == "cy" else str
    for n, name in enumerate(SECTIONS, start=1):
        heading = f"{n}. {say(name)}"
        assert heading in html and heading in pdf, heading
    wanted = await facts(made.contract_id, language) + [s.VEHICLE, PRICE_RISE, made.reference]
    assert [f for f in wanted if f not in html] == [] and [f for f in wanted if f not in pdf] == []
    assert REJECTED not in html and REJECTED not in pdf
    assert f'href="/contracts/{made.contract_id}/document.pdf"' in page
    assert say("Download as PDF") in html


async def test_a_contract_with_no_kpis_variations_or_split_says_so_in_plain_words(as_user):
    made = await s.made_contract()
    await ContractKpi.delete().where(ContractKpi.contract == made.contract_id)
    http = await as_user(made.commissioner)

    page, pdf = await _both(http, made.contract_id, "en")

    html = _main(page)
    for words in (
        "This contract has no KPIs.",
        "No variation has been approved.",
        "The split by cluster has not been entered yet.",
        "No activity plan has been set yet.",
    ):
        assert words in html and words in pdf, words
    assert "Version 1 " in html and "The award" in pdf


async def test_a_varied_contract_with_kpis_and_a_split_shows_no_empty_state(as_user):
    made = await s.made_contract()
    await s.allocate(made.contract_id)
    await s.approve_variation(made.contract_id, 1, kind="correction", reason="A typo", effective_on=date(2027, 5, 1))
    http = await as_user(made.commissioner)

    page, pdf = await _both(http, made.contract_id, "en")

    for words in ("This contract has no KPIs.", "No variation has been approved.", "has not been entered yet"):
        assert words not in _main(page) and words not in pdf
