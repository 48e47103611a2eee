"""The dashboard tells the truth at any size: its budget totals and counts are summed by the database (issue 9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core.clock import SYSTEM_CLOCK
from core.money import format_pounds
from core.periods import FinancialYear
from finance.tables import BudgetCommitment, BudgetEarmark, BudgetLine
from organisations.tables import HealthBoard, Pcpg
from tests import commissioning_support as support
from tests import factories
from tests.pages.markup import table_rows, text_of

STREAMS = ("cluster_funding", "regional_integration_fund", "hb_core", "other")
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _years() -> list[int]:
    first = FinancialYear.containing(SYSTEM_CLOCK.today().date()).start_year
    return [first, first + 1, first + 2]


async def _lines(count: int) -> list[dict[str, Any]]:
    """`count` lines spread over every PCPG, stream and the dashboard's three years, each with its own amount."""
    pcpgs = await Pcpg.select(Pcpg.id, Pcpg.health_board).order_by(Pcpg.id)
    wanted = [
        {"pcpg": p["id"], "health_board": p["health_board"], "financial_year": year, "funding_stream": stream}
        for year in _years()
        for p in pcpgs
        for stream in STREAMS
    ][:count]
    assert len(wanted) == count, "enough combinations for the lines asked for"
    rows = [
        BudgetLine(**values, amount_pence=1_000_00 + index, note="", updated_at=NOW, updated_by_username="finance")
        for index, values in enumerate(wanted)
    ]
    saved = await BudgetLine.insert(*rows).returning(BudgetLine.id)
    return [
        {**values, "id": s["id"], "amount_pence": 1_000_00 + i}
        for i, (values, s) in enumerate(zip(wanted, saved, strict=True))
    ]


def _budget_table(page: str) -> list[list[str]]:
    return [row for row in table_rows(page) if row and row[0][:7] in {FinancialYear(y).label for y in _years()}]


async def test_the_dashboard_totals_every_one_of_250_budget_lines(client_as):
    lines = await _lines(250)
    # One line 95 % earmarked: the year shows a warning and less headroom.
    warned = lines[-1]
    held_for = await factories.save(factories.SpecificationFactory(pcpg=warned["pcpg"]))
    await BudgetEarmark.insert(
        BudgetEarmark(
            budget_line=warned["id"],
            specification=held_for.id,
            financial_year=warned["financial_year"],
            amount_pence=warned["amount_pence"] * 95 // 100,
            created_at=NOW,
        )
    )
    # One line a tenth committed to a contract: the Committed column holds it and headroom is less by it.
    held = lines[0]
    contract = await factories.create_contract(pcpg_id=held["pcpg"])
    await BudgetCommitment.insert(
        BudgetCommitment(
            budget_line=held["id"],
            contract=contract.id,
            financial_year=held["financial_year"],
            amount_pence=held["amount_pence"] // 10,
            created_at=NOW,
        )
    )
    admin, _ = await client_as("national_admin")
    page = (await admin.get("/dashboard?lang=en")).text
    shown = _budget_table(page)
    assert [row[0][:7] for row in shown] == [FinancialYear(y).label for y in _years()]
    totals = [0, 0, 0, 0, 0]
    for year, row in zip(_years(), shown, strict=True):
        in_year = [line for line in lines if line["financial_year"] == year]
        budget = sum(line["amount_pence"] for line in in_year)
        earmarked = warned["amount_pence"] * 95 // 100 if warned["financial_year"] == year else 0
        committed = held["amount_pence"] // 10 if held["financial_year"] == year else 0
        expected = [budget, earmarked, committed, 0, budget - earmarked - committed]  # no payments yet: actual 0
        assert row[1:] == [format_pounds(v) for v in expected], year
        assert ("1 line 90% used" in row[0]) is (warned["financial_year"] == year)
        totals = [t + v for t, v in zip(totals, expected, strict=True)]
    (total_row,) = [row for row in table_rows(page) if row and row[0] == "Total"]
    assert total_row[1:] == [format_pounds(v) for v in totals]
    assert totals[0] == sum(totals[1:]), "earmarked, committed, actual and headroom make the budget"
    # Negative control: the first 200 lines alone (what a list of at most 200 gave) make different totals.
    first_200 = sum(line["amount_pence"] for line in lines[:200])
    all_250 = sum(line["amount_pence"] for line in lines)
    shown_total = sum(
        sum(line["amount_pence"] for line in lines if line["financial_year"] == year) for year in _years()
    )
    assert shown_total == all_250 != first_200


async def test_a_finance_director_s_totals_are_only_their_health_board_s_lines(client_as):
    lines = await _lines(250)
    finance, actor = await client_as("finance_director")
    board = await HealthBoard.select(HealthBoard.id).where(HealthBoard.id == actor.health_board_id).first()
    assert board is not None
    page = (await finance.get("/dashboard?lang=en")).text
    for year, row in zip(_years(), _budget_table(page), strict=True):
        own = sum(
            line["amount_pence"]
            for line in lines
            if line["financial_year"] == year and line["health_board"] == board["id"]
        )
        everyone = sum(line["amount_pence"] for line in lines if line["financial_year"] == year)
        assert row[1] == format_pounds(own) != format_pounds(everyone)


async def test_each_role_sees_its_own_sections_and_not_the_others(client_as):
    expected = {
        "national_admin": ("Administration", "Your Pan Cluster Planning Groups"),
        "commissioner": ("Your Pan Cluster Planning Groups", "Administration"),
        "finance_director": ("Population of clusters with a published figure", "Your Pan Cluster Planning Groups"),
        "evaluator": ("Your evaluations", "Budgets"),
        "provider": ("Your delivery vehicle", "Delivery vehicles waiting for approval"),
    }
    for role, (shown, hidden) in expected.items():
        http, _ = await client_as(role)
        text = text_of((await http.get("/dashboard?lang=en")).text)
        assert shown in text, role
        assert hidden not in text, role


async def test_a_commissioner_counts_their_specifications_by_the_status_they_see(client_as, menu):
    commissioner, actor = await client_as("commissioner")
    line = await support.budget_line()
    await support.draft(actor, [line])
    await support.published(actor, [line])
    # Published 40 days ago with a deadline 10 days ago: closed by the clock though stored as published.
    await support.published(
        actor, [line], at=support.now() - timedelta(days=40), deadline=support.now() - timedelta(days=10)
    )
    text = text_of((await commissioner.get("/dashboard?lang=en")).text)
    assert "Draft : 1" in text
    assert "Open for bids : 1" in text
    assert "Closed for bids : 1" in text
    assert "Under evaluation : 0" in text
    assert "Awarded : 0" in text and "Cancelled : 0" in text, "every status is counted"
    other, _ = await client_as("commissioner", username="swansea", pcpg_names=("Swansea Bay",))
    assert "Draft : 0" in text_of((await other.get("/dashboard?lang=en")).text), "another PCPG's are not counted"


async def test_a_commissioner_sees_the_first_ten_vehicles_waiting_and_a_link_to_all_of_them(client_as):
    commissioner, _ = await client_as("commissioner")
    for n in range(3):
        await factories.create_vehicle(name=f"Waiting CIC {n:02}", status="pending")
    text = text_of((await commissioner.get("/dashboard?lang=en")).text)
    assert "Waiting CIC 02" in text
    assert "See all" not in text, "three fit on the dashboard"
    for n in range(3, 12):
        await factories.create_vehicle(name=f"Waiting CIC {n:02}", status="pending")
    page = (await commissioner.get("/dashboard?lang=en")).text
    text = text_of(page)
    assert "Waiting CIC 09" in text and "Waiting CIC 10" not in text
    assert "See all 12 delivery vehicles waiting for approval" in text
    assert 'href="/delivery-vehicles?status=pending"' in page
