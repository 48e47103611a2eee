"""A contract's status (issue 12, item 4) and what the commissioner sets while it is mobilising (items 1 and 2).

mobilising -> live -> suspended <-> live -> terminated | expired: each move is one audited operation on the locked
contract row, refused (and nothing written) when `contracts.rules` says no. A termination releases from the ledger
the quarters after its date and later years in full, cuts the payment schedule and splits what is kept across the
clusters as before. KPI thresholds, the activity plan and an explicit split are set while mobilising; they change
the version-1 particulars in place, since they are not variations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from accounts.actor import SYSTEM, Actor
from audit.operation import operation
from contracts import rules
from contracts.queries import snapshot
from contracts.queries.scope import manage_scope, scoped
from contracts.rules import ContractMove, ContractStatus, PaymentTiming
from contracts.schemas.lifecycle import (
    AllocationSplitIn,
    ContractStatusOut,
    KpiThresholdsIn,
    LastPaymentOut,
    TerminationLineOut,
    TerminationPreviewOut,
)
from contracts.services import parts
from contracts.tables import (
    Contract,
    ContractActivity,
    ContractAllocation,
    ContractCluster,
    ContractKpi,
    ContractVersion,
    ContractYear,
)
from core.clock import london_day
from core.db import for_update
from core.errors import Conflict, DomainError, RuleBroken
from core.errors import NotFound as NotFoundError
from core.i18n import N_, gettext
from core.periods import FinancialYear
from finance import rules as finance_rules
from finance import services as finance_services
from finance.schemas import EarmarkRequest
from finance.tables import BudgetCommitment, BudgetLine
from returns.services.schedule import sync_returns


async def _contract(actor: Actor, contract_id: int, *, lock: bool) -> dict[str, Any]:
    """The contract the actor manages, locked for the operation (PostgreSQL; SQLite's writer lock serialises);
    out of scope or absent alike is not found."""
    query = scoped(Contract.select().where(Contract.id == contract_id), manage_scope(actor))
    row = await (for_update(query).first() if lock else query.first())
    if row is None:
        raise NotFoundError("No such contract")
    return row


def _refuse(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


def _status_out(row: dict[str, Any], **changes: Any) -> ContractStatusOut:
    merged = {**row, **changes}
    status = ContractStatus(merged["status"])
    return ContractStatusOut(
        id=int(merged["id"]),
        reference=merged["reference"],
        status=status.value,
        status_label=gettext(status.label),
        status_reason=merged["status_reason"],
        live_from_on=merged["live_from_on"],
        terminated_on=merged["terminated_on"],
        version=int(merged["version"]),
    )


def _reason(text: str) -> str:
    reason = text.strip()
    if not reason:
        raise RuleBroken("Give the reason", field="reason")
    return reason


async def _move(
    *,
    actor: Actor,
    contract_id: int,
    move: ContractMove,
    action: str,
    now: datetime,
    reason: str = "",
    live_from: bool = False,
) -> ContractStatusOut:
    async with operation(action, actor=actor, now=now) as op:
        row = await _contract(actor, contract_id, lock=True)
        current = ContractStatus(row["status"])
        _refuse(
            rules.lifecycle_refusal(
                move, current=current, today=london_day(now), start_on=row["start_on"], end_on=row["end_on"]
            )
        )
        changes: dict[Any, Any] = {
            Contract.status: rules.MOVE_TO[move].value,
            Contract.status_changed_at: now,
            Contract.status_reason: reason,
        }
        if live_from:
            changes[Contract.live_from_on] = london_day(now)
        await Contract.update(changes).where(Contract.id == contract_id)
        after = {"status": rules.MOVE_TO[move].value, **({"reason": reason} if reason else {})}
        op.record(
            "Contract",
            contract_id,
            before={"status": current.value},
            after=after,
            pcpg_id=row["pcpg"],
            health_board_id=row["health_board"],
        )
    return _status_out(
        row,
        status=rules.MOVE_TO[move].value,
        status_reason=reason,
        live_from_on=london_day(now) if live_from else row["live_from_on"],
    )


async def mobilise_contract(*, actor: Actor, contract_id: int, now: datetime) -> ContractStatusOut:
    """The commissioner confirms mobilisation: the service is live from today (not before the start date)."""
    return await _move(
        actor=actor,
        contract_id=contract_id,
        move=ContractMove.MOBILISE,
        action="contract.mobilised",
        now=now,
        live_from=True,
    )


async def suspend_contract(*, actor: Actor, contract_id: int, reason: str, now: datetime) -> ContractStatusOut:
    """A live contract is suspended with a reason; its money stays committed until it is resumed or ends."""
    return await _move(
        actor=actor,
        contract_id=contract_id,
        move=ContractMove.SUSPEND,
        action="contract.suspended",
        now=now,
        reason=_reason(reason),
    )


async def resume_contract(*, actor: Actor, contract_id: int, now: datetime) -> ContractStatusOut:
    return await _move(
        actor=actor, contract_id=contract_id, move=ContractMove.RESUME, action="contract.resumed", now=now
    )


@dataclass(frozen=True)
class _Termination:
    """What a termination on a date keeps: each year's value, what stays committed here (less, for a contract made
    before this service, by what was paid outside it), the payments and the split by cluster."""

    years: list[dict[str, Any]]
    retained: dict[int, int]
    committed: dict[int, int]
    payments: list[rules.Payment]
    allocations: list[rules.Allocation]


def _termination_refusal(row: dict[str, Any], terminated_on: date, now: datetime) -> DomainError | None:
    current, today = ContractStatus(row["status"]), london_day(now)
    return rules.lifecycle_refusal(
        ContractMove.TERMINATE, current=current, today=today, start_on=row["start_on"], end_on=row["end_on"]
    ) or rules.termination_refusal(
        current=current, terminated_on=terminated_on, today=today, start_on=row["start_on"], end_on=row["end_on"]
    )


async def _plan_termination(row: dict[str, Any], terminated_on: date) -> _Termination:
    years = await ContractYear.select().where(ContractYear.contract == row["id"]).order_by(ContractYear.financial_year)
    values = {int(y["financial_year"]): int(y["value_pence"]) for y in years}
    retained = rules.retained_values(values, terminated_on)
    stored = await ContractAllocation.select().where(ContractAllocation.contract == row["id"])
    allocations = rules.resplit(
        [
            rules.Allocation(
                int(a["financial_year"]),
                int(a["cluster"]),
                int(a["amount_pence"]),
                a["method"],
                a["population"],
                a["population_source"],
            )
            for a in stored
        ],
        retained,
    )
    timing, reported_from_on = PaymentTiming(row["payment_timing"]), row.get("reported_from_on")
    payments = rules.payment_schedule(values, timing, terminated_on=terminated_on, reported_from_on=reported_from_on)
    committed = rules.committed_values(values, timing, terminated_on=terminated_on, reported_from_on=reported_from_on)
    return _Termination(years, retained, committed, payments, allocations)


async def terminate_contract(
    *, actor: Actor, contract_id: int, terminated_on: date, reason: str, now: datetime
) -> ContractStatusOut:
    """Terminated from a date with a reason: the quarters kept (those starting on or before it) stay committed
    exactly as the schedule pays them, the rest is released in one recommitment, the payment schedule is cut and
    the split by cluster made again for what is kept (by its own method), so it still sums to each year's value."""
    reason = _reason(reason)
    async with operation("contract.terminated", actor=actor, now=now) as op:
        row = await _contract(actor, contract_id, lock=True)
        _refuse(_termination_refusal(row, terminated_on, now))
        plan = await _plan_termination(row, terminated_on)
        kept_splits = parts.splits_of(rules.committed_split(plan.allocations, plan.committed))
        requests = [
            EarmarkRequest(
                budget_line_id=int(y["budget_line"]),
                financial_year=int(y["financial_year"]),
                amount_pence=plan.committed[int(y["financial_year"])],
            )
            for y in plan.years
            if y["budget_line"] is not None and plan.committed.get(int(y["financial_year"]), 0) > 0
        ]
        await finance_services.recommit_contract(
            actor=actor, contract_id=contract_id, requests=requests, now=now, splits=kept_splits
        )
        await parts.save_payments(contract_id, plan.payments)
        await parts.save_allocations(contract_id, plan.allocations)
        await Contract.update(
            {
                Contract.status: ContractStatus.TERMINATED.value,
                Contract.status_changed_at: now,
                Contract.status_reason: reason,
                Contract.terminated_on: terminated_on,
            }
        ).where(Contract.id == contract_id)
        await sync_returns(actor=actor, contract_id=contract_id, now=now)
        op.record(
            "Contract",
            contract_id,
            before={"status": row["status"], "total_value_pence": int(row["total_value_pence"])},
            after={
                "status": ContractStatus.TERMINATED.value,
                "terminated_on": terminated_on,
                "reason": reason,
                "retained_value_pence": sum(plan.retained.values()),
            },
            pcpg_id=row["pcpg"],
            health_board_id=row["health_board"],
        )
    return _status_out(row, status=ContractStatus.TERMINATED.value, status_reason=reason, terminated_on=terminated_on)


async def termination_preview(
    *, actor: Actor, contract_id: int, terminated_on: date, now: datetime
) -> TerminationPreviewOut:
    """What terminating on that date would do, before it is confirmed (issue 12, item 4): per budget line and year,
    what the contract holds now, what is released and what stays; and the last payment kept. A read refuses
    nothing: whether the termination would be accepted, and why not, comes with the effect."""
    row = await _contract(actor, contract_id, lock=False)
    refusal = _termination_refusal(row, terminated_on, now)
    plan = await _plan_termination(row, terminated_on)
    held = await BudgetCommitment.select(
        BudgetCommitment.budget_line,
        BudgetCommitment.financial_year,
        BudgetCommitment.amount_pence,
    ).where((BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null())
    now_by_line: dict[tuple[int, int], int] = {}
    for h in held:
        key = (int(h["budget_line"]), int(h["financial_year"]))
        now_by_line[key] = now_by_line.get(key, 0) + int(h["amount_pence"])
    after_by_line = {
        (int(y["budget_line"]), int(y["financial_year"])): plan.committed.get(int(y["financial_year"]), 0)
        for y in plan.years
        if y["budget_line"] is not None
    }
    keys = sorted(set(now_by_line) | set(after_by_line), key=lambda k: (k[1], k[0]))
    names = {}
    if keys:
        lines = await BudgetLine.select(
            BudgetLine.id,
            BudgetLine.financial_year,
            BudgetLine.funding_stream,
            BudgetLine.pcpg.name.as_alias("pcpg_name"),
            BudgetLine.pcpg.name_cy.as_alias("pcpg_name_cy"),
        ).where(BudgetLine.id.is_in(sorted({k[0] for k in keys})))
        names = {
            line["id"]: finance_rules.budget_line_label(
                pcpg=line["pcpg_name"],
                pcpg_cy=line["pcpg_name_cy"],
                financial_year=line["financial_year"],
                funding_stream=line["funding_stream"],
            )
            for line in lines
        }
    out_lines = []
    for line_id, year in keys:
        before = now_by_line.get((line_id, year), 0)
        after = after_by_line.get((line_id, year), 0)
        out_lines.append(
            TerminationLineOut(
                budget_line_id=line_id,
                label=names.get(line_id, ""),
                financial_year=year,
                financial_year_label=FinancialYear(year).label,
                committed_now_pence=before,
                released_pence=before - after,
                committed_after_pence=after,
            )
        )
    last = plan.payments[-1] if plan.payments else None
    return TerminationPreviewOut(
        contract_id=contract_id,
        reference=row["reference"],
        terminated_on=terminated_on,
        lines=out_lines,
        committed_now_pence=sum(line.committed_now_pence for line in out_lines),
        released_pence=sum(line.released_pence for line in out_lines),
        committed_after_pence=sum(line.committed_after_pence for line in out_lines),
        last_payment=LastPaymentOut(
            financial_year=last.financial_year,
            financial_year_label=FinancialYear(last.financial_year).label,
            quarter=last.quarter,
            amount_pence=last.amount_pence,
            due_on=last.due_on,
        )
        if last
        else None,
        can_terminate=refusal is None,
        refusal=gettext(refusal.message, **refusal.params) if refusal else "",
        refusal_field=(refusal.field or "") if refusal else "",
    )


def _due(today: date) -> Any:
    return Contract.status.is_in([status.value for status in rules.HOLDING]) & (Contract.end_on < today)


async def expire_due_contracts(*, now: datetime) -> int:
    """Every contract still holding money whose term's last day has passed becomes expired, by the clock, as the
    service itself (issue 12, item 4); run at start-up, hourly and by `cdv contracts expire`. Returns how many."""
    today = london_day(now)
    if not await Contract.exists().where(_due(today)):
        return 0  # the hourly look takes no writer's lock when nothing is due
    async with operation("contract.expired", actor=SYSTEM, now=now) as op:
        due = await for_update(
            Contract.select(Contract.id, Contract.status, Contract.end_on, Contract.pcpg, Contract.health_board).where(
                _due(today)
            )
        )
        if not due:
            return 0
        await Contract.update({Contract.status: ContractStatus.EXPIRED.value, Contract.status_changed_at: now}).where(
            Contract.id.is_in([row["id"] for row in due])
        )
        for row in due:
            op.record(
                "Contract",
                row["id"],
                before={"status": row["status"]},
                after={"status": ContractStatus.EXPIRED.value, "end_on": row["end_on"]},
                pcpg_id=row["pcpg"],
                health_board_id=row["health_board"],
            )
    return len(due)


def _mobilising(row: dict[str, Any], what: str) -> None:
    if ContractStatus(row["status"]) is not ContractStatus.MOBILISING:
        raise Conflict(what, status=ContractStatus(row["status"]))


async def _refresh_snapshot(row: dict[str, Any]) -> None:
    """Mobilisation edits belong to the contract as made: its current (first) version's particulars change in
    place; a variation would make a new version instead."""
    await ContractVersion.update({ContractVersion.particulars: await snapshot.particulars(int(row["id"]))}).where(
        (ContractVersion.contract == row["id"]) & (ContractVersion.version == row["version"])
    )


async def set_kpis(*, actor: Actor, contract_id: int, data: KpiThresholdsIn, now: datetime) -> ContractStatusOut:
    """The red/amber/green thresholds of every KPI and the indicative activity plan, while mobilising (issue 12,
    item 1): thresholds are decimals, green no worse than red in the KPI's direction; the plan covers the
    contract's years, one figure per quarter."""
    async with operation("contract.kpis_set", actor=actor, now=now) as op:
        row = await _contract(actor, contract_id, lock=True)
        _mobilising(row, N_("KPI thresholds and the activity plan are set while mobilising (its status: %(status)s)"))
        kpis = {
            int(k["id"]): k
            for k in await ContractKpi.select()
            .where(ContractKpi.contract == contract_id)
            .order_by(ContractKpi.position)
        }
        given = {t.kpi_id: t for t in data.thresholds}
        if set(given) != set(kpis) or len(given) != len(data.thresholds):
            raise RuleBroken("Give both thresholds for every KPI of the contract", field="thresholds")
        decided: dict[int, tuple[str, str]] = {}
        for kpi_id, kpi in kpis.items():
            try:
                decided[kpi_id] = rules.kpi_thresholds(
                    kpi["direction"], given[kpi_id].green_from, given[kpi_id].red_from
                )
            except RuleBroken as exc:
                raise RuleBroken(
                    exc.message, field=f"thresholds.{kpi_id}.{exc.field}", kpi_id=kpi_id, **exc.params
                ) from exc
        years = {
            int(y["financial_year"])
            for y in await ContractYear.select(ContractYear.financial_year).where(ContractYear.contract == contract_id)
        }
        slots = [(a.financial_year, a.quarter) for a in data.activity]
        if len(set(slots)) != len(slots):
            raise RuleBroken("Give each quarter's activity once", field="activity")
        outside = sorted({year for year, _ in slots} - years)
        if outside:
            raise RuleBroken(
                "The contract does not run in %(year)s", field="activity", year=FinancialYear(outside[0]).label
            )
        for kpi_id, (green, red) in decided.items():
            await ContractKpi.update({ContractKpi.green_from: green, ContractKpi.red_from: red}).where(
                ContractKpi.id == kpi_id
            )
        await ContractActivity.delete().where(ContractActivity.contract == contract_id)
        if data.activity:
            await ContractActivity.insert(
                *[
                    ContractActivity(
                        contract=contract_id, financial_year=a.financial_year, quarter=a.quarter, units=a.units
                    )
                    for a in sorted(data.activity, key=lambda a: (a.financial_year, a.quarter))
                ]
            )
        await _refresh_snapshot(row)
        op.record(
            "Contract",
            contract_id,
            before={
                "thresholds": {str(i): [k["green_from"], k["red_from"]] for i, k in kpis.items()},
            },
            after={
                "thresholds": {str(i): list(pair) for i, pair in decided.items()},
                "activity_units": sum(a.units for a in data.activity),
            },
            pcpg_id=row["pcpg"],
            health_board_id=row["health_board"],
        )
    return _status_out(row)


async def set_allocations(
    *, actor: Actor, contract_id: int, data: AllocationSplitIn, now: datetime
) -> ContractStatusOut:
    """The commissioner's split by cluster, while mobilising (issue 12, item 2): pence per year and cluster, or a
    percentage per cluster for every year; refused unless it sums exactly. The commitments carry the same split."""
    if (data.amounts is None) == (data.percentages is None):
        raise RuleBroken("Give the split either in pounds or in percentages", field="split")
    async with operation("contract.allocated", actor=actor, now=now) as op:
        row = await _contract(actor, contract_id, lock=True)
        _mobilising(row, N_("The split by cluster is entered while mobilising (its status: %(status)s)"))
        years = {
            int(y["financial_year"]): int(y["value_pence"])
            for y in await ContractYear.select().where(ContractYear.contract == contract_id)
        }
        cluster_ids = [
            int(c["cluster"])
            for c in await ContractCluster.select(ContractCluster.cluster).where(
                ContractCluster.contract == contract_id
            )
        ]
        clusters = await snapshot.cluster_populations(cluster_ids)
        if not clusters:
            raise RuleBroken("The contract covers no cluster", field="split")
        if data.percentages is not None:
            percentages = {p.cluster_id: p.percent for p in data.percentages}
            if len(percentages) != len(data.percentages) or set(percentages) != set(cluster_ids):
                raise RuleBroken("Give a percentage for every cluster the contract covers", field="split")
            split = rules.split_from_percentages(years, percentages)
        else:
            split = {}
            for amount in data.amounts or []:
                by_cluster = split.setdefault(amount.financial_year, {})
                if amount.cluster_id in by_cluster:
                    raise RuleBroken("Give each cluster's amount for a year once", field="split")
                by_cluster[amount.cluster_id] = amount.amount_pence
            if set(split) - set(years):
                raise RuleBroken(
                    "The contract does not run in %(year)s",
                    field="split",
                    year=FinancialYear(sorted(set(split) - set(years))[0]).label,
                )
        allocations = rules.allocate_explicitly(years, clusters, split)  # its refusal names the sums in pounds
        before = await ContractAllocation.select(
            ContractAllocation.financial_year, ContractAllocation.cluster, ContractAllocation.amount_pence
        ).where(ContractAllocation.contract == contract_id)
        await parts.save_allocations(contract_id, allocations)
        await finance_services.split_commitments(contract_id=contract_id, splits=parts.splits_of(allocations))
        await _refresh_snapshot(row)
        op.record(
            "Contract",
            contract_id,
            before={"allocations": _split_words(before)},
            after={
                "allocations": {
                    str(y): {str(c): p for c, p in by.items()} for y, by in parts.splits_of(allocations).items()
                },
                "method": "explicit",
            },
            pcpg_id=row["pcpg"],
            health_board_id=row["health_board"],
        )
    return _status_out(row)


def _split_words(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    split: dict[str, dict[str, int]] = {}
    for r in rows:
        split.setdefault(str(r["financial_year"]), {})[str(r["cluster"])] = int(r["amount_pence"])
    return split
