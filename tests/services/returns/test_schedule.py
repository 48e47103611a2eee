"""A contract's delivery returns follow its reporting schedule (issue 13, item 1): one per quarter of the term, due
30 days after the quarter on a Welsh working day, removed by a termination for the later quarters, and audited."""

from __future__ import annotations

from datetime import date

from accounts.actor import Role
from audit.tables import AuditEvent
from contracts.services import lifecycle
from returns.rules import ReturnStatus
from returns.tables import DeliveryReturn
from tests import contracts_support_lifecycle as cs
from tests.conftest import make_actor

IN_TERM = cs.at(date(2027, 6, 1))


async def _quarters(contract_id: int) -> list[tuple[int, int, date, str]]:
    rows = (
        await DeliveryReturn.select()
        .where(DeliveryReturn.contract == contract_id)
        .order_by(DeliveryReturn.financial_year, DeliveryReturn.quarter)
    )
    return [(r["financial_year"], r["quarter"], r["due_on"], r["status"]) for r in rows]


async def test_a_new_contract_has_a_return_for_each_quarter_due_on_a_welsh_working_day():
    contract_id = await cs.contract(years=(2027, 2028))
    quarters = await _quarters(contract_id)
    assert [(y, q) for y, q, _, _ in quarters] == [(y, q) for y in (2027, 2028) for q in (1, 2, 3, 4)]
    assert {status for *_, status in quarters} == {ReturnStatus.NOT_STARTED}
    due = {(y, q): d for y, q, d, _ in quarters}
    assert due[(2027, 1)] == date(2027, 7, 30)  # a Friday: stays
    assert due[(2027, 4)] == date(2028, 5, 2)  # 30 April 2028 is a Sunday and 1 May a bank holiday
    assert await AuditEvent.exists().where(AuditEvent.action == "delivery_returns.scheduled")


async def test_a_termination_removes_the_returns_of_later_quarters_but_keeps_the_one_it_falls_in():
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(years=(2027, 2028, 2029), commissioner=commissioner)
    await DeliveryReturn.update({DeliveryReturn.status: ReturnStatus.DRAFT}).where(
        (DeliveryReturn.contract == contract_id) & (DeliveryReturn.financial_year == 2028)
    )

    await lifecycle.terminate_contract(
        actor=commissioner, contract_id=contract_id, terminated_on=date(2027, 8, 15), reason="Closed", now=IN_TERM
    )

    assert [(y, q) for y, q, *_ in await _quarters(contract_id)] == [(2027, 1), (2027, 2)]


async def test_a_submitted_return_is_never_removed_by_the_schedule():
    commissioner = await make_actor(Role.COMMISSIONER)
    contract_id = await cs.contract(years=(2027, 2028), commissioner=commissioner)
    await DeliveryReturn.update({DeliveryReturn.status: ReturnStatus.SUBMITTED}).where(
        (DeliveryReturn.contract == contract_id)
        & (DeliveryReturn.financial_year == 2028)
        & (DeliveryReturn.quarter == 1)
    )

    await lifecycle.terminate_contract(
        actor=commissioner, contract_id=contract_id, terminated_on=date(2027, 8, 15), reason="Closed", now=IN_TERM
    )

    assert [(y, q) for y, q, *_ in await _quarters(contract_id)] == [(2027, 1), (2027, 2), (2028, 1)]
