"""Two commissioners publishing against the same budget line at once can never overspend it.

Real concurrent requests through the app, with real commits: IMMEDIATE transactions on SQLite, row
locks on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from finance import queries as finance_queries
from finance.tables import BudgetEarmark
from menu.tables import MenuService
from organisations.tables import Pcpg
from tests import factories

pytestmark = pytest.mark.races


async def test_concurrent_publishes_never_earmark_more_than_the_budget_line_holds(app, client_as, menu):
    first, _ = await client_as("commissioner")
    second, _ = await client_as("commissioner")
    finance, _ = await client_as("finance_director")
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    line = (
        await finance.post(
            "/api/v1/budget-lines",
            json={
                "pcpg_id": cardiff,
                "financial_year": 2027,
                "funding_stream": "cluster_funding",
                "amount_pence": 50_000_000,
            },
        )
    ).json()
    service = await MenuService.select(MenuService.id).where(MenuService.code == "addiction").first()
    clusters = await factories.cluster_ids("Cardiff East")
    deadline = (datetime.now(UTC) + timedelta(days=20)).isoformat()
    drafts = []
    for index in range(10):
        http = first if index % 2 else second
        response = await http.post(
            "/api/v1/specifications",
            json={
                "pcpg_id": cardiff,
                "menu_service_id": service["id"],
                "start_financial_year": 2027,
                "term_years": 1,
                "cluster_ids": clusters,
                "years": [{"financial_year": 2027, "max_value_pence": 10_000_000, "budget_line_id": line["id"]}],
                "bid_deadline_at": deadline,
            },
        )
        assert response.status_code == 201, response.text
        drafts.append((http, response.json()["id"]))

    results = await asyncio.gather(
        *[http.post(f"/api/v1/specifications/{spec_id}/publish") for http, spec_id in drafts]
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] * 5 + [409] * 5, [r.text for r in results if r.status_code not in (200, 409)]
    refused = next(r for r in results if r.status_code == 409)
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "2027-28" in refused.json()["detail"]
    ledger = (await finance_queries.ledgers([line["id"]]))[line["id"]]
    assert ledger.earmarked_pence == 50_000_000
    assert ledger.headroom_pence == 0
    assert await BudgetEarmark.count() == 5
