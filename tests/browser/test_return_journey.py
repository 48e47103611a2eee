"""A quarter's delivery return from the provider's form to the finance director's payment, on the demo data, in a
real Chromium with JavaScript off, clicking and typing as each person would (issue 13, "Done when"):

the provider fills in the community connectors' return left as a draft by the demo (the quarter before the last
that has ended) and submits
it; the commissioner queries one KPI with a comment; the provider corrects it and submits again; the commissioner
accepts it; the finance director approves the quarter's payment. Then, read from the pages and the download a
finance director uses: the ledger's actual spend for the line rose by the payment to the penny and its committed
fell by the same; the contract's paid column for the cluster rose by the same; and the KPI's RAG status for the
quarter is the one its thresholds give the corrected value.

It runs after the crawl (file order) and changes one return the crawl only reads.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from core.clock import london_day
from core.periods import FinancialYear
from tests.browser import support

pytestmark = pytest.mark.browser

CONTRACT = "Community connectors"
CLUSTER_FUNDING = "Cluster funding"
PAYMENT_PENCE = 9_000_00  # the quarter's share of £36,000.00 a year, paid in arrears (api/demo.py)


def _drafted_quarter() -> tuple[FinancialYear, int]:
    """The quarter the demo leaves as the connectors' draft: the one before the last that has ended (api/demo.py)."""
    today = london_day(datetime.now(UTC))
    year = FinancialYear.containing(today)
    quarter = year.quarter_of(today)
    for _ in range(2):
        year, quarter = (year, quarter - 1) if quarter > 1 else (FinancialYear(year.start_year - 1), 4)
    return year, quarter


def _pence(text: str) -> int:
    found = re.search(r"£?([\d,]+)\.(\d\d)", text)
    assert found is not None, text
    return int(found.group(1).replace(",", "")) * 100 + int(found.group(2))


async def _as(chromium: Any, base_url: str, username: str) -> Any:
    context = await support.new_context(chromium, base_url, java_script_enabled=False)
    page = await context.new_page()
    await support.sign_in(page, username)
    return page


async def _click(page: Any, name: str) -> Any:
    """Press the button or follow the link a person would, and wait for the page it leads to."""
    target = page.locator("main").get_by_role("button", name=name, exact=True)
    if await target.count() == 0:
        target = page.locator("main").get_by_role("link", name=name, exact=True)
    async with page.expect_navigation() as answered:
        await target.first.click()
    response = await answered.value
    assert response is not None and response.status < 400, f"{name} on {page.url}: {await page.inner_text('main')}"
    return response


async def _status(page: Any, return_path: str) -> str:
    await page.goto(f"{return_path}?lang=en")
    rows = await page.locator("main .nhsuk-summary-list__row").all_inner_texts()
    return next(row.removeprefix("Status").strip() for row in rows if row.startswith("Status"))


async def _ledger_line(page: Any, year: FinancialYear) -> dict[str, int]:
    """The line as the finance director downloads it (CSV), in pence."""
    await page.goto("/finance/ledger?lang=en")
    download = await page.request.get("/finance/ledger.csv")
    assert download.status == 200
    rows = list(csv.reader(io.StringIO((await download.body()).decode("utf-8-sig"))))
    header = rows[0]
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=False))
        if (cells["PCPG"], cells["Financial year"], cells["Funding stream"]) == (
            "Cardiff",
            year.label,
            "Cluster funding",
        ):
            return {name: _pence(cells[f"{name} (£)"]) for name in ("Committed, not yet spent", "Actual", "Headroom")}
    raise AssertionError(f"no Cardiff {year.label} cluster funding line in the ledger's CSV: {header}")


async def _paid_to_cluster(page: Any, contract_path: str, year: FinancialYear) -> int:
    """The contract page's paid column for the year (one cluster: Cardiff South East)."""
    await page.goto(f"{contract_path}?lang=en")
    table = page.locator("main table", has=page.locator(f"caption#allocations-{year.start_year}"))
    cells = await table.locator("tbody tr").first.locator("td").all_inner_texts()
    return _pence(cells[-1])


async def _kpi_rag(page: Any, return_path: str, kpi: str) -> str:
    await page.goto(f"{return_path}?lang=en")
    for row in await page.locator("main table tbody tr").all():
        cells = [c.strip() for c in await row.locator("th, td").all_inner_texts()]
        if cells and cells[0].startswith(kpi):
            return cells[-1]
    raise AssertionError(f"no row for {kpi} on {return_path}")


async def test_a_return_goes_from_the_provider_through_a_query_to_an_approved_payment(
    chromium: Any, live_server: Any
) -> None:
    base = live_server.base_url
    year, quarter = _drafted_quarter()
    in_words = f"Quarter {quarter} of {year.label}"
    provider = await _as(chromium, base, "provider2")
    commissioner = await _as(chromium, base, "commissioner")
    finance = await _as(chromium, base, "finance")
    try:
        # The provider's draft, found as they would: their returns to do.
        await provider.goto("/returns?status=draft&lang=en")
        row = provider.locator("main table tbody tr").filter(has_text=CONTRACT).filter(has_text=in_words)
        return_path = await row.locator("a[href^='/returns/']").first.get_attribute("href")
        assert return_path and re.fullmatch(r"/returns/\d+", return_path), return_path
        await provider.goto(f"{return_path}?lang=en")
        contract_path = await provider.locator("main a[href^='/contracts/']").first.get_attribute("href")
        assert contract_path and re.fullmatch(r"/contracts/\d+", contract_path)

        ledger_before = await _ledger_line(finance, year)
        paid_before = await _paid_to_cluster(finance, contract_path, year)

        # 1. The provider fills in every figure and submits (the quarter is over; the return is overdue).
        await _click(provider, "Fill in the return")
        await provider.get_by_label("Cardiff South East").fill("131")
        await provider.get_by_label("Spend incurred in the quarter").fill("8,750.00")
        await provider.get_by_label("Referrals received").fill("131")
        await provider.get_by_label("People connected to at least one community group", exact=False).fill("64")
        await provider.get_by_label("People with an improved wellbeing score", exact=False).fill("88")
        await provider.get_by_label("Narrative").fill("Connectors held weekly sessions in every practice.")
        await _click(provider, "Continue to check")
        assert "Check your answers" in await provider.inner_text("h1")
        await _click(provider, "Submit the return")
        assert await _status(provider, return_path) == "Submitted"
        assert await _kpi_rag(provider, return_path, "People connected") == "Red"  # 64 % against red from 70

        # 2. The commissioner queries one KPI, with a comment on it.
        await commissioner.goto("/returns/review?lang=en")
        await commissioner.locator(f"main a[href='{return_path}/review']").click()
        await commissioner.wait_for_load_state()
        await (
            commissioner.locator("main textarea[name^='comment-kpi:']")
            .nth(1)
            .fill("64 % connected is well below last quarter: check it counts people, not sessions.")
        )
        await _click(commissioner, "Query the return")
        await _click(commissioner, "Send the query")
        assert await _status(provider, return_path) == "Queried"
        assert "64 % connected is well below last quarter" in await provider.inner_text("main")

        # 3. The provider corrects the KPI and submits again.
        await _click(provider, "Fill in the return")
        await provider.get_by_label("People connected to at least one community group", exact=False).fill("86")
        await _click(provider, "Continue to check")
        await _click(provider, "Submit the return")
        assert await _status(provider, return_path) == "Submitted"

        # 4. The commissioner accepts it.
        await commissioner.goto(f"{return_path}/review?lang=en")
        await _click(commissioner, "Accept the return")
        await _click(commissioner, "Accept the return")
        assert await _status(provider, return_path) == "Accepted"

        # 5. The finance director approves the quarter's payment.
        await finance.goto("/payments?status=payable&lang=en")
        payment = finance.locator("main table tbody tr").filter(has_text=CONTRACT).filter(has_text=in_words)
        amounts = [cell for cell in await payment.locator("td").all_inner_texts() if "£" in cell]
        assert _pence(amounts[0]) == PAYMENT_PENCE
        async with finance.expect_navigation():
            await payment.get_by_role("link", name=re.compile("^Approve")).click()
        await _click(finance, "Approve the payment")

        # The ledger, the contract's allocations and the KPI's RAG status follow, to the penny.
        ledger_after = await _ledger_line(finance, year)
        assert ledger_after["Actual"] - ledger_before["Actual"] == PAYMENT_PENCE
        assert ledger_before["Committed, not yet spent"] - ledger_after["Committed, not yet spent"] == PAYMENT_PENCE
        assert ledger_after["Headroom"] == ledger_before["Headroom"]  # paid from what was committed, not headroom
        assert await _paid_to_cluster(finance, contract_path, year) - paid_before == PAYMENT_PENCE
        # 86 % against green from 85 and red from 70 (higher is better): green; 64 % would have been red.
        assert await _kpi_rag(commissioner, return_path, "People connected") == "Green"
        assert await _kpi_rag(commissioner, return_path, "People with an improved wellbeing") == "Green"
        assert await _kpi_rag(commissioner, return_path, "Referrals received") == "Green"  # 131 against 120
    finally:
        for page in (provider, commissioner, finance):
            await page.context.close()
