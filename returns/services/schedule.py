"""Keeping a contract's delivery returns in step with its reporting schedule (issue 13, item 1): one return per
quarter of the term up to a termination, due N days after the quarter ends on a Welsh working day. Called inside the
operation that made or changed the contract (made, varied, terminated), so the schedule never drifts from it."""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor
from audit.operation import operation
from contracts.rules import return_schedule
from contracts.tables import Contract
from returns.rules import NOT_YET_SUBMITTED, ReturnStatus
from returns.tables import DeliveryReturn, ReturnActivity, ReturnKpiValue, ReturnWorkforce


async def sync_returns(*, actor: Actor, contract_id: int, now: datetime) -> None:
    """Add the quarters the schedule has and the contract lacks; remove quarters it no longer has (a shortened term,
    a termination) while nobody has submitted them; move the due day of those not yet submitted. A submitted or
    accepted return is never removed: the variation and termination rules keep its quarter in the term."""
    async with operation("delivery_returns.scheduled", actor=actor, now=now) as op:
        contract = await Contract.select().where(Contract.id == contract_id).first()
        assert contract is not None
        wanted = {
            (due.financial_year, due.quarter): due
            for due in return_schedule(
                start_on=contract["start_on"],
                end_on=contract["end_on"],
                terminated_on=contract["terminated_on"],
                due_days=contract["reporting_due_days"],
                reported_from_on=contract.get("reported_from_on"),
            )
        }
        held = {
            (row["financial_year"], row["quarter"]): row
            for row in await DeliveryReturn.select().where(DeliveryReturn.contract == contract_id)
        }
        added = [due for key, due in sorted(wanted.items()) if key not in held]
        if added:
            await DeliveryReturn.insert(
                *[
                    DeliveryReturn(
                        contract=contract_id,
                        financial_year=due.financial_year,
                        quarter=due.quarter,
                        period_from=due.period_from,
                        period_to=due.period_to,
                        due_on=due.due_on,
                        status=ReturnStatus.NOT_STARTED,
                    )
                    for due in added
                ]
            )
        gone = [
            row["id"]
            for key, row in held.items()
            if key not in wanted and ReturnStatus(row["status"]) in NOT_YET_SUBMITTED
        ]
        if gone:
            for table in (ReturnActivity, ReturnKpiValue, ReturnWorkforce):
                await table.delete().where(table.delivery_return.is_in(gone))
            await DeliveryReturn.delete().where(DeliveryReturn.id.is_in(gone))
        moved = 0
        for key, row in held.items():
            due = wanted.get(key)
            if due is not None and row["due_on"] != due.due_on and ReturnStatus(row["status"]) in NOT_YET_SUBMITTED:
                await DeliveryReturn.update({DeliveryReturn.due_on: due.due_on}).where(DeliveryReturn.id == row["id"])
                moved += 1
        if added or gone or moved:
            op.record(
                "Contract",
                contract_id,
                before={"returns": len(held)},
                after={"returns": len(held) + len(added) - len(gone), "added": len(added), "removed": len(gone)},
                pcpg_id=contract["pcpg"],
                health_board_id=contract["health_board"],
            )
