"""Delivery returns in realistic states and the payments the app would allow on them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from api.scale.bulk import as_json
from api.scale.model import (
    COMMISSIONER,
    FINANCE,
    PROVIDER,
    Context,
    PlannedContract,
)
from contracts import rules as contract_rules
from contracts.rules import PaymentTiming
from core.periods import FinancialYear
from returns import rules as return_rules
from returns.rules import PaymentStatus, ReturnStatus
from returns.tables import (
    DeliveryReturn,
    Payment,
    PaymentCluster,
    ReturnActivity,
    ReturnKpiValue,
    ReturnQuery,
    ReturnVersion,
)


def return_status(ctx: Context, due: contract_rules.DueReturn) -> tuple[ReturnStatus, datetime | None, datetime | None]:
    """Mostly accepted; some submitted, queried, draft or not started (overdue once past due), more so lately."""
    r = ctx.random
    if due.period_to >= ctx.today:
        started = due.period_from <= ctx.today and r.random() < 0.3
        return (ReturnStatus.DRAFT if started else ReturnStatus.NOT_STARTED), None, None
    late = (ctx.today - due.due_on).days
    x = r.random()
    if late > 90:
        status = (
            ReturnStatus.ACCEPTED
            if x < 0.97
            else ReturnStatus.QUERIED
            if x < 0.98
            else ReturnStatus.SUBMITTED
            if x < 0.99
            else ReturnStatus.NOT_STARTED
        )
    else:
        status = (
            ReturnStatus.ACCEPTED
            if x < 0.55
            else ReturnStatus.SUBMITTED
            if x < 0.7
            else ReturnStatus.QUERIED
            if x < 0.75
            else ReturnStatus.DRAFT
            if x < 0.87
            else ReturnStatus.NOT_STARTED
        )
    if status in (ReturnStatus.DRAFT, ReturnStatus.NOT_STARTED):
        return status, None, None
    submitted = ctx.at(due.period_to + timedelta(days=r.randrange(3, 29)), 11)
    if submitted > ctx.now:
        return ReturnStatus.DRAFT, None, None
    if status is ReturnStatus.SUBMITTED:
        return status, submitted, None
    decided = submitted + timedelta(days=r.randrange(2, 11))
    if decided > ctx.now:
        return ReturnStatus.SUBMITTED, submitted, None
    return status, submitted, decided


def kpi_value(ctx: Context, unit: str, green: str, red: str) -> str:
    g, rd = Decimal(green), Decimal(red)
    value = max(g + (g - rd) * Decimal(ctx.random.randrange(-12, 9)) / 10, Decimal(0))
    if unit == "%":
        value = min(value, Decimal(100))
    places = Decimal(1) if unit == "count" else Decimal("0.1") if g >= 10 else Decimal("0.01")
    return str(value.quantize(places))


async def write_returns(
    ctx: Context,
    c: PlannedContract,
    contract: int,
    start_on: date,
    end_on: date,
    kpis: list[tuple[int, str, str, str, str]],
) -> dict[tuple[int, int], tuple[ReturnStatus, datetime | None]]:
    r = ctx.random
    found: dict[tuple[int, int], tuple[ReturnStatus, datetime | None]] = {}
    for due in contract_rules.return_schedule(start_on=start_on, end_on=end_on, terminated_on=None, due_days=30):
        status, submitted, decided = return_status(ctx, due)
        reported = status in (ReturnStatus.SUBMITTED, ReturnStatus.QUERIED, ReturnStatus.ACCEPTED)
        share = c.years[due.financial_year] // 4
        spend = (
            share * r.randrange(85, 113) // 100
            if reported or (status is ReturnStatus.DRAFT and r.random() < 0.5)
            else None
        )
        saved = submitted or (ctx.now - timedelta(days=r.randrange(0, 10)) if status is ReturnStatus.DRAFT else None)
        delivery_return = await ctx.put(
            DeliveryReturn,
            {
                "contract": contract,
                "financial_year": due.financial_year,
                "quarter": due.quarter,
                "period_from": due.period_from,
                "period_to": due.period_to,
                "due_on": due.due_on,
                "status": status.value,
                "version": 1 if reported else 0,
                "spend_pence": spend,
                "narrative": "Synthetic return (cdv demo --scale)." if saved else "",
                "saved_at": saved,
                "saved_by_username": PROVIDER if saved else "",
                "submitted_at": submitted,
                "submitted_by_username": PROVIDER if submitted else "",
                "decided_at": decided,
                "decided_by_username": COMMISSIONER if decided else "",
            },
        )
        found[(due.financial_year, due.quarter)] = (status, decided)
        activity = [(cluster.id, r.randrange(5, 60)) for cluster in c.clusters] if reported or saved else []
        for cluster_id, units in activity:
            await ctx.put(ReturnActivity, {"delivery_return": delivery_return, "cluster": cluster_id, "units": units})
        values = [(kpi, kpi_value(ctx, unit, green, red)) for kpi, unit, _, green, red in kpis] if reported else []
        for kpi, value in values:
            await ctx.put(ReturnKpiValue, {"delivery_return": delivery_return, "contract_kpi": kpi, "value": value})
        if reported:
            # Version 1 as submitted, as returns.services.submission keeps it: the return's history starts there.
            figures = {
                "activity": [{"cluster_id": cluster_id, "units": units} for cluster_id, units in activity],
                "spend_pence": spend,
                "kpi_values": [{"contract_kpi_id": kpi, "value": value} for kpi, value in values],
                "narrative": "Synthetic return (cdv demo --scale).",
                "risks": "",
                "workforce": [],
            }
            await ctx.put(
                ReturnVersion,
                {
                    "delivery_return": delivery_return,
                    "version": 1,
                    "kind": "submitted",
                    "made_at": submitted,
                    "made_by_username": PROVIDER,
                    "reason": "",
                    "figures": as_json(figures),
                },
            )
        if status is ReturnStatus.QUERIED:
            await ctx.put(
                ReturnQuery,
                {
                    "delivery_return": delivery_return,
                    "version": 1,
                    "field": "spend_pence",
                    "comment": "Synthetic query: please explain the spend.",
                    "raised_at": decided,
                    "raised_by_username": COMMISSIONER,
                },
            )
    return found


async def write_payments(
    ctx: Context,
    c: PlannedContract,
    contract: int,
    schedule: list[contract_rules.Payment],
    returns: dict[tuple[int, int], tuple[ReturnStatus, datetime | None]],
    splits: dict[int, dict[int, int]],
) -> None:
    """A decision only where the app would allow one (returns.rules.is_payable); recent ones partly waiting."""
    r = ctx.random
    for p in schedule:
        status, accepted_at = returns.get((p.financial_year, p.quarter), (None, None))
        first_day = FinancialYear(p.financial_year).quarters()[p.quarter - 1][0]
        if not return_rules.is_payable(c.timing.value, first_day, ctx.today, status):
            continue
        if c.timing is PaymentTiming.IN_ARREARS:
            assert accepted_at is not None
            decided = accepted_at + timedelta(days=r.randrange(1, 11))
        else:
            decided = ctx.at(first_day + timedelta(days=r.randrange(0, 11)), 14)
        if decided > ctx.now or (decided > ctx.now - timedelta(days=45) and r.random() < 0.25):
            continue
        approved = r.random() >= 0.01
        payment = await ctx.put(
            Payment,
            {
                "contract": contract,
                "budget_line": c.lines[p.financial_year] if approved else None,
                "financial_year": p.financial_year,
                "quarter": p.quarter,
                "amount_pence": p.amount_pence,
                "status": (PaymentStatus.APPROVED if approved else PaymentStatus.WITHHELD).value,
                "decided_at": decided,
                "decided_by_username": FINANCE,
                "reason": "" if approved else "Synthetic performance notice (cdv demo --scale)",
            },
        )
        if approved:
            for cluster, amount in return_rules.payment_split(p.amount_pence, splits[p.financial_year]).items():
                await ctx.put(PaymentCluster, {"payment": payment, "cluster": cluster, "amount_pence": amount})
