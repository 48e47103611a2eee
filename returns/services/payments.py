"""A finance director's decisions on a contract's quarterly payments (issue 13, item 4): approve one that is due
(it becomes actual spend on its budget line and on the contract's clusters), withhold it with a reason (a performance
notice) or release a withheld one. Each is one audited operation with the contract row locked, so two decisions on
one quarter never both stand; whoever accepted the quarter's return cannot approve its payment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from piccolo.columns.combination import WhereRaw

from accounts.actor import Actor
from audit.operation import operation
from contracts.tables import Contract, ContractAllocation, ContractPayment, ContractYear
from core.clock import london_day
from core.db import for_update
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from core.i18n import gettext
from core.periods import FinancialYear
from returns import rules
from returns.queries.payments import get_payment
from returns.queries.scope import payment_scope
from returns.rules import PAYMENT_RELEASED, PaymentAction, PaymentStatus
from returns.schemas.payments import REASON_MAX_LENGTH, PaymentOut
from returns.tables import DeliveryReturn, Payment, PaymentCluster


async def _quarter(
    actor: Actor, contract_id: int, financial_year: int, quarter: int, today: date
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None, dict[str, Any] | None, PaymentStatus]:
    """The contract (locked), the quarter's scheduled payment, its return, the decision standing on it and the state
    they make. A quarter out of the actor's payment scope, or not in the schedule, is not found."""
    contract = await for_update(Contract.select().where(Contract.id == contract_id)).first()
    scheduled = (
        await ContractPayment.select()
        .where(
            (ContractPayment.contract == contract_id)
            & (ContractPayment.financial_year == financial_year)
            & (ContractPayment.quarter == quarter)
            & payment_scope(actor, ContractPayment)
        )
        .first()
    )
    if contract is None or scheduled is None:
        raise NotFound("No such payment")
    delivery_return = (  # the return covering the quarter: its own, or a half-yearly one ending after it
        await DeliveryReturn.select()
        .where(
            (DeliveryReturn.contract == contract_id)
            & (DeliveryReturn.financial_year == financial_year)
            & (DeliveryReturn.quarter >= quarter)
            & WhereRaw(
                f'"{DeliveryReturn._meta.tablename}"."quarter" - "{DeliveryReturn._meta.tablename}"."quarters" < {{}}',
                quarter,
            )
        )
        .first()
    )
    decision = (
        await Payment.select()
        .where(
            (Payment.contract == contract_id)
            & (Payment.financial_year == financial_year)
            & (Payment.quarter == quarter)
        )
        .first()
    )
    first_day = scheduled["due_on"]  # in advance, the quarter's first day; in arrears the return decides
    return_status = delivery_return["status"] if delivery_return else None
    state = rules.payment_state(
        contract["payment_timing"], first_day, today, return_status, decision["status"] if decision else None
    )
    return contract, scheduled, delivery_return, decision, state


def _refuse_move(action: PaymentAction, state: PaymentStatus) -> None:
    refusal = rules.payment_move_refusal(action, state)
    if refusal is not None:
        raise Conflict(refusal, field="payment", status=gettext(state.label))


def _reason(text: str) -> str:
    reason = text.strip()
    if not reason:
        raise RuleBroken("Give the reason", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise RuleBroken("Give the reason in %(max)s characters or fewer", field="reason", max=f"{REASON_MAX_LENGTH:,}")
    return reason


def _facts(financial_year: int, quarter: int, amount_pence: int) -> dict[str, Any]:
    return {"financial_year": financial_year, "quarter": quarter, "amount_pence": amount_pence}


async def _decide(
    *,
    decision: dict[str, Any] | None,
    contract_id: int,
    financial_year: int,
    quarter: int,
    status: str,
    amount_pence: int,
    budget_line: int | None,
    actor: Actor,
    now: datetime,
    reason: str,
) -> int:
    """Write the decision on the quarter: one row a quarter (a unique index), replaced after a release."""
    values: dict[Any, Any] = {
        Payment.status: status,
        Payment.amount_pence: amount_pence,
        Payment.budget_line: budget_line,
        Payment.decided_at: now,
        Payment.decided_by_username: actor.username,
        Payment.reason: reason,
    }
    if decision is not None:
        await Payment.update(values).where(Payment.id == decision["id"])
        return int(decision["id"])
    inserted = await Payment.insert(
        Payment(
            contract=contract_id,
            financial_year=financial_year,
            quarter=quarter,
            status=status,
            amount_pence=amount_pence,
            budget_line=budget_line,
            decided_at=now,
            decided_by_username=actor.username,
            reason=reason,
        )
    )
    return int(inserted[0]["id"])


async def _budget_line(contract_id: int, financial_year: int) -> int | None:
    year = (
        await ContractYear.select(ContractYear.budget_line)
        .where((ContractYear.contract == contract_id) & (ContractYear.financial_year == financial_year))
        .first()
    )
    return None if year is None else year["budget_line"]


async def approve_payment(
    *, actor: Actor, contract_id: int, financial_year: int, quarter: int, now: datetime
) -> PaymentOut:
    """The quarter's payment, due, approved by a finance director of the contract's health board: the scheduled
    amount becomes actual spend on the year's budget line (finance.queries reads approved payments) and is split
    across the contract's clusters in the proportions of that year's allocations, to the penny."""
    async with operation("payment.approved", actor=actor, now=now) as op:
        contract, scheduled, delivery_return, decision, state = await _quarter(
            actor, contract_id, financial_year, quarter, london_day(now)
        )
        _refuse_move(PaymentAction.APPROVE, state)
        refusal = rules.approval_refusal(
            actor.username,
            delivery_return["decided_by_username"] if delivery_return else None,
            delivery_return["status"] if delivery_return else None,
        )
        if refusal is not None:
            raise NotAllowed(refusal, field="payment")
        amount = int(scheduled["amount_pence"])
        allocations = await ContractAllocation.select(
            ContractAllocation.cluster, ContractAllocation.amount_pence
        ).where((ContractAllocation.contract == contract_id) & (ContractAllocation.financial_year == financial_year))
        if not allocations:
            raise Conflict(
                "The contract has no split by cluster for %(year)s yet",
                field="payment",
                year=FinancialYear(financial_year).label,
            )
        split = rules.payment_split(amount, {a["cluster"]: int(a["amount_pence"]) for a in allocations})
        budget_line = await _budget_line(contract_id, financial_year)
        payment_id = await _decide(
            decision=decision,
            contract_id=contract_id,
            financial_year=financial_year,
            quarter=quarter,
            status=PaymentStatus.APPROVED.value,
            amount_pence=amount,
            budget_line=budget_line,
            actor=actor,
            now=now,
            reason="",
        )
        await PaymentCluster.delete().where(PaymentCluster.payment == payment_id)
        await PaymentCluster.insert(
            *[PaymentCluster(payment=payment_id, cluster=cluster, amount_pence=part) for cluster, part in split.items()]
        )
        op.record(
            "Contract",
            contract_id,
            before={**_facts(financial_year, quarter, amount), "status": state.value},
            after={
                **_facts(financial_year, quarter, amount),
                "status": PaymentStatus.APPROVED.value,
                "budget_line": budget_line,
                "clusters": {str(cluster): part for cluster, part in split.items()},
            },
            pcpg_id=contract["pcpg"],
            health_board_id=contract["health_board"],
        )
    return await get_payment(
        actor=actor, contract_id=contract_id, financial_year=financial_year, quarter=quarter, now=now
    )


async def withhold_payment(
    *, actor: Actor, contract_id: int, financial_year: int, quarter: int, reason: str, now: datetime
) -> PaymentOut:
    """A payment that is due withheld, with the reason (a performance notice): not spent, until released."""
    async with operation("payment.withheld", actor=actor, now=now) as op:
        reason = _reason(reason)
        contract, scheduled, _, decision, state = await _quarter(
            actor, contract_id, financial_year, quarter, london_day(now)
        )
        _refuse_move(PaymentAction.WITHHOLD, state)
        amount = int(scheduled["amount_pence"])
        await _decide(
            decision=decision,
            contract_id=contract_id,
            financial_year=financial_year,
            quarter=quarter,
            status=PaymentStatus.WITHHELD.value,
            amount_pence=amount,
            budget_line=await _budget_line(contract_id, financial_year),
            actor=actor,
            now=now,
            reason=reason,
        )
        op.record(
            "Contract",
            contract_id,
            before={**_facts(financial_year, quarter, amount), "status": state.value},
            after={**_facts(financial_year, quarter, amount), "status": "withheld", "reason": reason},
            pcpg_id=contract["pcpg"],
            health_board_id=contract["health_board"],
        )
    return await get_payment(
        actor=actor, contract_id=contract_id, financial_year=financial_year, quarter=quarter, now=now
    )


async def release_payment(
    *, actor: Actor, contract_id: int, financial_year: int, quarter: int, reason: str, now: datetime
) -> PaymentOut:
    """A withheld payment released, with the reason: no decision stands on it again, so it is payable (or scheduled,
    an in-arrears quarter whose return is no longer accepted) and can be approved."""
    async with operation("payment.released", actor=actor, now=now) as op:
        reason = _reason(reason)
        contract, scheduled, _, decision, state = await _quarter(
            actor, contract_id, financial_year, quarter, london_day(now)
        )
        _refuse_move(PaymentAction.RELEASE, state)
        assert decision is not None  # withheld is a decision
        amount = int(scheduled["amount_pence"])
        await _decide(
            decision=decision,
            contract_id=contract_id,
            financial_year=financial_year,
            quarter=quarter,
            status=PAYMENT_RELEASED,
            amount_pence=amount,
            budget_line=decision["budget_line"],
            actor=actor,
            now=now,
            reason=reason,
        )
        op.record(
            "Contract",
            contract_id,
            before={
                **_facts(financial_year, quarter, amount),
                "status": "withheld",
                "reason": decision["reason"],
            },
            after={**_facts(financial_year, quarter, amount), "status": "released", "reason": reason},
            pcpg_id=contract["pcpg"],
            health_board_id=contract["health_board"],
        )
    return await get_payment(
        actor=actor, contract_id=contract_id, financial_year=financial_year, quarter=quarter, now=now
    )
