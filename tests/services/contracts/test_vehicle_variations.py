"""A delivery vehicle's own variations (issue 15, item 5): its user proposes a change of the annual values; within
the variation limit of its earned autonomy tier it is agreed at once, audited as such, the money recommitted;
beyond it, or at the standard tier, it waits for a commissioner; any other change is the commissioner's."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from contracts.queries.variations import get_variation
from contracts.rules import VariationKind
from contracts.schemas.variation import DecisionIn, VariationIn, YearValueIn
from contracts.services import variations
from contracts.tables import Contract
from core.errors import Conflict, NotFound, RuleBroken
from finance.tables import BudgetCommitment
from tests import returns_support_autonomy as rs
from tests.conftest import make_actor

NOW = rs.IN_Q1


def _price(pence: int) -> VariationIn:
    return VariationIn(
        kind=VariationKind.PRICE_CHANGE,
        reason="More sessions in the summer",
        effective_on=date(2027, 5, 10),
        annual_values=[YearValueIn(financial_year=2027, value_pence=pence)],
    )


async def _held(contract_id: int) -> int:
    rows = await BudgetCommitment.select(BudgetCommitment.amount_pence).where(
        (BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null()
    )
    return sum(int(row["amount_pence"]) for row in rows)


async def test_within_its_tiers_limit_the_vehicle_agrees_a_change_of_value_at_once():
    v = await rs.vehicle()
    await rs.tier_row(v.id, "earned", (2027, 1))  # earned autonomy: up to £5,000 by default
    before = await Contract.select(Contract.total_value_pence).where(Contract.id == v.contract_id).first()
    assert before is not None
    number = await variations.propose_variation(
        actor=v.manager, contract_id=v.contract_id, change=_price(before["total_value_pence"] + 4_000_00), now=NOW
    )
    shown = await get_variation(actor=v.commissioner, contract_id=v.contract_id, number=number)
    assert shown.status == "approved" and shown.decided_by == shown.proposed_by
    assert "without a commissioner's approval" in shown.decision_note and "£5,000.00" in shown.decision_note
    after = await Contract.select(Contract.total_value_pence, Contract.version).where(Contract.id == v.contract_id)
    assert after[0]["total_value_pence"] == before["total_value_pence"] + 4_000_00 and after[0]["version"] == 2
    assert await _held(v.contract_id) == before["total_value_pence"] + 4_000_00
    assert await AuditEvent.exists().where(
        (AuditEvent.action == "contract_variation.agreed") & (AuditEvent.actor_username == v.manager.username)
    )


async def test_beyond_the_limit_or_at_the_standard_tier_it_waits_for_a_commissioner():
    v = await rs.vehicle()
    total = (await Contract.select(Contract.total_value_pence).where(Contract.id == v.contract_id).first() or {})[
        "total_value_pence"
    ]
    standard = await variations.propose_variation(
        actor=v.manager, contract_id=v.contract_id, change=_price(total + 1_00), now=NOW
    )
    assert (await get_variation(actor=v.commissioner, contract_id=v.contract_id, number=standard)).status == "proposed"
    await rs.tier_row(v.id, "earned", (2027, 1))
    beyond = await variations.propose_variation(
        actor=v.manager, contract_id=v.contract_id, change=_price(total + 5_000_01), now=NOW
    )
    assert (await get_variation(actor=v.commissioner, contract_id=v.contract_id, number=beyond)).status == "proposed"
    assert not await AuditEvent.exists().where(AuditEvent.action == "contract_variation.agreed")
    # the commissioner decides it as any other
    await variations.approve_variation(
        actor=v.commissioner, contract_id=v.contract_id, number=beyond, decision=DecisionIn(note=""), now=NOW
    )
    assert (await get_variation(actor=v.commissioner, contract_id=v.contract_id, number=beyond)).status == "approved"


async def test_a_vehicle_changes_only_the_values_of_its_own_contracts():
    v = await rs.vehicle()
    await rs.tier_row(v.id, "high", (2027, 1))
    with pytest.raises(RuleBroken) as refused:
        await variations.propose_variation(
            actor=v.manager,
            contract_id=v.contract_id,
            change=VariationIn(
                kind=VariationKind.CHANGE_OF_SCOPE,
                reason="Another cluster",
                effective_on=date(2027, 5, 10),
                cluster_ids=[1, 2],
            ),
            now=NOW,
        )
    assert refused.value.field == "cluster_ids"
    other = await make_actor(Role.PROVIDER, username="elsewhere")
    with pytest.raises(NotFound):
        await variations.propose_variation(actor=other, contract_id=v.contract_id, change=_price(1_00), now=NOW)


async def test_agreeing_checks_the_limit_itself_under_the_contracts_lock():
    v = await rs.vehicle()
    total = (await Contract.select(Contract.total_value_pence).where(Contract.id == v.contract_id).first() or {})[
        "total_value_pence"
    ]
    number = await variations.propose_variation(
        actor=v.manager, contract_id=v.contract_id, change=_price(total + 9_000_00), now=NOW
    )
    await rs.tier_row(v.id, "earned", (2027, 1))  # £5,000: still short of the change
    with pytest.raises(Conflict):
        await variations.agree_variation(actor=v.manager, contract_id=v.contract_id, number=number, now=NOW)
    assert (await get_variation(actor=v.commissioner, contract_id=v.contract_id, number=number)).status == "proposed"
    assert not await AuditEvent.exists().where(AuditEvent.action == "contract_variation.agreed")
