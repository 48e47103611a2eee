"""Concurrent requests of finance and specifications that must each get a proper answer: the same budget line set
twice at once, and several commissioners starting drafts at once. Real commits on both databases."""

from __future__ import annotations

import asyncio

import pytest

from commissioning.tables import Specification
from finance.tables import BudgetLine
from tests import commissioning_support as support

pytestmark = pytest.mark.races


async def test_the_same_budget_line_set_twice_at_once_is_made_once_and_the_other_requests_get_a_409(client_as):
    clients = [(await client_as("finance_director"))[0] for _ in range(4)]
    body = {
        "pcpg_id": await support.pcpg_id("Cardiff"),
        "financial_year": 2027,
        "funding_stream": "cluster_funding",
        "amount_pence": 10_000_000,
    }
    results = await asyncio.gather(*[clients[i % 4].post("/api/v1/budget-lines", json=body) for i in range(8)])
    assert sorted(r.status_code for r in results) == [201] + [409] * 7, [r.text[:200] for r in results]
    assert await BudgetLine.count() == 1


async def test_drafts_started_at_once_each_get_their_own_reference(client_as, menu):
    clients = [(await client_as("commissioner"))[0] for _ in range(4)]
    body = {
        "pcpg_id": await support.pcpg_id("Cardiff"),
        "menu_service_id": await support.service_id("obesity"),
        "start_financial_year": 2027,
        "term_years": 1,
    }
    results = await asyncio.gather(*[clients[i % 4].post("/api/v1/specifications", json=body) for i in range(16)])
    assert [r.status_code for r in results] == [201] * 16, [r.text[:200] for r in results if r.status_code != 201]
    references = sorted(r.json()["reference"] for r in results)
    assert references == [f"CDV-2027-{n:04d}" for n in range(1, 17)]
    assert await Specification.count() == 16
