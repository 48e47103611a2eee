"""make_contract takes a ContractIn Struct; what a contract (or a panel) refers to cannot be deleted from under it,
on either database (ON DELETE RESTRICT)."""

from __future__ import annotations

import sqlite3

import asyncpg
import pytest
from piccolo.table import Table

from accounts.actor import Role
from accounts.tables import User
from audit.tables import AuditEvent
from commissioning.tables import Award, Specification
from contracts.schemas.making import ContractIn, ContractYearIn
from contracts.services.making import make_contract
from contracts.tables import Contract, ContractYear
from core.db import engine
from finance.tables import BudgetCommitment
from organisations.tables import HealthBoard, Pcpg
from tests import commissioning_support as support
from tests import factories
from tests.conftest import make_actor

REFUSED = (sqlite3.IntegrityError, asyncpg.exceptions.ForeignKeyViolationError)


async def _award() -> tuple[dict, dict]:
    spec = await factories.save(factories.SpecificationFactory(pcpg=await support.pcpg_id("Cardiff")))
    award = await factories.save(factories.AwardFactory(specification=spec.id))
    return spec.to_dict(), award.to_dict()


async def _contract_in(*, health_board_id: int | None = None, line_id: int | None = None) -> ContractIn:
    spec, award = await _award()
    pcpg = await Pcpg.select(Pcpg.health_board).where(Pcpg.id == spec["pcpg"]).first()
    assert pcpg is not None
    return ContractIn(
        specification_id=spec["id"],
        award_id=award["id"],
        pcpg_id=spec["pcpg"],
        health_board_id=health_board_id or pcpg["health_board"],
        delivery_vehicle_id=award["delivery_vehicle"],
        title="Weight management",
        title_cy="Rheoli pwysau",
        years=[
            ContractYearIn(financial_year=2028, value_pence=30_000_00),
            ContractYearIn(financial_year=2027, value_pence=40_000_00, budget_line_id=line_id),
        ],
    )


async def _delete_is_refused(table: type[Table], row_id: int) -> None:
    with pytest.raises(REFUSED):
        async with engine().transaction():
            await table.delete().where(table.id == row_id)
    assert await table.exists().where(table.id == row_id)


async def test_make_contract_takes_the_struct_and_makes_the_contract_its_years_and_commitments():
    line = await support.budget_line(year=2027, amount_pence=50_000_000)
    contract_in = await _contract_in(line_id=line.id)
    commissioner = await make_actor(Role.COMMISSIONER)

    contract_id = await make_contract(actor=commissioner, contract=contract_in, now=support.now())

    contract = await Contract.select().where(Contract.id == contract_id).first()
    assert contract is not None
    assert (contract["specification"], contract["award"], contract["pcpg"], contract["health_board"]) == (
        contract_in.specification_id,
        contract_in.award_id,
        contract_in.pcpg_id,
        contract_in.health_board_id,
    )
    assert (str(contract["start_on"]), str(contract["end_on"]), contract["total_value_pence"]) == (
        "2027-04-01",
        "2029-03-31",
        70_000_00,
    )
    assert contract["reference"].startswith("CON-2027-")
    years = await ContractYear.select().where(ContractYear.contract == contract_id).order_by(ContractYear.id)
    assert [(y["financial_year"], y["value_pence"], y["budget_line"]) for y in years] == [
        (2027, 40_000_00, line.id),
        (2028, 30_000_00, None),
    ]
    [commitment] = await BudgetCommitment.select().where(BudgetCommitment.contract == contract_id)
    assert (commitment["budget_line"], commitment["amount_pence"]) == (line.id, 40_000_00)
    assert await AuditEvent.exists().where(
        (AuditEvent.action == "contract.made") & (AuditEvent.entity_id == str(contract_id))
    )


async def test_the_specification_and_award_a_contract_came_from_and_a_committed_contract_cannot_be_deleted():
    line = await support.budget_line(year=2027, amount_pence=50_000_000)
    contract_id = await make_contract(
        actor=await make_actor(Role.COMMISSIONER), contract=await _contract_in(line_id=line.id), now=support.now()
    )
    contract = await Contract.select().where(Contract.id == contract_id).first()
    assert contract is not None
    await _delete_is_refused(Specification, contract["specification"])
    await _delete_is_refused(Award, contract["award"])
    await _delete_is_refused(Contract, contract_id)  # its years would cascade; its commitment holds it


async def test_a_health_board_that_is_party_to_a_contract_cannot_be_deleted_until_the_contract_is_gone():
    board = await factories.save(factories.HealthBoardFactory())  # referred to by the contract alone
    contract_id = await make_contract(
        actor=await make_actor(Role.COMMISSIONER),
        contract=await _contract_in(health_board_id=board.id),
        now=support.now(),
    )
    await _delete_is_refused(HealthBoard, board.id)

    await ContractYear.delete().where(ContractYear.contract == contract_id)
    await Contract.delete().where(Contract.id == contract_id)
    await HealthBoard.delete().where(HealthBoard.id == board.id)  # reference tables are not emptied between tests
    assert not await HealthBoard.exists().where(HealthBoard.id == board.id)


async def test_an_evaluator_named_on_a_panel_cannot_be_deleted():
    spec, _ = await _award()
    evaluator = await make_actor(Role.EVALUATOR)
    await factories.save(
        factories.PanelMemberFactory(specification=spec["id"], user=evaluator.user_id, username=evaluator.username)
    )
    assert evaluator.user_id is not None
    await _delete_is_refused(User, evaluator.user_id)
