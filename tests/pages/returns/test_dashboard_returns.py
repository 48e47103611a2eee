"""The provider's and the commissioner's dashboards list their overdue returns and the next due (issue 13, item 7),
each reader only those in their scope."""

from __future__ import annotations

import re
from datetime import date

from returns.rules import ReturnStatus
from tests import contracts_support_lifecycle as cs
from tests import returns_support_reminders as rs
from tests.pages.markup import text_of


def _section(page: str, list_id: str) -> str:
    found = re.search(rf'<ul[^>]*id="{list_id}"[^>]*>(.*?)</ul>', page, re.S)
    return text_of(found.group(1)) if found else ""


async def test_the_vehicles_dashboard_lists_its_overdue_returns_and_the_next_due(client_as):
    held = await rs.held()
    other = await rs.held(budget_lines={})
    await rs.set_return_status(other.contract_id, ReturnStatus.SUBMITTED, quarter=2)
    await cs.clock_on(date(2027, 11, 5))  # Q1 (due 30 July) and Q2 (due 1 November) are overdue
    await rs.set_return_status(held.contract_id, ReturnStatus.SUBMITTED, quarter=2)  # submitted: not overdue
    provider, _ = await client_as("provider", delivery_vehicle_id=held.vehicle_id)
    page = (await provider.get("/dashboard?lang=en")).text
    overdue = _section(page, "overdue-returns")
    assert overdue.count("Overdue") == 1 and "quarter 1 of 2027-28" in overdue and "30 July 2027" in overdue
    assert "quarter 2" not in overdue
    upcoming = _section(page, "next-due-returns")
    assert "quarter 3 of 2027-28" in upcoming and "quarter 1 of" not in upcoming
    assert upcoming.index("quarter 3") < upcoming.index("quarter 4")
    assert other.vehicle_id != held.vehicle_id


async def test_the_commissioners_dashboard_lists_its_pcpgs_overdue_returns_only(client_as):
    held = await rs.held()
    await cs.clock_on(date(2027, 8, 2))
    cardiff, _ = await client_as("commissioner")
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    page = (await cardiff.get("/dashboard?lang=en")).text
    assert "quarter 1 of 2027-28" in _section(page, "overdue-returns")
    elsewhere = (await swansea.get("/dashboard?lang=en")).text
    assert _section(elsewhere, "overdue-returns") == ""
    assert "No returns are overdue." in text_of(elsewhere)
    await rs.set_return_status(held.contract_id, ReturnStatus.SUBMITTED)
    assert _section((await cardiff.get("/dashboard?lang=en")).text, "overdue-returns") == ""
