"""Varying a contract (issue 12, item 5): a commissioner of its PCPG proposes a change, someone else decides it.

Approval applies the change in one transaction: the years and the term, clusters, KPIs, the payment schedule, the
split by cluster and the commitments on the budget lines (re-checked against the ledger by
`finance.services.recommit_contract`: a line that would go past its budget refuses the whole approval), and a new
version of the contract whose particulars the history compares with the one before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import msgspec

from accounts.actor import Actor, Role
from audit.operation import operation
from contracts import rules
from contracts.queries.scope import manage_scope, scoped
from contracts.rules import PaymentTiming, VariationStatus
from contracts.schemas.variation import DecisionIn, VariationIn
from contracts.services import parts
from contracts.tables import Contract, ContractCluster, ContractKpi, ContractVariation, ContractYear
from core.clock import LONDON
from core.db import for_update
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from core.periods import FinancialYear
from finance import rules as finance_rules
from finance import services as finance_services
from finance.schemas import EarmarkRequest
from finance.tables import BudgetLine
from organisations.tables import Cluster


def london_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


@dataclass
class Plan:
    """The contract as the change would leave it, worked out from how it stands (nothing written)."""

    contract: dict[str, Any]
    values: dict[int, int]
    lines: dict[int, int | None]
    start_on: date
    end_on: date
    cluster_ids: list[int]
    kpis: dict[int, dict[str, str]]
    timing: PaymentTiming
    allocations: list[rules.Allocation] | None  # None: the split by cluster stays as it is
    money_changes: bool
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def requests(self) -> list[EarmarkRequest]:
        return [
            EarmarkRequest(budget_line_id=line, financial_year=year, amount_pence=self.values[year])
            for year, line in sorted(self.lines.items())
            if line is not None
        ]


async def managed_contract(actor: Actor, contract_id: int, *, lock: bool) -> dict[str, Any]:
    """The contract if the actor manages it (out of scope is missing), its row locked for the change."""
    query: Any = scoped(Contract.select().where(Contract.id == contract_id), manage_scope(actor))
    if lock:
        query = for_update(query)
    row = await query.first()
    if row is None:
        raise NotFound("No such contract")
    return row


def change_fields(change: VariationIn) -> dict[str, Any]:
    """What the variation asks to change, as stored with it (the reason, kind and date are columns of their own)."""
    wanted = msgspec.to_builtins(change)
    for name in ("kind", "reason", "effective_on"):
        wanted.pop(name, None)
    return {name: value for name, value in wanted.items() if value is not None}


async def _extension_line(contract: dict[str, Any], lines_now: dict[int, int | None], year: int) -> int | None:
    """A year added by an extension is committed on the PCPG's line for that year in the same funding stream as the
    contract's other years; a contract whose years name no line commits nothing for it either."""
    known = [line for _, line in sorted(lines_now.items()) if line is not None]
    if not known:
        return None
    stream_row = await BudgetLine.select(BudgetLine.funding_stream).where(BudgetLine.id == known[-1]).first()
    stream = stream_row["funding_stream"] if stream_row else ""
    found = (
        await BudgetLine.select(BudgetLine.id)
        .where(
            (BudgetLine.health_board == contract["health_board"])
            & (BudgetLine.pcpg == contract["pcpg"])
            & (BudgetLine.financial_year == year)
            & (BudgetLine.funding_stream == stream)
        )
        .order_by(BudgetLine.id)
        .first()
    )
    if found is None:
        raise RuleBroken(
            "There is no budget line for %(year)s in the %(stream)s funding stream of this PCPG: set one before "
            "extending the contract",
            field="annual_values",
            year=FinancialYear(year).label,
            stream=finance_rules.FUNDING_STREAMS.get(stream, stream),
        )
    return int(found["id"])


async def _cluster_names(cluster_ids: list[int]) -> dict[int, str]:
    if not cluster_ids:
        return {}
    rows = await Cluster.select(Cluster.id, Cluster.name).where(Cluster.id.is_in(cluster_ids))
    return {row["id"]: row["name"] for row in rows}


async def plan_variation(contract: dict[str, Any], wanted: dict[str, Any], effective_on: date) -> Plan:
    """Check the change against the contract as it stands and work out what it leaves (used to propose, to preview
    the ledger effect, and again to approve, since another variation may have changed the contract in between)."""
    contract_id = int(contract["id"])
    if not wanted:
        raise RuleBroken("Say what the variation changes", field="annual_values")
    year_rows = await ContractYear.select().where(ContractYear.contract == contract_id)
    values_now = {int(r["financial_year"]): int(r["value_pence"]) for r in year_rows}
    lines_now = {int(r["financial_year"]): r["budget_line"] for r in year_rows}
    clusters_now = [
        int(r["cluster"])
        for r in await ContractCluster.select(ContractCluster.cluster)
        .where(ContractCluster.contract == contract_id)
        .order_by(ContractCluster.cluster)
    ]
    kpi_rows = await ContractKpi.select().where(ContractKpi.contract == contract_id)
    kpis = {
        int(r["position"]): {"target": r["target"], "green_from": r["green_from"], "red_from": r["red_from"]}
        for r in kpi_rows
    }

    values = dict(values_now)
    if "annual_values" in wanted:
        given = [(int(v["financial_year"]), int(v["value_pence"])) for v in wanted["annual_values"]]
        values = dict(given)
        refusal = rules.variation_term_refusal(
            values_now=values_now,
            years_after=[year for year, _ in given],
            values_after=values,
            effective_on=effective_on,
            start_on=contract["start_on"],
            end_on=contract["end_on"],
        )
        if refusal is not None:
            raise refusal
    elif not contract["start_on"] <= effective_on <= contract["end_on"]:
        raise RuleBroken(
            "The effective date must be within the contract's term, %(start)s to %(end)s",
            field="effective_on",
            start=contract["start_on"],
            end=contract["end_on"],
        )
    lines: dict[int, int | None] = {}
    for year in sorted(values):
        lines[year] = lines_now[year] if year in lines_now else await _extension_line(contract, lines_now, year)

    cluster_ids = clusters_now
    if "cluster_ids" in wanted:
        cluster_ids = sorted({int(c) for c in wanted["cluster_ids"]})
        names = await _cluster_names(cluster_ids)
        unknown = [c for c in cluster_ids if c not in names]
        if unknown:
            raise RuleBroken("There is no cluster %(id)s", field="cluster_ids", id=unknown[0])

    for change in wanted.get("kpis", []):
        position = int(change["position"])
        if position not in kpis:
            raise RuleBroken("The contract has no KPI %(number)s", field="kpis", number=position + 1)
        for name in ("target", "green_from", "red_from"):
            text = change.get(name)
            if text is None:
                continue
            text = str(text).strip()
            if name != "target":
                refusal = rules.threshold_refusal(text, field="kpis")
                if refusal is not None:
                    raise refusal
            kpis[position][name] = text

    timing = PaymentTiming(wanted.get("payment_timing", contract["payment_timing"]))
    money_changes = values != values_now or cluster_ids != clusters_now or "split" in wanted
    allocations = None
    if money_changes:
        populations = await parts.cluster_populations(cluster_ids)
        if "split" in wanted:
            split: dict[int, dict[int, int]] = {}
            for part in wanted["split"]:
                split.setdefault(int(part["financial_year"]), {})[int(part["cluster_id"])] = int(part["amount_pence"])
            allocations = rules.allocate_explicitly(values, populations, split)
        else:
            allocations = rules.allocate_by_population(values, populations)
    start_on = FinancialYear(min(values)).first_day
    end_on = FinancialYear(max(values)).last_day
    plan = Plan(
        contract=contract,
        values=values,
        lines=lines,
        start_on=start_on,
        end_on=end_on,
        cluster_ids=cluster_ids,
        kpis=kpis,
        timing=timing,
        allocations=allocations,
        money_changes=money_changes,
    )
    plan.before = await parts.particulars(contract_id)
    plan.after = await _particulars_after(plan)
    if not rules.changes_between(plan.before, plan.after):
        raise RuleBroken("The variation changes nothing in the contract", field="annual_values")
    return plan


async def _particulars_after(plan: Plan) -> dict[str, Any]:
    """The particulars the approval would record, in the shape of `parts.particulars`, to compare before deciding."""
    after = dict(plan.before)
    names = await _cluster_names(plan.cluster_ids)
    after["start_on"] = plan.start_on.isoformat()
    after["end_on"] = plan.end_on.isoformat()
    after["annual_values"] = {FinancialYear(y).label: v for y, v in sorted(plan.values.items())}
    after["clusters"] = sorted(names[c] for c in plan.cluster_ids)
    kpi_names = [k["name"] for k in plan.before.get("kpis", [])]
    after["kpis"] = [
        {"name": name, **plan.kpis[position]} for position, name in zip(sorted(plan.kpis), kpi_names, strict=False)
    ]
    after["payment_timing"] = plan.timing.value
    if plan.allocations is not None:
        split: dict[str, dict[str, int]] = {}
        for a in sorted(plan.allocations, key=lambda a: (a.financial_year, names.get(a.cluster_id, ""))):
            split.setdefault(FinancialYear(a.financial_year).label, {})[names.get(a.cluster_id, "")] = a.amount_pence
        after["allocations"] = split
    return after


def _check_proposer(actor: Actor) -> None:
    if actor.role is not Role.COMMISSIONER:
        raise NotAllowed("A variation is proposed by a commissioner of the contract's PCPG")


def _holding(contract: dict[str, Any]) -> None:
    """Only a contract that still holds money can be varied: one that has ended (terminated, perhaps a moment ago
    by a request that won the contract's row lock, or expired) is a conflict with its status, as every move not in
    the status table is (409), not bad input."""
    status = rules.ContractStatus(contract["status"])
    if status not in rules.HOLDING:
        raise Conflict("A contract that has ended cannot be varied (its status: %(status)s)", status=status)


async def propose_variation(*, actor: Actor, contract_id: int, change: VariationIn, now: datetime) -> int:
    """A commissioner of the contract's PCPG proposes; the change is checked now (so the proposer hears what is
    wrong) and again when it is decided. Returns the variation's number within the contract."""
    _check_proposer(actor)
    async with operation("contract_variation.proposed", actor=actor, now=now) as op:
        contract = await managed_contract(actor, contract_id, lock=True)
        _holding(contract)
        wanted = change_fields(change)
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
    await parts.save_payments(contract_id, rules.payment_schedule(plan.values, plan.timing))
    if plan.allocations is not None:
        await parts.save_allocations(contract_id, plan.allocations)
        await finance_services.recommit_contract(
            actor=actor,
            contract_id=contract_id,
            requests=plan.requests,
            now=now,
            splits=parts.splits_of(plan.allocations),
        )


async def approve_variation(*, actor: Actor, contract_id: int, number: int, decision: DecisionIn, now: datetime) -> int:
    """Someone other than the proposer approves: the change is applied and the money re-checked, all or nothing.
    Returns the contract's new version."""
    async with operation("contract_variation.approved", actor=actor, now=now) as op:
        contract = await managed_contract(actor, contract_id, lock=True)
        variation = await _variation(contract_id, number)
        _check_decider(actor, variation)
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
                ContractVariation.decision_note: decision.note.strip(),
                ContractVariation.version_made: version,
            }
        ).where(ContractVariation.id == variation["id"])
        await parts.save_version(
            contract_id, version=version, made_at=now, made_by=actor.username, variation_id=int(variation["id"])
        )
        # what it changed as applied: another variation approved since it was proposed may have moved the contract
        await ContractVariation.update(
            {
                ContractVariation.change: {
                    "requested": stored["requested"],
                    "before": plan.before,
                    "after": await parts.particulars(contract_id),
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
