"""Varying a contract (issue 12, item 5): a commissioner of its PCPG proposes a change, someone else decides it.

Approval applies the change in one transaction: the years and the term, clusters, KPIs, the payment schedule, the
split by cluster and the commitments on the budget lines (re-checked against the ledger by
`finance.services.recommit_contract`: a line that would go past its budget refuses the whole approval), and a new
version of the contract whose particulars the history compares with the one before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from accounts.actor import Actor, Role
from audit.operation import operation
from contracts import rules
from contracts.autonomy_rules import quarter_containing, within_variation_limit
from contracts.queries import autonomy, snapshot
from contracts.queries.variation_plans import Plan, change_fields, managed_contract, plan_variation
from contracts.rules import VariationStatus
from contracts.schemas.variation import DecisionIn, VariationIn
from contracts.services import parts
from contracts.tables import Contract, ContractCluster, ContractKpi, ContractVariation, ContractYear
from core.clock import london_day
from core.db import for_update
from core.errors import Conflict, DomainError, NotAllowed, NotFound, RuleBroken
from finance import services as finance_services
from returns.services.schedule import sync_returns


def _check_proposer(actor: Actor) -> None:
    if actor.role not in (Role.COMMISSIONER, Role.PROVIDER):
        raise NotAllowed("A variation is proposed by a commissioner of the contract's PCPG or by its delivery vehicle")


def _holding(contract: dict[str, Any]) -> None:
    """Only a contract that still holds money can be varied: one that has ended (terminated, perhaps a moment ago
    by a request that won the contract's row lock, or expired) is a conflict with its status, as every move not in
    the status table is (409), not bad input."""
    status = rules.ContractStatus(contract["status"])
    if status not in rules.HOLDING:
        raise Conflict("A contract that has ended cannot be varied (its status: %(status)s)", status=status)


async def propose_variation(*, actor: Actor, contract_id: int, change: VariationIn, now: datetime) -> int:
    """A commissioner of the contract's PCPG, or a user of its delivery vehicle, proposes; the change is checked now
    (so the proposer hears what is wrong) and again when it is decided. A vehicle proposes a change of the annual
    values only, and one within what its earned autonomy lets it agree alone (its tier's variation limit, on the
    change in the contract's total value) is agreed at once (`agree_variation`); any other waits for a commissioner.
    Returns the variation's number within the contract."""
    _check_proposer(actor)
    by_vehicle = actor.role is Role.PROVIDER
    async with operation("contract_variation.proposed", actor=actor, now=now) as op:
        contract = await managed_contract(actor, contract_id, lock=True, proposing=True)
        _holding(contract)
        wanted = change_fields(change)
        refusal = rules.vehicle_variation_refusal(wanted) if by_vehicle else None
        if refusal is not None:
            raise refusal
        plan = await plan_variation(contract, wanted, change.effective_on)
        last = (
            await ContractVariation.select(ContractVariation.number)
            .where(ContractVariation.contract == contract_id)
            .order_by(ContractVariation.number, ascending=False)
            .first()
        )
        number = (int(last["number"]) if last else 0) + 1
        await ContractVariation(
            contract=contract_id,
            number=number,
            kind=change.kind.value,
            reason=change.reason.strip(),
            effective_on=change.effective_on,
            change={"requested": wanted, "before": plan.before, "after": plan.after},
            status=VariationStatus.PROPOSED.value,
            proposed_at=now,
            proposed_by_username=actor.username,
        ).save()
        op.record(
            "Contract",
            contract_id,
            after={
                "reference": contract["reference"],
                "variation": number,
                "kind": change.kind.value,
                "effective_on": change.effective_on,
            },
            pcpg_id=contract["pcpg"],
            health_board_id=contract["health_board"],
        )
    if by_vehicle:
        try:
            await agree_variation(actor=actor, contract_id=contract_id, number=number, now=now)
        except DomainError:
            pass  # beyond its tier's limit, or the money no longer fits: it waits for a commissioner's decision
    return number


async def _variation(contract_id: int, number: int) -> dict[str, Any]:
    row = await for_update(
        ContractVariation.select().where(
            (ContractVariation.contract == contract_id) & (ContractVariation.number == number)
        )
    ).first()
    if row is None:
        raise NotFound("No such variation")
    return row


def _check_decider(actor: Actor, variation: dict[str, Any]) -> None:
    if actor.role not in (Role.COMMISSIONER, Role.NATIONAL_ADMIN):
        raise NotAllowed("A variation is decided by a commissioner of the contract's PCPG or a national administrator")
    refusal = rules.decision_refusal(
        proposer=variation["proposed_by_username"],
        decider=actor.username,
        status=VariationStatus(variation["status"]),
    )
    if refusal is not None:
        raise refusal


async def _apply(plan: Plan, *, actor: Actor, now: datetime) -> None:
    contract_id = int(plan.contract["id"])
    year_rows = await ContractYear.select().where(ContractYear.contract == contract_id)
    held = {int(r["financial_year"]): r for r in year_rows}
    removed = [year for year in held if year not in plan.values]
    if removed:
        await ContractYear.delete().where(
            (ContractYear.contract == contract_id) & ContractYear.financial_year.is_in(removed)
        )
    for year, value in sorted(plan.values.items()):
        if year in held:
            if int(held[year]["value_pence"]) != value:
                await ContractYear.update({ContractYear.value_pence: value}).where(ContractYear.id == held[year]["id"])
        else:
            await ContractYear(
                contract=contract_id, financial_year=year, value_pence=value, budget_line=plan.lines[year]
            ).save()
    clusters_now = sorted(
        int(r["cluster"])
        for r in await ContractCluster.select(ContractCluster.cluster).where(ContractCluster.contract == contract_id)
    )
    if clusters_now != plan.cluster_ids:
        await ContractCluster.delete().where(ContractCluster.contract == contract_id)
        await ContractCluster.insert(*[ContractCluster(contract=contract_id, cluster=c) for c in plan.cluster_ids])
    for position, kpi in plan.kpis.items():
        await ContractKpi.update(
            {
                ContractKpi.target: kpi["target"],
                ContractKpi.green_from: kpi["green_from"],
                ContractKpi.red_from: kpi["red_from"],
            }
        ).where((ContractKpi.contract == contract_id) & (ContractKpi.position == position))
    await parts.save_payments(
        contract_id,
        rules.payment_schedule(plan.values, plan.timing, reported_from_on=plan.contract.get("reported_from_on")),
    )
    if plan.allocations is not None:
        await parts.save_allocations(contract_id, plan.allocations)
        await finance_services.recommit_contract(
            actor=actor,
            contract_id=contract_id,
            requests=plan.requests,
            now=now,
            splits=parts.splits_of(rules.committed_split(plan.allocations, plan.committed)),
        )


async def approve_variation(*, actor: Actor, contract_id: int, number: int, decision: DecisionIn, now: datetime) -> int:
    """Someone other than the proposer approves: the change is applied and the money re-checked, all or nothing.
    Returns the contract's new version."""
    async with operation("contract_variation.approved", actor=actor, now=now) as op:
        contract = await managed_contract(actor, contract_id, lock=True)
        variation = await _variation(contract_id, number)
        _check_decider(actor, variation)
        return await _approve(op, actor, contract, variation, decision.note.strip(), now)


async def agree_variation(*, actor: Actor, contract_id: int, number: int, now: datetime) -> int:
    """The vehicle's own proposal, agreed at once when the change in the contract's total value is within its tier's
    variation limit this quarter (issue 15, item 5), checked here under the contract's lock: applied as an approval
    is, the money re-checked, the vehicle's user named as having agreed it. Beyond the limit, a conflict."""
    async with operation("contract_variation.agreed", actor=actor, now=now) as op:
        contract = await managed_contract(actor, contract_id, lock=True, proposing=True)
        variation = await _variation(contract_id, number)
        if variation["status"] != VariationStatus.PROPOSED.value or variation["proposed_by_username"] != actor.username:
            raise Conflict("Only the vehicle's own proposal can be agreed without a commissioner")
        stored = variation["change"]
        if isinstance(stored, str):
            stored = msgspec.json.decode(stored)
        plan = await plan_variation(contract, stored["requested"], variation["effective_on"])
        limit = await autonomy.variation_limit(int(contract["delivery_vehicle"]), quarter_containing(london_day(now)))
        if not within_variation_limit(sum(plan.values.values()) - int(contract["total_value_pence"]), limit):
            raise Conflict("The change is beyond what the delivery vehicle may agree without a commissioner")
        agreed = {**stored, "agreed_within_pence": limit}  # the variation page says so, in the reader's language
        return await _approve(op, actor, contract, {**variation, "change": agreed}, "", now)


async def _approve(
    op: Any, actor: Actor, contract: dict[str, Any], variation: dict[str, Any], note: str, now: datetime
) -> int:
    """Apply a proposed variation to the contract as it stands now, record the decision and make the new version."""
    contract_id, number = int(contract["id"]), int(variation["number"])
    _holding(contract)
    stored = variation["change"]
    if isinstance(stored, str):
        stored = msgspec.json.decode(stored)
    plan = await plan_variation(contract, stored["requested"], variation["effective_on"])
    await _apply(plan, actor=actor, now=now)
    version = int(contract["version"]) + 1
    total = sum(plan.values.values())
    await Contract.update(
        {
            Contract.start_on: plan.start_on,
            Contract.end_on: plan.end_on,
            Contract.total_value_pence: total,
            Contract.payment_timing: plan.timing.value,
            Contract.version: version,
        }
    ).where(Contract.id == contract_id)
    await ContractVariation.update(
        {
            ContractVariation.status: VariationStatus.APPROVED.value,
            ContractVariation.decided_at: now,
            ContractVariation.decided_by_username: actor.username,
            ContractVariation.decision_note: note,
            ContractVariation.version_made: version,
        }
    ).where(ContractVariation.id == variation["id"])
    await parts.save_version(
        contract_id, version=version, made_at=now, made_by=actor.username, variation_id=int(variation["id"])
    )
    await sync_returns(actor=actor, contract_id=contract_id, now=now)
    # what it changed as applied: another variation approved since it was proposed may have moved the contract
    await ContractVariation.update(
        {
            ContractVariation.change: {
                **stored,
                "before": plan.before,
                "after": await snapshot.particulars(contract_id),
            }
        }
    ).where(ContractVariation.id == variation["id"])
    op.record(
        "Contract",
        contract_id,
        before={"version": int(contract["version"]), "total_value_pence": int(contract["total_value_pence"])},
        after={
            "reference": contract["reference"],
            "variation": number,
            "version": version,
            "total_value_pence": total,
        },
        pcpg_id=contract["pcpg"],
        health_board_id=contract["health_board"],
    )
    return version


async def reject_variation(*, actor: Actor, contract_id: int, number: int, decision: DecisionIn, now: datetime) -> None:
    """Someone other than the proposer rejects, saying why; the contract stays as it is."""
    if not decision.note.strip():
        raise RuleBroken("Say why the variation is rejected", field="note")
    async with operation("contract_variation.rejected", actor=actor, now=now) as op:
        contract = await managed_contract(actor, contract_id, lock=True)
        variation = await _variation(contract_id, number)
        _check_decider(actor, variation)
        await ContractVariation.update(
            {
                ContractVariation.status: VariationStatus.REJECTED.value,
                ContractVariation.decided_at: now,
                ContractVariation.decided_by_username: actor.username,
                ContractVariation.decision_note: decision.note.strip(),
            }
        ).where(ContractVariation.id == variation["id"])
        op.record(
            "Contract",
            contract_id,
            before={"variation_status": VariationStatus.PROPOSED.value},
            after={"reference": contract["reference"], "variation": number, "note": decision.note.strip()},
            pcpg_id=contract["pcpg"],
            health_board_id=contract["health_board"],
        )
