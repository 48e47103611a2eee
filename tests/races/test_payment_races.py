"""Decisions on one quarter's payment arriving at once: exactly one stands (one approval; or one withholding and
the approvals after it refused), never a 5xx, and the ledger holds the payment once. Real commits: IMMEDIATE
transactions on SQLite, the contract's row lock on PostgreSQL (and one Payment row a quarter, a unique index)."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from returns.tables import Payment, PaymentCluster
from tests import contracts_support_lifecycle as cs
from tests import returns_support_payments as ps

pytestmark = pytest.mark.races


async def test_ten_approvals_and_withholdings_at_once_leave_one_decision_and_the_ledger_reconciles(client_as):
    contract_id = await cs.contract(years=(2027,))
    line_id = await ps.line_of(contract_id, 2027)
    await ps.accept(contract_id, 2027, 1)
    await cs.clock_on(date(2027, 8, 1))
    clients = [(await client_as("finance_director", health_board_name=ps.CARDIFF_AND_VALE))[0] for _ in range(3)]
    base = f"/api/v1/contracts/{contract_id}/payments/2027/1"
    results = await asyncio.gather(
        *[
            clients[i % 3].post(f"{base}/approve")
            if i % 2 == 0
            else clients[i % 3].post(f"{base}/withhold", json={"reason": f"Notice {i}"})
            for i in range(10)
        ]
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [409] * 9, [r.text[:200] for r in results if r.status_code not in (200, 409)]
    assert await Payment.count() == 1
    [decision] = await Payment.select()
    ledger = await ps.ledger(line_id)
    if decision["status"] == "approved":
        assert ledger.actual_pence == 30_000_00
        parts = await PaymentCluster.select(PaymentCluster.amount_pence)
        assert sum(int(p["amount_pence"]) for p in parts) == 30_000_00
    else:
        assert ledger.actual_pence == 0 and await PaymentCluster.count() == 0
    assert await cs.reconciles([line_id])
