"""Varying a contract: a commissioner of its PCPG proposes, someone else decides; approval applies the change,
re-checks the ledger and makes a new version, or changes nothing at all."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from contracts.queries import variations as queries
from contracts.rules import VariationKind
from contracts.schemas.variation import DecisionIn, KpiChangeIn, VariationIn, YearValueIn
from contracts.services import variations as services
from contracts.tables import (
    Contract,
    ContractAllocation,
    ContractCluster,
    ContractKpi,
    ContractPayment,
    ContractVariation,
    ContractVersion,
    ContractYear,
)
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from core.money import split_exact
from finance import queries as finance_queries
from finance.tables import BudgetCommitment, BudgetCommitmentCluster
from tests import commissioning_support as support
from tests import contracts_support_variations as cs
from tests.conftest import make_actor

OK = DecisionIn(note="")


def _values(**years: int) -> list[YearValueIn]:
    return [YearValueIn(financial_year=int(year[1:]), value_pence=pence) for year, pence in years.items()]


def raise_2028(pence: int, **options: Any) -> VariationIn:
    return VariationIn(
        kind=VariationKind.PRICE_CHANGE,
        reason="More sessions in the second year",
        effective_on=date(2028, 4, 1),
        annual_values=_values(y2027=100_000_00, y2028=pence),
        **options,
    )


async def _snapshot(contract_id: int) -> dict[str, Any]:
    """Everything an approval could change, as rows."""

    async def rows(table: Any, *order: Any) -> list[dict[str, Any]]:
        query = table.select().where(table.contract == contract_id)
        return await (query.order_by(*order) if order else query.order_by(table.id))

    commitments = await rows(BudgetCommitment)
    return {
        "contract": await Contract.select().where(Contract.id == contract_id).first(),
        "years": await rows(ContractYear),
        "clusters": await rows(ContractCluster),
        "kpis": await rows(ContractKpi),
        "payments": await rows(ContractPayment),
        "allocations": await rows(ContractAllocation),
        "versions": await rows(ContractVersion),
        "commitments": commitments,
        "splits": await BudgetCommitmentCluster.select()
        .where(BudgetCommitmentCluster.budget_commitment.is_in([c["id"] for c in commitments] or [-1]))
        .order_by(BudgetCommitmentCluster.id),
    }


async def _held(contract_id: int) -> list[tuple[int, int, int]]:
    rows = await BudgetCommitment.select().where(
        (BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null()
    )
    return sorted((r["financial_year"], r["budget_line"], r["amount_pence"]) for r in rows)


async def test_the_proposer_cannot_decide_but_another_commissioner_of_the_pcpg_or_a_national_admin_can():
    made = await cs.contract()
    number = await services.propose_variation(
        actor=made.proposer, contract_id=made.contract_id, change=raise_2028(135_000_00), now=support.now()
    )
    assert number == 1
    with pytest.raises(RuleBroken, match="someone other than the person who proposed it"):
        await services.approve_variation(
            actor=made.proposer, contract_id=made.contract_id, number=1, decision=OK, now=support.now()
        )
    with pytest.raises(RuleBroken):
        await services.reject_variation(
            actor=made.proposer,
            contract_id=made.contract_id,
            number=1,
            decision=DecisionIn(note="No"),
            now=support.now(),
        )
    assert (await ContractVariation.select().first())["status"] == "proposed"

    other_pcpg = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    with pytest.raises(NotFound):
        await services.approve_variation(
            actor=other_pcpg, contract_id=made.contract_id, number=1, decision=OK, now=support.now()
        )
    provider = await make_actor(Role.PROVIDER)
    with pytest.raises((NotAllowed, NotFound)):
        await services.approve_variation(
            actor=provider, contract_id=made.contract_id, number=1, decision=OK, now=support.now()
        )

    colleague = await make_actor(Role.COMMISSIONER)
    version = await services.approve_variation(
        actor=colleague, contract_id=made.contract_id, number=1, decision=OK, now=support.now()
    )
    assert version == 2
    years = (
        await ContractYear.select()
        .where(ContractYear.contract == made.contract_id)
        .order_by(ContractYear.financial_year)
    )
    assert [y["value_pence"] for y in years] == [100_000_00, 135_000_00]
    assert await _held(made.contract_id) == [
        (2027, made.lines[2027].id, 100_000_00),
        (2028, made.lines[2028].id, 135_000_00),
    ]
    assert await AuditEvent.exists().where(
        (AuditEvent.action == "contract_variation.approved") & (AuditEvent.actor_username == colleague.username)
    )

    second = await services.propose_variation(
        actor=colleague, contract_id=made.contract_id, change=raise_2028(140_000_00), now=support.now()
    )
    admin = await make_actor(Role.NATIONAL_ADMIN)
    assert (
        await services.approve_variation(
            actor=admin, contract_id=made.contract_id, number=second, decision=OK, now=support.now()
        )
        == 3
    )
    contract = await Contract.select().where(Contract.id == made.contract_id).first()
    assert (contract["version"], contract["total_value_pence"]) == (3, 240_000_00)


async def test_a_national_admin_cannot_propose_and_a_decided_variation_cannot_be_decided_again():
    made = await cs.contract()
    with pytest.raises(NotAllowed):
        await services.propose_variation(
            actor=await make_actor(Role.NATIONAL_ADMIN),
            contract_id=made.contract_id,
            change=raise_2028(135_000_00),
            now=support.now(),
        )
    await services.propose_variation(
        actor=made.proposer, contract_id=made.contract_id, change=raise_2028(135_000_00), now=support.now()
    )
    colleague = await make_actor(Role.COMMISSIONER)
    with pytest.raises(RuleBroken, match="Say why"):
        await services.reject_variation(
            actor=colleague, contract_id=made.contract_id, number=1, decision=DecisionIn(note=" "), now=support.now()
        )
    await services.reject_variation(
        actor=colleague,
        contract_id=made.contract_id,
        number=1,
        decision=DecisionIn(note="Not funded"),
        now=support.now(),
    )
    with pytest.raises(Conflict):
        await services.approve_variation(
            actor=colleague, contract_id=made.contract_id, number=1, decision=OK, now=support.now()
        )
    contract = await Contract.select().where(Contract.id == made.contract_id).first()
    assert (contract["version"], contract["total_value_pence"]) == (1, 220_000_00)
    out = await queries.get_variation(actor=colleague, contract_id=made.contract_id, number=1)
    assert (out.status_label, out.decision_note, out.can_decide) == ("Rejected", "Not funded", False)


async def test_an_approval_past_the_lines_headroom_is_refused_naming_line_year_and_shortfall_and_changes_nothing():
    made = await cs.contract()  # 2028-29: £120,000 held on a £500,000 line
    await services.propose_variation(
        actor=made.proposer, contract_id=made.contract_id, change=raise_2028(600_000_00), now=support.now()
    )
    before = await _snapshot(made.contract_id)
    colleague = await make_actor(Role.COMMISSIONER)

    with pytest.raises(Conflict) as refused:
        await services.approve_variation(
            actor=colleague, contract_id=made.contract_id, number=1, decision=OK, now=support.now()
        )

    assert refused.value.params["financial_year"] == 2028
    assert refused.value.params["budget_line_id"] == made.lines[2028].id
    assert refused.value.params["shortfall_pence"] == 100_000_00
    assert "2028-29" in refused.value.params["line"] or refused.value.params["year"] == "2028-29"
    assert refused.value.params["shortfall"] == "£100,000.00"
    assert await _snapshot(made.contract_id) == before
    assert (await ContractVariation.select().first())["status"] == "proposed"
    assert not await AuditEvent.exists().where(AuditEvent.action == "contract_variation.approved")

    # the negative control: within the headroom the same approval goes through
    await services.propose_variation(
        actor=made.proposer, contract_id=made.contract_id, change=raise_2028(500_000_00), now=support.now()
    )
    await services.approve_variation(
        actor=colleague, contract_id=made.contract_id, number=2, decision=OK, now=support.now()
    )
    assert await _snapshot(made.contract_id) != before


async def test_a_variation_of_a_contract_that_has_ended_is_a_conflict_and_changes_nothing():
    # A terminated contract holds only its kept quarters: approving a change to it is refused as a status conflict
    # (409, as every move not in the status table is), not as bad input, and writes nothing.
    made = await cs.contract()
    await services.propose_variation(
        actor=made.proposer, contract_id=made.contract_id, change=raise_2028(135_000_00), now=support.now()
    )
    colleague = await make_actor(Role.COMMISSIONER)
    await Contract.update({Contract.status: "terminated"}).where(Contract.id == made.contract_id)
    before = await _snapshot(made.contract_id)

    with pytest.raises(Conflict, match="cannot be varied"):
        await services.approve_variation(
            actor=colleague, contract_id=made.contract_id, number=1, decision=OK, now=support.now()
        )
    with pytest.raises(Conflict, match="cannot be varied"):
        await services.propose_variation(
            actor=made.proposer, contract_id=made.contract_id, change=raise_2028(140_000_00), now=support.now()
        )

    assert await _snapshot(made.contract_id) == before
    assert await ContractVariation.select(ContractVariation.status) == [{"status": "proposed"}]
    # the negative control: while the contract still holds money the same approval goes through
    await Contract.update({Contract.status: "live"}).where(Contract.id == made.contract_id)
    await services.approve_variation(
        actor=colleague, contract_id=made.contract_id, number=1, decision=OK, now=support.now()
    )
    assert await _snapshot(made.contract_id) != before


async def test_the_history_shows_each_version_field_by_field():
    made = await cs.contract(clusters=(cs.NORTH,), extra_line_years=(2029,))
    colleague = await make_actor(Role.COMMISSIONER)

    async def vary(change: VariationIn) -> None:
        number = await services.propose_variation(
            actor=made.proposer, contract_id=made.contract_id, change=change, now=support.now()
        )
        await services.approve_variation(
            actor=colleague, contract_id=made.contract_id, number=number, decision=OK, now=support.now()
        )

    await vary(raise_2028(135_000_00))
    await vary(
        VariationIn(
            kind=VariationKind.EXTENSION,
            reason="A third year",
            effective_on=date(2028, 6, 1),
            annual_values=_values(y2027=100_000_00, y2028=135_000_00, y2029=50_000_00),
        )
    )
    await vary(
        VariationIn(
            kind=VariationKind.CHANGE_OF_SCOPE,
            reason="South West joins",
            effective_on=date(2028, 6, 1),
            cluster_ids=[await cs.cluster_id(cs.NORTH), await cs.cluster_id(cs.SOUTH_WEST)],
        )
    )
    await vary(
        VariationIn(
            kind=VariationKind.CORRECTION,
            reason="Target as agreed",
            effective_on=date(2028, 6, 1),
            kpis=[KpiChangeIn(position=0, target="90")],
        )
    )

    versions = await queries.history(actor=colleague, contract_id=made.contract_id)

    assert [(v.version, v.variation_number) for v in versions] == [(1, None), (2, 1), (3, 2), (4, 3), (5, 4)]
    assert versions[0].changes == []
    assert versions[1].changes == [
        "Annual value 2028-29: £120,000.00 -> £135,000.00",
        "Split 2028-29, Cardiff North: £120,000.00 -> £135,000.00",
    ]
    assert versions[2].changes == [
        "Term ends: 31 March 2029 -> 31 March 2030",
        "Annual value 2029-30: added, £50,000.00",
        "Split 2029-30, Cardiff North: added, £50,000.00",
    ]
    north_2027, south_west_2027 = split_exact(100_000_00, [107_230, 75_000])
    assert (north_2027, south_west_2027) == (58_843_22, 41_156_78)
    assert versions[3].changes[:3] == [
        "Clusters: added Cardiff South West",
        "Split 2027-28, Cardiff North: £100,000.00 -> £58,843.22",
        "Split 2027-28, Cardiff South West: added, £41,156.78",
    ]
    assert versions[4].changes == ["KPI People seen 1, target: 80 -> 90"]
    published = await queries.published_changes(made.contract_id)
    assert [(p.number, p.kind_label) for p in published] == [
        (1, "Price change"),
        (2, "Extension"),
        (3, "Change of scope"),
        (4, "Correction"),
    ]
    assert published[0].changes == versions[1].changes
    # the extension committed 2029-30 on the PCPG's 2029 line of the same funding stream
    assert (2029, made.lines[2029].id, 50_000_00) in await _held(made.contract_id)


async def test_allocations_are_split_again_exactly_after_approval_and_each_line_reconciles():
    made = await cs.contract(clusters=(cs.NORTH,))
    colleague = await make_actor(Role.COMMISSIONER)
    north, south_west = await cs.cluster_id(cs.NORTH), await cs.cluster_id(cs.SOUTH_WEST)
    change = VariationIn(
        kind=VariationKind.CHANGE_OF_SCOPE,
        reason="South West joins",
        effective_on=date(2027, 10, 1),
        annual_values=_values(y2027=100_000_01, y2028=120_000_00),
        cluster_ids=[north, south_west],
    )
    await services.propose_variation(
        actor=made.proposer, contract_id=made.contract_id, change=change, now=support.now()
    )
    await services.approve_variation(
        actor=colleague, contract_id=made.contract_id, number=1, decision=OK, now=support.now()
    )

    rows = await ContractAllocation.select().where(ContractAllocation.contract == made.contract_id)
    found = {(r["financial_year"], r["cluster"]): r["amount_pence"] for r in rows}
    for year, value in ((2027, 100_000_01), (2028, 120_000_00)):
        expected = split_exact(value, [107_230, 75_000])
        assert (found[(year, north)], found[(year, south_west)]) == tuple(expected)
        assert sum(expected) == value
    commitments = await BudgetCommitment.select().where(
        (BudgetCommitment.contract == made.contract_id) & BudgetCommitment.released_at.is_null()
    )
    for commitment in commitments:
        parts = await BudgetCommitmentCluster.select().where(
            BudgetCommitmentCluster.budget_commitment == commitment["id"]
        )
        assert {p["cluster"]: p["amount_pence"] for p in parts} == {
            north: found[(commitment["financial_year"], north)],
            south_west: found[(commitment["financial_year"], south_west)],
        }
    payments = await ContractPayment.select().where(
        (ContractPayment.contract == made.contract_id) & (ContractPayment.financial_year == 2027)
    )
    assert sum(p["amount_pence"] for p in payments) == 100_000_01

    ledgers = await finance_queries.ledgers([line.id for line in made.lines.values()])
    for year, line in made.lines.items():
        ledger = ledgers[line.id]
        assert ledger.budget_pence == (
            ledger.earmarked_pence + ledger.committed_pence + ledger.headroom_pence + ledger.actual_pence
        )
        assert ledger.committed_pence == {2027: 100_000_01, 2028: 120_000_00}[year]


async def test_a_change_the_contract_cannot_take_is_refused_when_proposed_and_nothing_is_stored():
    made = await cs.contract()
    refusals = {
        "There is no budget line for 2029-30": VariationIn(
            kind=VariationKind.EXTENSION,
            reason="A third year",
            effective_on=date(2028, 6, 1),
            annual_values=_values(y2027=100_000_00, y2028=120_000_00, y2029=10_00),
        ),
        "2028-29 has started by the effective date": VariationIn(
            kind=VariationKind.CHANGE_OF_SCOPE,
            reason="Shorter",
            effective_on=date(2028, 4, 1),
            annual_values=_values(y2027=100_000_00),
        ),
        "The effective date must be within": VariationIn(
            kind=VariationKind.PRICE_CHANGE,
            reason="Later",
            effective_on=date(2030, 1, 1),
            annual_values=_values(y2027=100_000_00, y2028=1_00),
        ),
        "Some clusters have no known population": VariationIn(
            kind=VariationKind.CHANGE_OF_SCOPE,
            reason="East joins",
            effective_on=date(2028, 4, 1),
            cluster_ids=[await cs.cluster_id(cs.NORTH), await cs.cluster_id(cs.EAST)],
        ),
        "The variation changes nothing": raise_2028(120_000_00),
    }
    for message, change in refusals.items():
        with pytest.raises(RuleBroken) as refused:
            await services.propose_variation(
                actor=made.proposer, contract_id=made.contract_id, change=change, now=support.now()
            )
        assert (refused.value.message % refused.value.params).startswith(message)
    assert not await ContractVariation.exists()

    # shortening before the last year starts is allowed; with an explicit split East can join
    shorter = VariationIn(
        kind=VariationKind.CHANGE_OF_SCOPE,
        reason="Shorter",
        effective_on=date(2028, 3, 31),
        annual_values=_values(y2027=100_000_00),
    )
    await services.propose_variation(
        actor=made.proposer, contract_id=made.contract_id, change=shorter, now=support.now()
    )
    await services.approve_variation(
        actor=await make_actor(Role.COMMISSIONER),
        contract_id=made.contract_id,
        number=1,
        decision=OK,
        now=support.now(),
    )
    contract = await Contract.select().where(Contract.id == made.contract_id).first()
    assert str(contract["end_on"]) == "2028-03-31"
    assert await _held(made.contract_id) == [(2027, made.lines[2027].id, 100_000_00)]
    assert not await ContractPayment.exists().where(
        (ContractPayment.contract == made.contract_id) & (ContractPayment.financial_year == 2028)
    )


async def test_a_variation_approved_after_another_says_what_it_changed_from_the_contract_as_it_then_stood():
    made = await cs.contract()
    colleague = await make_actor(Role.COMMISSIONER)
    for pence in (135_000_00, 140_000_00):
        await services.propose_variation(
            actor=made.proposer, contract_id=made.contract_id, change=raise_2028(pence), now=support.now()
        )
    second = await queries.get_variation(actor=colleague, contract_id=made.contract_id, number=2)
    assert second.changes[0] == "Annual value 2028-29: £120,000.00 -> £140,000.00"  # as proposed

    for number in (1, 2):
        await services.approve_variation(
            actor=colleague, contract_id=made.contract_id, number=number, decision=OK, now=support.now()
        )

    second = await queries.get_variation(actor=colleague, contract_id=made.contract_id, number=2)
    assert second.changes[0] == "Annual value 2028-29: £135,000.00 -> £140,000.00"
    assert [p.changes[0] for p in await queries.published_changes(made.contract_id)] == [
        "Annual value 2028-29: £120,000.00 -> £135,000.00",
        "Annual value 2028-29: £135,000.00 -> £140,000.00",
    ]
