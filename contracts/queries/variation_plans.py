"""Working out what a variation would leave (nothing written): the contract as it stands, checked against the
change, with the ledger requests and particulars after it. Read to propose, to preview the ledger effect and the
decision's effect on viability, and again to approve (another variation may have changed the contract between)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import msgspec

from accounts.actor import Actor
from contracts import rules
from contracts.queries import snapshot
from contracts.queries.scope import manage_scope, propose_scope, scoped
from contracts.rules import PaymentTiming
from contracts.schemas.variation import VariationIn
from contracts.tables import Contract, ContractCluster, ContractKpi, ContractYear
from core.db import for_update
from core.errors import NotFound, RuleBroken
from core.periods import FinancialYear
from finance import rules as finance_rules
from finance.schemas import EarmarkRequest
from finance.tables import BudgetLine
from organisations.tables import Cluster


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
    def committed(self) -> dict[int, int]:
        """What each year keeps committed after the change: what its payments here will pay."""
        return rules.committed_values(self.values, self.timing, reported_from_on=self.contract.get("reported_from_on"))

    @property
    def requests(self) -> list[EarmarkRequest]:
        committed = self.committed
        return [
            EarmarkRequest(budget_line_id=line, financial_year=year, amount_pence=committed[year])
            for year, line in sorted(self.lines.items())
            if line is not None and year in committed
        ]


async def managed_contract(actor: Actor, contract_id: int, *, lock: bool, proposing: bool = False) -> dict[str, Any]:
    """The contract if the actor manages it (out of scope is missing), its row locked for the change; `proposing`,
    if they may propose a variation to it (a vehicle's own contracts too)."""
    scope = propose_scope(actor) if proposing else manage_scope(actor)
    query: Any = scoped(Contract.select().where(Contract.id == contract_id), scope)
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
        populations = await snapshot.cluster_populations(cluster_ids)
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
    plan.before = await snapshot.particulars(contract_id)
    plan.after = await _particulars_after(plan)
    if not rules.changes_between(plan.before, plan.after):
        raise RuleBroken("The variation changes nothing in the contract", field="annual_values")
    return plan


async def _particulars_after(plan: Plan) -> dict[str, Any]:
    """The particulars the approval would record, in the shape of `snapshot.particulars`, to compare before deciding."""
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
