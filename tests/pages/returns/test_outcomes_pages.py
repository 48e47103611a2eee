"""The outcomes pages (issue 13, items 5 and 8): each KPI's SPC chart as SVG with its title and description, the table
alternative and RAG in words; the PCPG view; the equity view with its GET form; in English and Welsh."""

from __future__ import annotations

import re
from datetime import date

from tests import contracts_support_lifecycle as cs
from tests import returns_support_outcomes as rs
from tests.pages.markup import error_summary_links, html_lang

YEARS = (2027, 2028, 2029)


async def _contract_with_history() -> int:
    contract_id = await cs.contract(years=YEARS)
    await rs.set_thresholds(contract_id, green_from="80", red_from="60", target="85")
    values = [70, 72, 75, 71, 74, 78, 80, 79, 82, 85, 84, 86]
    await rs.report(contract_id, dict(zip(rs.quarters(YEARS), values, strict=True)))
    await cs.clock_on(date(2030, 5, 1))
    return contract_id


async def test_the_contract_outcomes_page_shows_the_chart_with_title_and_description_and_the_table(client_as):
    contract_id = await _contract_with_history()
    http, _ = await client_as("commissioner")
    page = (await http.get(f"/contracts/{contract_id}/outcomes")).text
    svg = re.search(r"<svg[^>]*class=\"cdv-spc-chart\".*?</svg>", page, re.S)
    assert svg, "no chart on the page"
    assert re.search(r'<title id="kpi-\d+-title">KPI 1</title>', svg.group(0))
    assert re.search(r'<desc id="kpi-\d+-desc">12 quarters from 2027-28 Q1 to 2029-30 Q4', svg.group(0))
    assert "KPI 1 by quarter: the chart as a table" in page
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Green</strong>' in page  # the words, not only the colour
    assert "Limits as NHS England&#39;s Making Data Count tools work them out" in page
    assert "<script" not in svg.group(0)
    # The contract's page links to it.
    assert f'href="/contracts/{contract_id}/outcomes"' in (await http.get(f"/contracts/{contract_id}")).text


async def test_too_few_quarters_say_so_on_the_page(client_as):
    contract_id = await cs.contract(years=(2027,))
    await rs.report(contract_id, {(2027, 1): "50"})
    await cs.clock_on(date(2027, 8, 1))
    http, _ = await client_as("national_admin")
    page = (await http.get(f"/contracts/{contract_id}/outcomes")).text
    assert "Too few values for process limits" in page


async def test_the_outcomes_page_in_welsh_is_in_welsh(client_as):
    contract_id = await _contract_with_history()
    http, _ = await client_as("commissioner")
    page = (await http.get(f"/contracts/{contract_id}/outcomes?lang=cy")).text
    assert html_lang(page) == "cy"
    assert "Outcomes against the KPIs" not in page
    assert "Canlyniadau" in page
    assert "Gwyrdd" in page  # Green


async def test_another_pcpgs_commissioner_gets_no_outcomes_page(client_as):
    contract_id = await _contract_with_history()
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    assert (await swansea.get(f"/contracts/{contract_id}/outcomes")).status_code == 404


async def test_the_pcpg_view_lists_the_commissioners_contracts(client_as):
    contract_id = await _contract_with_history()
    http, _ = await client_as("commissioner")
    page = (await http.get("/outcomes?financial_year=2029")).text
    assert f'href="/contracts/{contract_id}/outcomes"' in page
    assert "RAG status of each contract's KPIs in 2029-30" in page
    wrong = await http.get("/outcomes?financial_year=1990")
    assert wrong.status_code == 400 and error_summary_links(wrong.text) == ["#financial_year"]


async def test_the_equity_page_shows_per_1000_and_unknown_populations_apart(client_as):
    contract_id = await cs.contract(years=(2027,), clusters=("Cardiff North", "Cardiff East"))
    service = await rs.same_service(contract_id)
    from tests import factories

    north, east = await factories.cluster_ids("Cardiff North", "Cardiff East")
    await rs.report(contract_id, {(2027, 1): "70"}, activity={(2027, 1): {north: 100, east: 30}})
    http, _ = await client_as("commissioner")
    chooser = (await http.get(f"/equity?service={service}&financial_year=2027")).text
    assert 'value="seen_in_two_days"' in chooser
    page = (await http.get(f"/equity?service={service}&kpi=seen_in_two_days&financial_year=2027")).text
    assert "Activity per 1,000 population by cluster" in page
    known, apart = page.split("Clusters whose population is not known", 1)
    assert "Cardiff North" in known and "Cardiff East" not in known
    assert "Cardiff East" in apart and "Population not known" in apart
    wrong = await http.get(f"/equity?service={service}&kpi=nothing&financial_year=2027")
    assert wrong.status_code == 400 and error_summary_links(wrong.text) == ["#kpi"]
