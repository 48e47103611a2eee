"""The line of sight pages: a reader starts at their own place, follows a priority to its contracts' outcomes and
spend, sees the gaps, goes up and down, reads it in Welsh, and downloads the CSV and the PDF (with its web twin); a
place out of sight is a page that does not exist."""

from __future__ import annotations

from tests import sight_support as support
from tests.contracts_support_document import pdf_text
from tests.pages.markup import html_lang, links, summary_rows, text_of, welsh

PAGE = "/line-of-sight"


async def test_a_commissioner_starts_at_their_pcpg_and_sees_the_line_and_its_gaps(client_as):
    world = await support.build_sight_world()
    http, _ = await client_as("commissioner")
    start = await http.get(PAGE, params={"year": "2027"})
    assert start.status_code in (302, 303) and start.headers["location"] == f"{PAGE}?pcpg={world.cardiff}&year=2027"
    response = await http.get(start.headers["location"])
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Cardiff: 2027-28" in text
    assert "Plan priority: Fewer adults obese" in text
    assert "Red People completing (2027-28 Q3)" in text
    assert dict(summary_rows(response.text))["Committed"].startswith("£")
    shown = {name: href for href, name in links(response.text)}
    assert shown["Fewer falls at home"] == f"/plans#priority-{world.unanswered}"  # a priority with no specification
    assert any(href == f"/contracts/{world.spend.contracts['weight']}" for href in shown.values())
    assert any(href.startswith(f"{PAGE}?cluster=") for href in shown.values()), "down to the clusters"
    assert any(href.startswith(f"{PAGE}?health_board=") for href in shown.values()), "up to the health board"


async def test_a_national_administrator_chooses_a_health_board(client_as):
    await support.build_sight_world()
    http, _ = await client_as("national_admin")
    response = await http.get(PAGE)
    assert response.status_code == 200
    names = [name for href, name in links(response.text) if href.startswith(f"{PAGE}?health_board=")]
    assert "Cardiff and Vale University Health Board" in names and len(names) == 7


async def test_the_page_reads_in_welsh(client_as):
    world = await support.build_sight_world()
    http, _ = await client_as("commissioner")
    response = await http.get(PAGE, params={"pcpg": world.cardiff, "year": "2027", "lang": "cy"})
    assert response.status_code == 200 and html_lang(response.text) == "cy"
    assert welsh("Where the line stops") in response.text and "Where the line stops" not in response.text


async def test_another_pcpg_is_a_page_that_does_not_exist(client_as):
    world = await support.build_sight_world()
    http, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    for path in (PAGE, f"{PAGE}.csv", f"{PAGE}.pdf", f"{PAGE}/document"):
        assert (await http.get(path, params={"pcpg": world.cardiff})).status_code == 404, path
        assert (await http.get(path, params={"pcpg": 999_999})).status_code == 404, path


async def test_the_pdf_and_its_web_twin_say_the_same(client_as):
    world = await support.build_sight_world()
    http, _ = await client_as("finance_director")
    params = {"pcpg": world.cardiff, "year": "2027"}
    pdf = await http.get(f"{PAGE}.pdf", params=params)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    printed = pdf_text(pdf.content)
    twin = await http.get(f"{PAGE}/document", params=params)
    assert twin.status_code == 200
    page = text_of(twin.text)
    for words in ("The place and its money", "Gaps", "From need to contract", "Outcomes", "Fewer falls at home"):
        assert words in printed and words in page, words
    assert "£30,000.01" in printed and "£30,000.01" in page
