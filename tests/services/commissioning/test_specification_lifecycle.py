"""A specification from the menu through publication, with the money held on its budget lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.schemas import SpecificationIn, YearIn
from commissioning.services import specifications
from core.errors import Conflict
from finance import queries as finance_queries
from finance.schemas import BudgetLineIn
from finance.services import create_budget_line
from finance.tables import BudgetEarmark
from menu.tables import MenuService
from organisations.tables import Pcpg
from tests import factories
from tests.conftest import make_actor

NOW = datetime.now(UTC)


async def _setup(budget_pence: int = 50_000_000):
    commissioner = await make_actor(Role.COMMISSIONER)
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    lines = [
        await create_budget_line(
            actor=finance,
            data=BudgetLineIn(
                pcpg_id=cardiff, financial_year=year, funding_stream="cluster_funding", amount_pence=budget_pence
            ),
            now=NOW,
        )
        for year in (2027, 2028)
    ]
    service = await MenuService.select(MenuService.id).where(MenuService.code == "obesity").first()
    return commissioner, cardiff, lines, service["id"]


async def _draft(commissioner, cardiff, lines, service_id, value=20_000_000):
    return await specifications.create_specification(
        actor=commissioner,
        data=SpecificationIn(
            pcpg_id=cardiff,
            menu_service_id=service_id,
            start_financial_year=2027,
            term_years=2,
            cluster_ids=await factories.cluster_ids("Cardiff North", "Cardiff West"),
            years=[
                YearIn(financial_year=line.financial_year, max_value_pence=value, budget_line_id=line.id)
                for line in lines
            ],
            bid_deadline_at=NOW + timedelta(days=30),
        ),
        now=NOW,
    )


async def test_a_draft_from_the_menu_copies_the_menu_version_kpis_and_standard_criteria(menu):
    commissioner, cardiff, lines, service_id = await _setup()
    spec = await _draft(commissioner, cardiff, lines, service_id)
    assert spec.status == "draft"
    assert spec.title == "Obesity" and spec.title_cy == "Gordewdra"
    assert len(spec.kpis) >= 2
    assert sum(c.weight for c in spec.criteria) + spec.price_weight == 100
    assert all(len(c.descriptors) == 6 for c in spec.criteria)


async def test_publishing_earmarks_every_year_and_refuses_past_the_headroom(menu):
    commissioner, cardiff, lines, service_id = await _setup(budget_pence=30_000_000)
    first = await _draft(commissioner, cardiff, lines, service_id, value=20_000_000)
    published = await specifications.publish_specification(actor=commissioner, specification_id=first.id, now=NOW)
    assert published.specification.status == "published"
    ledger = (await finance_queries.ledgers([lines[0].id]))[lines[0].id]
    assert ledger.earmarked_pence == 20_000_000 and ledger.headroom_pence == 10_000_000

    second = await _draft(commissioner, cardiff, lines, service_id, value=15_000_000)
    events_before = await AuditEvent.count()
    with pytest.raises(Conflict) as refused:
        await specifications.publish_specification(actor=commissioner, specification_id=second.id, now=NOW)
    assert refused.value.params["shortfall_pence"] == 5_000_000
    assert "£50,000.00" in refused.value.params["shortfall"]
    assert await BudgetEarmark.count().where(BudgetEarmark.specification == second.id) == 0
    assert await AuditEvent.count() == events_before

    cancelled = await specifications.cancel_specification(
        actor=commissioner, specification_id=first.id, reason="Need met elsewhere", now=NOW
    )
    assert cancelled.status == "cancelled"
    assert (await finance_queries.ledgers([lines[0].id]))[lines[0].id].earmarked_pence == 0
