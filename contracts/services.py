"""Making the contract when an award is confirmed: the health board is the party, the PCPG manages it.

Allocations, payment schedules and variations come with the contracts issue; this makes the particulars
(parties, term, annual values) and commits each year's value on its budget line.
"""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor
from audit.operation import operation
from contracts.rules import ContractStatus
from contracts.tables import Contract, ContractYear
from core.db import serialise
from core.periods import FinancialYear
from finance import services as finance_services
from finance.schemas import EarmarkRequest


async def make_contract(
    *,
    actor: Actor,
    specification: dict,
    award_id: int,
    delivery_vehicle_id: int,
    health_board_id: int,
    values: list[tuple[int, int, int | None]],
    now: datetime,
) -> int:
    """`values` are (financial_year, value_pence, budget_line_id); the earmarks are released, the values committed."""
    years = sorted(year for year, _, _ in values)
    async with operation("contract.made", actor=actor, now=now) as op:
        await serialise(7_245_201)  # contract references are numbered in order, one writer at a time
        count = await Contract.count()
        contract = Contract(
            reference=f"CON-{years[0]}-{count + 1:04d}",
            specification_id=specification["id"],
            award_id=award_id,
            health_board=health_board_id,
            pcpg=specification["pcpg"],
            delivery_vehicle=delivery_vehicle_id,
            title=specification["title"],
            title_cy=specification["title_cy"],
            start_on=FinancialYear(years[0]).first_day,
            end_on=FinancialYear(years[-1]).last_day,
            status=ContractStatus.MOBILISING,
            total_value_pence=sum(value for _, value, _ in values),
            made_at=now,
            made_by_username=actor.username,
        )
        await contract.save()
        await ContractYear.insert(
            *[
                ContractYear(contract=contract.id, financial_year=year, value_pence=value, budget_line=line)
                for year, value, line in sorted(values)
            ]
        )
        await finance_services.release_earmarks(actor=actor, specification_id=specification["id"], now=now)
        await finance_services.commit_budget(
            actor=actor,
            contract_id=contract.id,
            requests=[
                EarmarkRequest(budget_line_id=line, financial_year=year, amount_pence=value)
                for year, value, line in values
                if line is not None
            ],
            now=now,
        )
        op.record(
            "Contract",
            contract.id,
            after={
                "reference": contract.reference,
                "specification_id": specification["id"],
                "delivery_vehicle_id": delivery_vehicle_id,
                "total_value_pence": contract.total_value_pence,
                "start_on": contract.start_on,
                "end_on": contract.end_on,
            },
            pcpg_id=specification["pcpg"],
            health_board_id=health_board_id,
        )
    return int(contract.id)
