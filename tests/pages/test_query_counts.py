"""Every list and page of delivery vehicles, budgets, the audit trail and the inbox reads the same number of times
with 50 rows as with 1: nothing is fetched row by row (issue 9)."""

from __future__ import annotations

from itertools import count

from organisations.tables import DeliveryVehicle, DeliveryVehicleCluster
from tests import factories
from tests.query_count import count_queries, statements_do_not_grow, statements_for

_names = count(1)


async def _vehicles(n: int) -> None:
    """n waiting vehicles, each serving two Cardiff clusters, in two inserts."""
    clusters = await factories.cluster_ids("Cardiff North", "Cardiff East")
    rows = [
        factories.DeliveryVehicleFactory(status="pending", name=f"Vehicle {next(_names):03d} CIC") for _ in range(n)
    ]
    saved = await DeliveryVehicle.insert(*rows).returning(DeliveryVehicle.id)
    await DeliveryVehicleCluster.insert(
        *[DeliveryVehicleCluster(delivery_vehicle=row["id"], cluster=cluster) for row in saved for cluster in clusters]
    )


async def test_the_counter_sees_the_queries_a_page_sends_negative_control(client_as):
    admin, _ = await client_as("national_admin")
    with count_queries() as counted:
        pass
    assert counted.total == 0
    assert await statements_for(admin, "/delivery-vehicles") > 0
    # A read made once per row is what these tests catch: the counter sees each of them.
    from finance.queries import ledgers

    with count_queries() as per_row:
        for line_id in range(1, 6):
            await ledgers([line_id])
    assert per_row.total == 5


async def test_the_delivery_vehicle_list_reads_as_often_with_50_vehicles_as_with_1(client_as):
    for role in ("national_admin", "commissioner", "finance_director"):
        reader, _ = await client_as(role)
        few, many = await statements_do_not_grow(reader, "/delivery-vehicles", _vehicles)
        assert few == many, role
        await DeliveryVehicleCluster.delete(force=True)
        await DeliveryVehicle.delete(force=True)


async def test_the_dashboard_reads_as_often_with_50_pending_vehicles_as_with_1(client_as):
    commissioner, _ = await client_as("commissioner")
    few, many = await statements_do_not_grow(commissioner, "/dashboard", _vehicles)
    assert few == many


async def _budget_lines(n: int) -> None:
    """n more lines (distinct PCPG, stream and year), each with an earmark and a commitment held on it."""
    from datetime import UTC, datetime

    from finance.tables import BudgetCommitment, BudgetEarmark, BudgetLine
    from organisations.tables import Pcpg

    now = datetime(2026, 6, 1, tzinfo=UTC)
    taken = {(r["pcpg"], r["financial_year"], r["funding_stream"]) for r in await BudgetLine.select()}
    pcpgs = await Pcpg.select(Pcpg.id, Pcpg.health_board).order_by(Pcpg.id)
    free = [
        (p, year, stream)
        for year in (2026, 2027, 2028)
        for p in pcpgs
        for stream in ("cluster_funding", "regional_integration_fund", "hb_core", "other")
        if (p["id"], year, stream) not in taken
    ][:n]
    saved = await BudgetLine.insert(
        *[
            BudgetLine(
                health_board=p["health_board"],
                pcpg=p["id"],
                financial_year=year,
                funding_stream=stream,
                amount_pence=1_000_000,
                note="",
                updated_at=now,
                updated_by_username="finance",
            )
            for p, year, stream in free
        ]
    ).returning(BudgetLine.id, BudgetLine.financial_year)
    first_pcpg = await Pcpg.select(Pcpg.id).order_by(Pcpg.id).first()
    held_for = await factories.save(factories.SpecificationFactory(pcpg=first_pcpg["id"]))
    contract = await factories.create_contract(pcpg_id=first_pcpg["id"])
    await BudgetEarmark.insert(
        *[
            BudgetEarmark(
                budget_line=r["id"],
                specification=held_for.id,
                financial_year=r["financial_year"],
                amount_pence=1,
                created_at=now,
            )
            for r in saved
        ]
    )
    await BudgetCommitment.insert(
        *[
            BudgetCommitment(
                budget_line=r["id"],
                contract=contract.id,
                financial_year=r["financial_year"],
                amount_pence=2,
                created_at=now,
            )
            for r in saved
        ]
    )


async def test_the_budget_list_and_the_dashboard_read_as_often_with_50_lines_as_with_1(client_as):
    admin, _ = await client_as("national_admin")
    few, many = await statements_do_not_grow(admin, "/budgets", _budget_lines)
    assert few == many
    assert await statements_for(admin, "/dashboard") == await statements_for(admin, "/dashboard")
    finance, _ = await client_as("finance_director")
    dashboard_before = await statements_for(finance, "/dashboard")
    await _budget_lines(30)
    assert await statements_for(finance, "/dashboard") == dashboard_before


async def test_a_budget_line_reads_as_often_with_50_earmarks_as_with_1(client_as):
    from datetime import UTC, datetime

    from finance.tables import BudgetEarmark, BudgetLine

    await _budget_lines(1)
    line = await BudgetLine.select(BudgetLine.id, BudgetLine.financial_year, BudgetLine.pcpg).first()
    assert line is not None

    held_for = await factories.save(factories.SpecificationFactory(pcpg=line["pcpg"]))

    async def earmarks(n: int) -> None:
        at = datetime(2026, 6, 1, tzinfo=UTC)
        await BudgetEarmark.insert(
            *[
                BudgetEarmark(
                    budget_line=line["id"],
                    specification=held_for.id,
                    financial_year=line["financial_year"],
                    amount_pence=1,
                    created_at=at,
                )
                for _ in range(n)
            ]
        )

    admin, _ = await client_as("national_admin")
    few, many = await statements_do_not_grow(admin, f"/budgets/{line['id']}", earmarks)
    assert few == many


async def test_the_audit_trail_reads_as_often_with_50_events_as_with_1(client_as, monkeypatch):
    from audit.tables import AuditEvent
    from core.cache import EVERY_CACHED_READ

    for cached in EVERY_CACHED_READ:  # a busy machine can take a second between two asks
        monkeypatch.setattr(cached, "ttl", 3600.0)

    admin, _ = await client_as("national_admin")
    commissioner, _ = await client_as("commissioner")

    async def events(n: int) -> None:
        start = await AuditEvent.count()
        await AuditEvent.insert(
            *[
                factories.AuditEventFactory(sequence=start + i + 1, action="test.happened", pcpg_id=None)
                for i in range(n)
            ]
        )

    few, many = await statements_do_not_grow(admin, "/audit", events)
    assert few == many
    assert await statements_for(commissioner, "/audit") == await statements_for(
        commissioner, "/audit?action=test.happened"
    )


async def test_the_inbox_reads_as_often_with_50_notices_as_with_1(client_as):
    from notifications.tables import Notification

    reader, actor = await client_as("provider")

    async def notices(n: int) -> None:
        await Notification.insert(*[factories.NotificationFactory(user=actor.user_id) for _ in range(n)])

    few, many = await statements_do_not_grow(reader, "/inbox", notices)
    assert few == many


async def test_a_delivery_vehicle_reads_as_often_serving_50_clusters_as_1(client_as):
    from organisations.tables import Cluster

    clusters = [row["id"] for row in await Cluster.select(Cluster.id).order_by(Cluster.id)]
    vehicle = await factories.create_vehicle(status="pending", cluster_names=())
    served: list[int] = []

    async def serve(n: int) -> None:
        new = clusters[len(served) : len(served) + n]
        served.extend(new)
        await DeliveryVehicleCluster.insert(
            *[DeliveryVehicleCluster(delivery_vehicle=vehicle.id, cluster=cluster) for cluster in new]
        )

    admin, _ = await client_as("national_admin")
    few, many = await statements_do_not_grow(admin, f"/delivery-vehicles/{vehicle.id}", serve)
    assert few == many
