"""Keeping a contract's delivery returns in step with its reporting schedule (issue 13, item 1): one return per
quarter of the term up to a termination, due N days after the quarter ends on a Welsh working day. Called inside the
operation that made or changed the contract (made, varied, terminated), so the schedule never drifts from it."""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor
from audit.operation import operation
from contracts.queries.autonomy import contract_burden
from contracts.rules import return_schedule
from contracts.tables import Contract
from returns.rules import NOT_YET_SUBMITTED, ReturnStatus
from returns.tables import DeliveryReturn, ReturnActivity, ReturnKpiValue, ReturnWorkforce


async def sync_returns(*, actor: Actor, contract_id: int, now: datetime) -> None:
    """Add the returns the schedule has and the contract lacks; remove those it no longer has (a shortened term, a
    termination, quarters now reported half-yearly) while nobody has submitted them; move the due day of those not
    yet submitted. A submitted or accepted return is never removed: the variation and termination rules keep its
    quarter in the term.

    The schedule follows the vehicle's autonomy tier quarter by quarter (issue 15, item 5; contracts.queries.autonomy
    .contract_burden). A return already under way (a draft or later) keeps its shape and the quarters it covers; only
    a return not started is reshaped (its period, how many quarters it covers, whether it is light)."""
    async with operation("delivery_returns.scheduled", actor=actor, now=now) as op:
        contract = await Contract.select().where(Contract.id == contract_id).first()
        assert contract is not None
        held = {
            (row["financial_year"], row["quarter"]): row
            for row in await DeliveryReturn.select().where(DeliveryReturn.contract == contract_id)
        }
        started = {key for key, row in held.items() if ReturnStatus(row["status"]) is not ReturnStatus.NOT_STARTED}
        taken = {
            (year, quarter - i)
            for (year, quarter) in started
            for i in range(int(held[(year, quarter)]["quarters"] or 1))
        }
        term = {
            "start_on": contract["start_on"],
            "end_on": contract["end_on"],
            "terminated_on": contract["terminated_on"],
            "due_days": contract["reporting_due_days"],
            "reported_from_on": contract.get("reported_from_on"),
        }
        quarterly = {(due.financial_year, due.quarter): due for due in return_schedule(**term)}
        wanted = {
            (due.financial_year, due.quarter): due
            for due in return_schedule(**term, burden=await contract_burden(contract_id), taken=taken)
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
                        quarters=due.quarters,
                        light=due.light,
                    )
                    for due in added
                ]
            )
        gone = [
            row["id"]
            for key, row in held.items()
            if ReturnStatus(row["status"]) in NOT_YET_SUBMITTED
            and (key not in wanted if key not in started else key not in quarterly)
        ]
        if gone:
            for table in (ReturnActivity, ReturnKpiValue, ReturnWorkforce):
                await table.delete().where(table.delivery_return.is_in(gone))
            await DeliveryReturn.delete().where(DeliveryReturn.id.is_in(gone))
        moved = 0
        for key, row in held.items():
            if ReturnStatus(row["status"]) not in NOT_YET_SUBMITTED or row["id"] in gone:
                continue
            if key in started:
                due_on = quarterly[key].due_on
                if row["due_on"] != due_on:
                    await DeliveryReturn.update({DeliveryReturn.due_on: due_on}).where(DeliveryReturn.id == row["id"])
                    moved += 1
                continue
            due = wanted[key]
            shape = (row["due_on"], row["period_from"], int(row["quarters"] or 1), bool(row["light"]))
            if shape != (due.due_on, due.period_from, due.quarters, due.light):
                await DeliveryReturn.update(
                    {
                        DeliveryReturn.due_on: due.due_on,
                        DeliveryReturn.period_from: due.period_from,
                        DeliveryReturn.quarters: due.quarters,
                        DeliveryReturn.light: due.light,
                    }
                ).where(DeliveryReturn.id == row["id"])
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
