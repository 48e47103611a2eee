"""`cdv demo --scale` at its tiny size (2 synthetic health boards, 5 clusters, 30 contracts), on whichever database
the suite runs: the bulk-written data holds every invariant the finance reports rely on, the app reads it, and the
checker catches each kind of breakage (negative controls)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from piccolo.querystring import QueryString

from api.scale.check import check_invariants
from api.scale.generate import AlreadyGenerated, generate
from api.scale.profiles import PROFILES, SYNTHETIC_SOURCE
from audit.queries import verify_chain
from contracts.tables import Contract, ContractAllocation
from core.db import engine
from finance.queries import ledgers
from finance.tables import BudgetLine
from organisations.tables import Cluster, HealthBoard
from returns.tables import DeliveryReturn, Payment, PaymentCluster

pytestmark = pytest.mark.usefixtures("menu")

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


async def _tiny() -> str:
    progress = io.StringIO()
    await generate(PROFILES["tiny"], now=NOW, stream=progress)
    return progress.getvalue()


async def _sql(sql: str) -> None:
    await engine().run_querystring(QueryString(sql))


async def test_tiny_scale_makes_synthetic_organisations_contracts_returns_and_payments() -> None:
    progress = await _tiny()

    assert "rows" in progress and "done" in progress
    boards = await HealthBoard.select(HealthBoard.name).where(HealthBoard.name.like("Synthetic%"))
    assert len(boards) == 2
    clusters = await Cluster.select().where(Cluster.name.like("Synthetic%"))
    assert len(clusters) == 5
    assert any(c["population"] is None for c in clusters), "some clusters have no known population"
    assert all(c["population_source"] == SYNTHETIC_SOURCE for c in clusters if c["population"] is not None)
    assert await Contract.count().where(Contract.reference.like("SCALE-TINY-%")) == 30
    statuses = {row["status"] for row in await DeliveryReturn.select(DeliveryReturn.status)}
    assert {"accepted", "not_started"} <= statuses
    assert await Payment.count().where(Payment.status == "approved") > 0


async def test_tiny_scale_holds_every_invariant_and_the_audit_chain() -> None:
    await _tiny()

    assert await check_invariants() == []
    assert (await verify_chain()).intact
    lines = await BudgetLine.select(BudgetLine.id)
    ledger = await ledgers([row["id"] for row in lines])
    paid = await Payment.select(Payment.amount_pence).where(Payment.status == "approved")
    assert sum(x.actual_pence for x in ledger.values()) == sum(int(p["amount_pence"]) for p in paid) > 0
    assert sum(x.committed_pence for x in ledger.values()) > 0


async def test_the_app_lists_the_generated_contracts_and_returns(client_as) -> None:  # type: ignore[no-untyped-def]
    await _tiny()
    http, _ = await client_as("national_admin")

    contracts = await http.get("/api/v1/contracts", params={"limit": 50})
    returns = await http.get("/api/v1/returns", params={"limit": 50})
    page = await http.get("/contracts")

    assert contracts.status_code == 200 and contracts.json()["total"] == 30
    assert returns.status_code == 200 and returns.json()["total"] == await DeliveryReturn.count()
    assert page.status_code == 200 and "Synthetic primary care network" in page.text


async def test_a_second_run_is_refused() -> None:
    await _tiny()

    with pytest.raises(AlreadyGenerated):
        await _tiny()


async def test_the_checker_names_an_allocation_off_by_a_penny() -> None:
    await _tiny()
    first = await ContractAllocation.select(ContractAllocation.id).order_by(ContractAllocation.id).first()
    assert first is not None
    await _sql(f"UPDATE contract_allocation SET amount_pence = amount_pence + 1 WHERE id = {first['id']}")

    problems = await check_invariants()

    assert any("allocations do not sum" in p for p in problems)


async def test_the_checker_names_a_payment_split_off_by_a_penny_and_a_payment_above_its_schedule() -> None:
    await _tiny()
    part = await PaymentCluster.select(PaymentCluster.id, PaymentCluster.payment).first()
    assert part is not None
    await _sql(f"UPDATE payment_cluster SET amount_pence = amount_pence - 1 WHERE id = {part['id']}")
    await _sql(f"UPDATE payment SET amount_pence = amount_pence + 1 WHERE id = {part['payment']}")

    problems = await check_invariants()

    assert any("approved payment's cluster split does not sum" in p for p in problems)
    assert any("more than its quarter's scheduled amount" in p for p in problems)


async def test_the_checker_names_an_over_committed_budget_line() -> None:
    await _tiny()
    await _sql(
        "UPDATE budget_line SET amount_pence = 1 WHERE id = (SELECT MIN(budget_line) FROM budget_commitment "
        "WHERE released_at IS NULL)"
    )

    problems = await check_invariants()

    assert any("ledger does not add up, is over-committed" in p for p in problems)


async def test_the_checker_names_a_broken_audit_chain() -> None:
    await _tiny()
    await _sql("UPDATE audit_event SET action = 'tampered' WHERE sequence = 1")

    problems = await check_invariants()

    assert any("audit chain is broken at event 1" in p for p in problems)


async def test_the_checker_names_a_commitment_split_off_by_a_penny() -> None:
    await _tiny()
    await _sql(
        "UPDATE budget_commitment_cluster SET amount_pence = amount_pence + 1 "
        "WHERE id = (SELECT MIN(id) FROM budget_commitment_cluster)"
    )

    problems = await check_invariants()

    assert any("commitment's cluster split does not sum" in p for p in problems)


async def test_the_checker_names_a_payment_in_arrears_approved_before_its_return_was_accepted() -> None:
    await _tiny()
    await _sql(
        "UPDATE delivery_return SET status = 'submitted' WHERE id = (SELECT MIN(r.id) FROM delivery_return r "
        "JOIN payment p ON p.contract = r.contract AND p.financial_year = r.financial_year AND p.quarter = r.quarter "
        "JOIN contract k ON k.id = p.contract WHERE p.status = 'approved' AND k.payment_timing = 'in_arrears')"
    )

    problems = await check_invariants()

    assert any("approved before its quarter's return was accepted" in p for p in problems)
