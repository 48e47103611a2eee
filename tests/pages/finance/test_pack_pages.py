"""The finance pack (/finance/spend.pdf) and its web page twin (/finance/spend/document): the same numbered sections
and facts in English and Welsh, the totals of the spend report to the penny, the charts with their figures, clusters
without a known population named apart, and each reader's scope."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from core.money import format_pounds
from organisations.tables import HealthBoard
from tests import spend_support as support
from tests.contracts_support_document import pdf_text
from tests.pages.markup import html_lang, text_of, welsh

SECTIONS = [
    "What this pack covers",
    "What the figures mean",
    "Totals",
    "Spend per cluster",
    "Year on year",
    "Spend by cluster",
    "Spend by PCPG",
    "Spend by menu service",
    "Spend by financial year",
    "Clusters without a known population",
]
TOTALS = ("budget_pence", "earmarked_pence", "committed_pence", "committed_unspent_pence", "actual_pence")


async def _board_name(language: str) -> str:
    board = (
        await HealthBoard.select(HealthBoard.name, HealthBoard.name_cy)
        .where(HealthBoard.name == "Cardiff and Vale University Health Board")
        .first()
    )
    assert board is not None
    return board["name_cy"] if language == "cy" and board["name_cy"] else board["name"]


def _main(page: str) -> str:
    return text_of(page[page.index('id="maincontent"') : page.index("</main>")])


async def _both(http, language: str, query: str = "") -> tuple[str, str]:
    page = await http.get(f"/finance/spend/document?lang={language}{query}")
    assert page.status_code == 200, page.text
    document = await http.get(f"/finance/spend.pdf?{query.lstrip('&')}")
    assert document.status_code == 200, document.text
    assert document.headers["content-type"] == "application/pdf"
    assert document.headers["content-disposition"].startswith('attachment; filename="finance-pack-')
    return page.text, pdf_text(document.content)


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_the_pdf_and_its_web_page_state_the_same_sections_facts_and_totals(client_as, language):
    await support.build_spend_world()
    finance, actor = await client_as("finance_director")
    api = await finance.get("/api/v1/finance/spend", params={"group_by": "cluster", "lang": language})
    totals = api.json()["totals"]

    page, text = await _both(finance, language)

    html = _main(page)
    assert html_lang(page) == language
    say = welsh if language == "cy" else str
    for n, name in enumerate(SECTIONS, start=1):
        heading = f"{n}. {say(name)}"
        assert heading in html and heading in text, heading
    wanted = [
        *(format_pounds(totals[name], language) for name in TOTALS),
        "£13,333.34",  # Cardiff North's commitments, in its chart and its table
        await _board_name(language),
        actor.full_name,
        "2027-28",
    ]
    assert [fact for fact in wanted if fact not in html] == []
    assert [fact for fact in wanted if fact not in text] == []
    assert actor.username not in html and actor.username not in text  # a name, never a username
    for unknown in ("Cardiff East", "Central Vale"):  # no population known: named apart
        assert unknown in html.split(say("Clusters without a known population"))[-1]
        assert unknown in text.split(say("Clusters without a known population"))[-1]
    assert "CityHealth" not in html and "CityHealth" not in text  # another health board's cluster
    if language == "cy":
        assert "What the figures mean" not in html and "What the figures mean" not in text
        assert "Spend per cluster" not in text


async def test_the_web_page_draws_each_chart_as_svg_beside_a_table_of_its_figures(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    page = (await finance.get("/finance/spend/document")).text
    assert page.count('<svg class="app-chart"') == 3  # per cluster, per head, year on year
    assert page.count("The chart&#39;s figures") == 3 or page.count("The chart's figures") == 3
    assert '<title id="section-4-chart-1-title">Spend per cluster</title>' in page
    assert 'aria-labelledby="section-4-chart-1-title section-4-chart-1-desc"' in page
    described = re.search(
        r'<desc id="section-4-chart-1-desc">Committed and actual spend, in pounds, for ([^<]+)\.</desc>', page
    )
    chart = re.search(r'<svg class="app-chart"[^>]*aria-labelledby="section-4-chart-1-title.*?</svg>', page, re.S)
    assert described and chart
    names = re.findall(r'font-weight="bold">([^<]+)</text>', chart.group(0))
    assert described.group(1).split(", ") == names and "Cardiff North" in names  # the chart's clusters, in its order
    assert ">Committed: £13,333.34</text>" in page  # each bar: its series and value
    assert 'href="/finance/spend.pdf" download' in page  # a small pack: the file itself
    pdf = await finance.get("/finance/spend.pdf")
    if os.environ.get("CDV_KEEP_PACK"):
        Path(os.environ["CDV_KEEP_PACK"]).write_bytes(pdf.content)
        Path(os.environ["CDV_KEEP_PACK"] + ".html").write_text(page)


def _year_on_year_apart(form: str) -> tuple[str, str, str]:
    """The pack before its year on year section, that section, and what follows (the tables)."""
    before, _, rest = form.rpartition("Year on year")  # the section, not its line in the contents
    year_on_year, heading, tables = rest.partition("Spend by cluster")
    assert heading, "no tables after the year on year"
    return before, year_on_year, tables


async def test_the_filters_of_the_spend_page_narrow_the_pack(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    page, text = await _both(finance, "en", "&from_year=2028")
    for form in (_main(page), text):
        before, year_on_year, tables = _year_on_year_apart(form)
        assert "2028-29" in tables and "2027-28" not in before + tables
        assert "Central Vale" not in form  # the Vale has no line from 2028
        assert "2027-28" in year_on_year  # the year on year compares every year, whichever the pack covers


async def test_a_commissioner_s_pack_holds_only_their_pcpgs(client_as):
    await support.build_spend_world()
    commissioner, _ = await client_as("commissioner")
    page, text = await _both(commissioner, "en")
    for form in (_main(page), text):
        assert "Cardiff North" in form
        assert "Central Vale" not in form and "CityHealth" not in form


async def test_the_pack_is_refused_to_a_provider_and_a_filter_that_cannot_be_read_is_a_422(client_as):
    await support.build_spend_world()
    provider, _ = await client_as("provider")
    assert (await provider.get("/finance/spend.pdf")).status_code == 403
    finance, _ = await client_as("finance_director")
    assert (await finance.get("/finance/spend.pdf", params={"from_year": "1999"})).status_code == 422


async def test_the_spend_page_offers_the_pack_with_its_filters(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    page = (await finance.get("/finance/spend", params={"group_by": "cluster", "to_year": "2027"})).text
    assert 'href="/finance/spend.pdf?group_by=cluster&amp;to_year=2027"' in page
    assert 'href="/finance/spend/document?group_by=cluster&amp;to_year=2027"' in page
