"""A large finance pack or Excel file is prepared in the background: the download offers to prepare it (a GET starts
nothing), the job's page refreshes itself without JavaScript while it runs, then offers the file, in English and
Welsh; only the person who asked sees the page or the file."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import openpyxl
import pytest

from core.money import format_pounds
from finance.spend import jobs
from finance.spend.schemas import SpendFilterIn
from tests import spend_support as support
from tests.conftest import csrf_from
from tests.contracts_support_document import pdf_text
from tests.pages.markup import welsh

REFRESH = '<meta http-equiv="refresh" content="3">'


def _same(page: str) -> str:
    """A page without what differs on every answer (its nonce) or names the address (its language link)."""
    return re.sub(r'(nonce|href|value)="[^"]*"', "", page)


@pytest.fixture
def always_in_background(monkeypatch):
    monkeypatch.setenv("CDV_EXPORT_BACKGROUND_LINES", "0")


async def _ask(http, download: str, params: dict) -> str:
    """Follow the download link to the offer, post it, and land on the job's page; its address."""
    offer = await http.get(download, params=params)
    assert offer.status_code == 200 and offer.headers["content-type"].startswith("text/html")
    form = {"_csrf_token": csrf_from(offer.text)}
    form |= dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', offer.text))
    asked = await http.post("/finance/exports", data=form)
    assert asked.status_code == 303, asked.text
    return asked.headers["location"]


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_a_large_pack_is_prepared_in_the_background_and_then_offered(client_as, always_in_background, language):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    await finance.get(f"/finance/spend?lang={language}")
    totals = (await finance.get("/api/v1/finance/spend", params={"group_by": "cluster"})).json()["totals"]
    say = welsh if language == "cy" else str

    where = await _ask(finance, "/finance/spend.pdf", {"to_year": "2028"})
    await jobs.wait_for_export_jobs()
    page = await finance.get(where)

    assert page.status_code == 200
    assert say("Your file is ready") in page.text and REFRESH not in page.text
    link = re.search(r'href="(/finance/exports/\d+/file)"', page.text)
    assert link
    file = await finance.get(link.group(1))
    assert file.headers["content-type"] == "application/pdf"
    assert file.headers["content-disposition"].startswith('attachment; filename="finance-pack-')
    text = pdf_text(file.content)
    assert format_pounds(totals["actual_pence"], language) in text
    assert say("Spend by cluster") in text  # written in the language of whoever asked


async def test_the_job_s_page_refreshes_itself_while_the_file_is_prepared(client_as):
    finance, actor = await client_as("finance_director")
    job_id = await jobs.create_export_job(
        actor=actor, kind=jobs.PACK, asked=jobs.Asked(filters=SpendFilterIn(group_by=["pcpg"])), now=datetime.now(UTC)
    )

    waiting = await finance.get(f"/finance/exports/{job_id}")  # a job not yet run: the page starts it

    assert waiting.status_code == 200
    assert "Your file is being prepared" in waiting.text and REFRESH in waiting.text
    assert "0% done" in waiting.text and "/file" not in waiting.text
    assert "script-src" in waiting.headers["content-security-policy"]  # a meta refresh needs no script
    await jobs.wait_for_export_jobs()
    ready = await finance.get(f"/finance/exports/{job_id}")
    assert "Your file is ready" in ready.text and REFRESH not in ready.text and "100% done" in ready.text


async def test_a_large_excel_file_is_prepared_in_the_background(client_as, always_in_background):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    where = await _ask(finance, "/finance/spend.xlsx", {"group_by": "pcpg,cluster"})
    await jobs.wait_for_export_jobs()
    page = (await finance.get(where)).text
    link = re.search(r'href="(/finance/exports/\d+/file)"', page)
    assert link
    file = await finance.get(link.group(1))
    assert file.headers["content-disposition"].startswith('attachment; filename="spend-')
    book = openpyxl.load_workbook(io.BytesIO(file.content))
    assert book.sheetnames == ["PCPG and Cluster", "PCPG", "Cluster", "About"]


async def test_a_small_report_is_answered_at_once(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    for download in ("/finance/spend.pdf", "/finance/spend.xlsx"):
        answer = await finance.get(download)
        assert answer.headers["content-disposition"].startswith("attachment;"), download


async def test_another_reader_gets_a_not_found_for_the_page_and_the_file(client_as, always_in_background):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    other, _ = await client_as("finance_director")
    where = await _ask(finance, "/finance/spend.pdf", {})
    await jobs.wait_for_export_jobs()
    absent = await other.get("/finance/exports/999999")
    assert absent.status_code == 404
    for address in (where, where + "/file"):
        hidden = await other.get(address)
        assert hidden.status_code == 404 and _same(hidden.text) == _same(absent.text)
        assert (await finance.get(address)).status_code == 200


async def test_a_failed_job_says_so_and_stops_refreshing(client_as):
    finance, actor = await client_as("finance_director")
    job_id = await jobs.create_export_job(
        actor=actor, kind=jobs.PACK, asked=jobs.Asked(filters=SpendFilterIn(group_by=["pcpg"])), now=datetime.now(UTC)
    )
    claim = await jobs.claim_export_job(job_id, now=datetime.now(UTC))
    assert claim is not None
    await jobs._write(job_id, claim, {jobs.ExportJob.status: "failed"})
    page = await finance.get(f"/finance/exports/{job_id}?lang=cy")
    assert welsh("Your file could not be prepared") in page.text and REFRESH not in page.text


async def test_the_pack_s_web_page_links_a_large_pdf_without_asking_the_browser_to_save_a_page(
    client_as, always_in_background
):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    page = (await finance.get("/finance/spend/document")).text
    assert 'href="/finance/spend.pdf">' in page and 'href="/finance/spend.pdf" download' not in page
