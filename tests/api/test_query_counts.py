"""The number of SQL statements a list route or page sends does not grow with the rows it lists (issue 9).

Each test asks twice with 1 row and twice with 50 (the second ask of each counted, so in-process caches are
warm in both) and compares. Measured on 2026-12-01, none grows in statements: the lists that filter, page
or count in Python read every row in a fixed number of statements, so they grow in time instead (bench/).
Reference lists and the menu are cached: asking again sends nothing beyond who the user is (0 statements
once that is cached too).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from accounts.actor import Actor
from contracts.tables import (
    ContractActivity,
    ContractAllocation,
    ContractKpi,
    ContractPayment,
    ContractVersion,
    ContractYear,
)
from core.cache import EVERY_CACHED_READ
from notifications.tables import Notification
from organisations.tables import Cluster, HealthBoard, Pcpg
from tests import factories
from tests.query_count import caches_kept, count_queries, statements_for

FUTURE = datetime.now(UTC) + timedelta(days=30)

Seed = Callable[[int, Actor], Awaitable[None]]


async def _budget_lines(start: int, count: int, actor: Actor) -> None:
    board = await factories.reference_id(HealthBoard, "Cardiff and Vale University Health Board")
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    for n in range(start, start + count):
        await factories.save(factories.BudgetLineFactory(health_board=board, pcpg=cardiff, financial_year=2030 + n))


async def _specifications(start: int, count: int, actor: Actor) -> None:
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    north = (await factories.cluster_ids("Cardiff North"))[0]
    version = await factories.save(factories.MenuServiceVersionFactory())
    for _ in range(start, start + count):
        spec = await factories.save(
            factories.SpecificationFactory(
                pcpg=cardiff,
                menu_service_version=version.id,
                status="published",
                published_at=datetime.now(UTC),
                bid_deadline_at=FUTURE,
            )
        )
        await factories.save(factories.SpecificationClusterFactory(specification=spec.id, cluster=north))
        await factories.save(factories.SpecificationYearFactory(specification=spec.id))


async def _own_bids(start: int, count: int, actor: Actor) -> None:
    """Bids of the provider's delivery vehicle, each on its own open specification, with a price, answer and file."""
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    version = await factories.save(factories.MenuServiceVersionFactory())
    for _ in range(start, start + count):
        spec = await factories.save(
            factories.SpecificationFactory(
                pcpg=cardiff,
                menu_service_version=version.id,
                status="published",
                published_at=datetime.now(UTC),
                bid_deadline_at=FUTURE,
            )
        )
        await factories.save(factories.EvaluationCriterionFactory(specification=spec.id, position=0))
        bid = await factories.save(
            factories.BidFactory(specification=spec.id, delivery_vehicle=actor.delivery_vehicle_id)
        )
        await factories.save(factories.BidPriceFactory(bid=bid.id))
        await factories.save(factories.BidAnswerFactory(bid=bid.id))
        await factories.save(factories.BidAttachmentFactory(bid=bid.id))


async def _plans(start: int, count: int, actor: Actor) -> None:
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    for n in range(start, start + count):
        await factories.save(factories.PlanFactory(pcpg=cardiff, first_financial_year=2030 + n, title=f"Plan {n}"))


async def _vehicles(start: int, count: int, actor: Actor) -> None:
    for _ in range(start, start + count):
        await factories.create_vehicle(cluster_names=("Cardiff North",))


async def _notifications(start: int, count: int, actor: Actor) -> None:
    for n in range(start, start + count):
        await Notification(
            user=actor.user_id,
            kind="test",
            subject=f"Notice {n}",
            body="Something happened.",
            language="en",
            params={},
            dedupe_key=f"query-count-{n}",
            created_at=datetime.now(UTC),
        ).save()


async def _audit_events(start: int, count: int, actor: Actor) -> None:
    for _ in range(start, start + count):
        await factories.save(factories.AuditEventFactory())


async def _contracts(start: int, count: int, actor: Actor) -> None:
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    for _ in range(start, start + count):
        await factories.create_contract(pcpg_id=cardiff)


async def _nothing(start: int, count: int, actor: Actor) -> None:
    return None


GROWING: list[Any] = [
    pytest.param("finance_director", "/api/v1/budget-lines", _budget_lines, id="api-budget-lines"),
    pytest.param("commissioner", "/api/v1/specifications", _specifications, id="api-specifications"),
    pytest.param("commissioner", "/api/v1/plans", _plans, id="api-plans"),
    pytest.param("national_admin", "/api/v1/delivery-vehicles", _vehicles, id="api-delivery-vehicles"),
    pytest.param("commissioner", "/api/v1/notifications", _notifications, id="api-notifications"),
    pytest.param("national_admin", "/api/v1/audit/events", _audit_events, id="api-audit-events"),
    pytest.param("finance_director", "/budgets", _budget_lines, id="page-budgets"),
    pytest.param("commissioner", "/specifications", _specifications, id="page-specifications"),
    pytest.param("commissioner", "/opportunities", _specifications, id="page-opportunities"),
    pytest.param("commissioner", "/dashboard", _specifications, id="page-dashboard"),
    pytest.param("finance_director", "/dashboard", _budget_lines, id="page-dashboard-finance"),
    pytest.param("commissioner", "/plans", _plans, id="page-plans"),
    pytest.param("national_admin", "/delivery-vehicles", _vehicles, id="page-delivery-vehicles"),
    pytest.param("commissioner", "/inbox", _notifications, id="page-inbox"),
    pytest.param("national_admin", "/audit", _audit_events, id="page-audit"),
    pytest.param("finance_director", "/api/v1/contracts", _contracts, id="api-contracts"),
    pytest.param("commissioner", "/contracts", _contracts, id="page-contracts"),
]


@pytest.fixture(autouse=True)
def caches_outlive_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy machine can take a second between two asks; the counts must not depend on it."""
    for cached in EVERY_CACHED_READ:
        monkeypatch.setattr(cached, "ttl", 3600.0)


@pytest.mark.parametrize(("role", "path", "seed"), GROWING)
async def test_a_list_sends_as_many_statements_for_50_rows_as_for_1(client_as, role, path, seed: Seed):
    http, actor = await client_as(role)
    await seed(0, 1, actor)
    one = await statements_for(http, path)
    await seed(1, 49, actor)
    fifty = await statements_for(http, path)
    assert fifty == one


@pytest.mark.parametrize("path", ["/bids", "/api/v1/bids/mine"])
async def test_my_bids_send_as_many_statements_for_50_bids_as_for_1(client_as, path):
    vehicle = await factories.create_vehicle(cluster_names=("Cardiff North",), status="approved")
    http, actor = await client_as("provider", delivery_vehicle_id=vehicle.id)
    await _own_bids(0, 1, actor)
    one = await statements_for(http, path)
    await _own_bids(1, 49, actor)
    fifty = await statements_for(http, path)
    assert fifty == one


async def _specification_parts(spec_id: int, start: int, count: int) -> None:
    for n in range(start, start + count):
        await factories.save(factories.SpecificationYearFactory(specification=spec_id, financial_year=2030 + n))
        await factories.save(factories.SpecificationKpiFactory(specification=spec_id, position=n))
        await factories.save(factories.EvaluationCriterionFactory(specification=spec_id, position=n))


@pytest.mark.parametrize("path", ["/specifications/{spec}", "/api/v1/specifications/{spec}"])
async def test_a_specification_sends_as_many_statements_for_50_years_kpis_and_criteria_as_for_1(client_as, menu, path):
    http, _ = await client_as("commissioner")
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    version = await factories.save(factories.MenuServiceVersionFactory())
    spec = await factories.save(
        factories.SpecificationFactory(
            pcpg=cardiff,
            menu_service_version=version.id,
            status="published",
            published_at=datetime.now(UTC),
            bid_deadline_at=FUTURE,
        )
    )
    await _specification_parts(spec.id, 0, 1)
    one = await statements_for(http, path.format(spec=spec.id))
    await _specification_parts(spec.id, 1, 49)
    fifty = await statements_for(http, path.format(spec=spec.id))
    assert fifty == one


REFERENCE = ["/api/v1/clusters", "/api/v1/health-boards", "/api/v1/pcpgs", "/api/v1/local-authorities"]


@pytest.mark.parametrize(
    "path", [*REFERENCE, "/api/v1/menu/services", "/reference/clusters", "/reference/health-boards", "/menu"]
)
async def test_a_cached_reference_list_sends_nothing_once_read(client, menu, path):
    with caches_kept():
        await client.get(path)
        with count_queries() as counted:
            response = await client.get(path)
    assert response.status_code == 200
    assert counted.total == 0, str(counted)


@pytest.mark.parametrize("path", REFERENCE)
async def test_a_reference_list_sends_as_many_statements_for_50_rows_as_for_1(client, path):
    await client.get("/api/v1/me")  # the clock is read and cached
    await Cluster.update({Cluster.population: Cluster.population}, force=True)  # this write drops reference caches
    with count_queries() as one:
        assert (await client.get(f"{path}?limit=1")).status_code == 200
    with count_queries() as fifty:
        assert (await client.get(f"{path}?limit=50")).status_code == 200
    assert one.total == fifty.total > 0, f"{one}\n{fifty}"


async def _contract_parts(contract_id: int, start: int, count: int) -> None:
    """Years, KPIs, activity, payments, allocations and versions: everything a contract's page lists."""
    cluster = (await factories.cluster_ids("Cardiff North"))[0]
    for n in range(start, start + count):
        year = 2030 + n
        await ContractYear(contract=contract_id, financial_year=year, value_pence=4_000_00).save()
        await ContractKpi(
            contract=contract_id, position=n, name=f"KPI {n}", name_cy="", unit="count", direction="higher_is_better"
        ).save()
        await ContractActivity(contract=contract_id, financial_year=year, quarter=1, units=10).save()
        await ContractPayment(
            contract=contract_id, financial_year=year, quarter=1, amount_pence=1_000_00, due_on=date(year, 7, 1)
        ).save()
        await ContractAllocation(
            contract=contract_id,
            financial_year=year,
            cluster=cluster,
            amount_pence=4_000_00,
            method="population",
            population=1000,
            population_source="test",
        ).save()
        await ContractVersion(
            contract=contract_id,
            version=n + 1,
            made_at=datetime.now(UTC),
            made_by_username=f"someone{n}",
            particulars={},
        ).save()


@pytest.mark.parametrize(
    "path",
    [
        "/contracts/{contract}",
        "/api/v1/contracts/{contract}",
        "/api/v1/contracts/{contract}/allocations",
        "/contracts/{contract}/public",
    ],
)
async def test_a_contract_sends_as_many_statements_for_50_years_as_for_1(client_as, path):
    http, _ = await client_as("commissioner")
    contract = await factories.create_contract(pcpg_id=await factories.reference_id(Pcpg, "Cardiff"))
    await _contract_parts(contract.id, 0, 1)
    one = await statements_for(http, path.format(contract=contract.id))
    await _contract_parts(contract.id, 1, 49)
    fifty = await statements_for(http, path.format(contract=contract.id))
    assert fifty == one
