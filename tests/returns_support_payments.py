"""Quarters of real contracts made ready for payment decisions (issue 13, item 4): a return put into "accepted" by
writing its status and who decided it (submitting and reviewing are other tests' subject), the vehicle's reported
spend and activity, a contract switched to payment in advance, and a finance director of the contract's board."""

from __future__ import annotations

from typing import Any

from accounts.actor import Actor, Role
from contracts import rules as contract_rules
from contracts.rules import PaymentTiming
from contracts.services.parts import save_payments
from contracts.tables import Contract, ContractYear
from finance import queries as finance_queries
from returns.tables import DeliveryReturn, ReturnActivity
from tests import commissioning_support as support
from tests.conftest import make_actor

CARDIFF_AND_VALE = "Cardiff and Vale University Health Board"


async def finance_director(board: str = CARDIFF_AND_VALE, username: str | None = None) -> Actor:
    return await make_actor(Role.FINANCE_DIRECTOR, username=username, health_board_name=board)


async def return_of(contract_id: int, financial_year: int, quarter: int) -> dict[str, Any]:
    row = (
        await DeliveryReturn.select()
        .where(
            (DeliveryReturn.contract == contract_id)
            & (DeliveryReturn.financial_year == financial_year)
            & (DeliveryReturn.quarter == quarter)
        )
        .first()
    )
    assert row is not None
    return row


async def accept(
    contract_id: int,
    financial_year: int,
    quarter: int,
    *,
    by: str = "someone-who-reviews",
    spend_pence: int | None = None,
    units: dict[int, int] | None = None,
) -> int:
    """The quarter's return as the commissioner `by` accepted it, with the spend and activity (cluster id to units)
    the vehicle reported; its id."""
    row = await return_of(contract_id, financial_year, quarter)
    await DeliveryReturn.update(
        {
            DeliveryReturn.status: "accepted",
            DeliveryReturn.version: 1,
            DeliveryReturn.spend_pence: spend_pence,
            DeliveryReturn.submitted_at: support.now(),
            DeliveryReturn.submitted_by_username: "someone-who-reports",
            DeliveryReturn.decided_at: support.now(),
            DeliveryReturn.decided_by_username: by,
        }
    ).where(DeliveryReturn.id == row["id"])
    if units:
        await ReturnActivity.insert(
            *[ReturnActivity(delivery_return=row["id"], cluster=cluster, units=n) for cluster, n in units.items()]
        )
    return int(row["id"])


async def set_return_status(contract_id: int, financial_year: int, quarter: int, status: str) -> None:
    row = await return_of(contract_id, financial_year, quarter)
    await DeliveryReturn.update({DeliveryReturn.status: status}).where(DeliveryReturn.id == row["id"])


async def pay_in_advance(contract_id: int) -> None:
    """The contract paid quarterly in advance (as a variation of its payment timing would leave it)."""
    years = {
        y["financial_year"]: int(y["value_pence"])
        for y in await ContractYear.select().where(ContractYear.contract == contract_id)
    }
    await Contract.update({Contract.payment_timing: PaymentTiming.IN_ADVANCE.value}).where(Contract.id == contract_id)
    await save_payments(contract_id, contract_rules.payment_schedule(years, PaymentTiming.IN_ADVANCE))


async def line_of(contract_id: int, financial_year: int) -> int:
    year = (
        await ContractYear.select(ContractYear.budget_line)
        .where((ContractYear.contract == contract_id) & (ContractYear.financial_year == financial_year))
        .first()
    )
    assert year is not None and year["budget_line"] is not None
    return int(year["budget_line"])


async def ledger(line_id: int) -> Any:
    return (await finance_queries.ledgers([line_id]))[line_id]
