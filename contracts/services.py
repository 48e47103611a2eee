"""Making the contract when an award is confirmed: the health board is the party, the PCPG manages it.

Allocations, payment schedules and variations come with the contracts issue; this makes the particulars
(parties, term, annual values) and commits each year's value on its budget line.
"""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor
from audit.operation import operation
from contracts.rules import ContractStatus
from contracts.schemas import ContractIn
from contracts.tables import Contract, ContractYear
from core.db import serialise
from core.periods import FinancialYear
from finance import services as finance_services
from finance.schemas import EarmarkRequest


async def make_contract(*, actor: Actor, contract: ContractIn, now: datetime) -> int:
    """The term runs from the first year's 1 April to the last year's 31 March; the specification's earmarks are
    released and each year's value with a budget line is committed on it."""
    years = sorted(contract.years, key=lambda year: year.financial_year)
    async with operation("contract.made", actor=actor, now=now) as op:
        await serialise(7_245_201)  # contract references are numbered in order, one writer at a time
        count = await Contract.count()
        row = Contract(
            reference=f"CON-{years[0].financial_year}-{count + 1:04d}",
            specification=contract.specification_id,
            award=contract.award_id,
            health_board=contract.health_board_id,
            pcpg=contract.pcpg_id,
            delivery_vehicle=contract.delivery_vehicle_id,
            title=contract.title,
            title_cy=contract.title_cy,
            start_on=FinancialYear(years[0].financial_year).first_day,
            end_on=FinancialYear(years[-1].financial_year).last_day,
            status=ContractStatus.MOBILISING,
            total_value_pence=sum(year.value_pence for year in years),
            made_at=now,
            made_by_username=actor.username,
        )
        await row.save()
        await ContractYear.insert(
            *[
                ContractYear(
                    contract=row.id,
                    financial_year=year.financial_year,
                    value_pence=year.value_pence,
                    budget_line=year.budget_line_id,
                )
                for year in years
            ]
        )
        await finance_services.release_earmarks(actor=actor, specification_id=contract.specification_id, now=now)
        requests = [
            EarmarkRequest(
                budget_line_id=year.budget_line_id, financial_year=year.financial_year, amount_pence=year.value_pence
            )
            for year in contract.years
            if year.budget_line_id is not None
        ]
        if requests:  # a contract whose years name no budget line commits nothing (and Piccolo cannot insert no rows)
            await finance_services.commit_budget(actor=actor, contract_id=row.id, requests=requests, now=now)
        op.record(
            "Contract",
            row.id,
            after={
                "reference": row.reference,
                "specification_id": contract.specification_id,
                "delivery_vehicle_id": contract.delivery_vehicle_id,
                "total_value_pence": row.total_value_pence,
                "start_on": row.start_on,
                "end_on": row.end_on,
            },
            pcpg_id=contract.pcpg_id,
            health_board_id=contract.health_board_id,
        )
    return int(row.id)
