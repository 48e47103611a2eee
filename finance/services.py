"""Write operations on budget lines: set them, and earmark or release money against them.

The over-commit rule holds under concurrency: lines are locked (PostgreSQL) or writers serialised
(SQLite IMMEDIATE) before the ledger is read, in one transaction with the earmarks (STYLE.md §2).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from accounts.actor import Actor
from audit.operation import operation
from core.db import for_update, serialise
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from core.money import format_pounds
from core.periods import FinancialYear
from finance import queries, rules
from finance.schemas import BudgetLineChangeIn, BudgetLineIn, BudgetLineOut, EarmarkRequest
from finance.tables import BudgetCommitment, BudgetCommitmentCluster, BudgetEarmark, BudgetLine
from organisations.tables import Pcpg

_CREATE_LOCK_KEY = 7_245_101


async def create_budget_line(*, actor: Actor, data: BudgetLineIn, now: datetime) -> BudgetLineOut:
    async with operation("budget_line.created", actor=actor, now=now) as op:
        # Creates wait for each other, so a concurrent create of the same line sees it: a 409, not a unique-index
        # error (an advisory lock: a row lock on the PCPG would also hold up every insert referring to it).
        await serialise(_CREATE_LOCK_KEY)
        pcpg = await Pcpg.select(Pcpg.id, Pcpg.health_board).where(Pcpg.id == data.pcpg_id).first()
        if pcpg is None:
            raise RuleBroken("Select a PCPG", field="pcpg_id")
        if not rules.can_change_budget(actor, pcpg["health_board"]):
            raise NotAllowed("You can set budget lines only for your own health board")
        if await BudgetLine.exists().where(
            (BudgetLine.pcpg == data.pcpg_id)
            & (BudgetLine.financial_year == data.financial_year)
            & (BudgetLine.funding_stream == data.funding_stream)
        ):
            raise Conflict(
                "This PCPG already has a budget line for that funding stream in %(year)s; change its amount instead",
                field="funding_stream",
                year=FinancialYear(data.financial_year).label,
            )
        line = BudgetLine(
            health_board=pcpg["health_board"],
            pcpg=data.pcpg_id,
            financial_year=data.financial_year,
            funding_stream=data.funding_stream,
            amount_pence=data.amount_pence,
            note=data.note.strip(),
            updated_at=now,
            updated_by_username=actor.username,
        )
        await line.save()
        op.record(
            "BudgetLine",
            line.id,
            after={
                "pcpg_id": data.pcpg_id,
                "financial_year": data.financial_year,
                "funding_stream": data.funding_stream,
                "amount_pence": data.amount_pence,
            },
            pcpg_id=data.pcpg_id,
            health_board_id=pcpg["health_board"],
        )
    return await queries.get_budget_line(actor=actor, budget_line_id=line.id)


async def change_budget_line(
    *, actor: Actor, budget_line_id: int, data: BudgetLineChangeIn, now: datetime
) -> BudgetLineOut:
    async with operation("budget_line.changed", actor=actor, now=now) as op:
        row = await for_update(BudgetLine.select().where(BudgetLine.id == budget_line_id)).first()
        if row is None or not rules.can_change_budget(actor, row["health_board"]):
            raise NotFound("No such budget line")
        ledger = (await queries.ledgers([budget_line_id]))[budget_line_id]
        floor = rules.smallest_budget(ledger)
        if data.amount_pence < floor:
            raise Conflict(
                "The budget cannot be less than the %(amount)s already earmarked, committed or spent",
                field="amount_pence",
                amount=format_pounds(floor),
            )
        await BudgetLine.update(
            {
                BudgetLine.amount_pence: data.amount_pence,
                BudgetLine.note: data.note.strip(),
                BudgetLine.updated_at: now,
                BudgetLine.updated_by_username: actor.username,
            }
        ).where(BudgetLine.id == budget_line_id)
        op.record(
            "BudgetLine",
            budget_line_id,
            before={"amount_pence": int(row["amount_pence"])},
            after={"amount_pence": data.amount_pence, "note": data.note.strip()},
            pcpg_id=row["pcpg"],
            health_board_id=row["health_board"],
        )
    return await queries.get_budget_line(actor=actor, budget_line_id=budget_line_id)


def line_label(row: dict) -> str:
    return rules.budget_line_label(
        pcpg=row["pcpg_name"],
        pcpg_cy=row.get("pcpg_name_cy", ""),
        financial_year=row["financial_year"],
        funding_stream=row["funding_stream"],
    )


def _wanted(requests: list[EarmarkRequest]) -> tuple[dict[int, int], dict[int, int]]:
    """The total asked of each line, and the year each line is asked for."""
    wanted: dict[int, int] = {}
    years: dict[int, int] = {}
    for request in requests:
        wanted[request.budget_line_id] = wanted.get(request.budget_line_id, 0) + request.amount_pence
        years[request.budget_line_id] = request.financial_year
    return wanted, years


async def _locked_lines_with_headroom(
    wanted: dict[int, int], years: dict[int, int], *, field: str
) -> tuple[dict[int, dict], dict[int, rules.Ledger]]:
    """Lock every line (one order for everyone, so two writers cannot deadlock), then refuse the whole request
    if any line is for another year or would go past its budget (finance.rules.shortfall)."""
    rows: dict[int, dict] = {}
    for line_id in sorted(wanted):
        row = await for_update(BudgetLine.select().where(BudgetLine.id == line_id)).first()
        if row is None:
            raise NotFound("No such budget line")
        pcpg = await Pcpg.select(Pcpg.name, Pcpg.name_cy).where(Pcpg.id == row["pcpg"]).first()
        row["pcpg_name"] = pcpg["name"] if pcpg else ""
        row["pcpg_name_cy"] = pcpg["name_cy"] if pcpg else ""
        if row["financial_year"] != years[line_id]:
            raise RuleBroken(
                "The budget line %(line)s is for %(line_year)s, not %(year)s",
                field=field,
                line=line_label(row),
                line_year=FinancialYear(row["financial_year"]).label,
                year=FinancialYear(years[line_id]).label,
            )
        rows[line_id] = row
    found = await queries.ledgers(sorted(wanted))
    for line_id, row in rows.items():
        missing = rules.shortfall(found[line_id], wanted[line_id])
        if missing:
            raise Conflict(
                "The budget line %(line)s has not enough headroom for %(year)s: %(shortfall)s short",
                field=field,
                line=line_label(row),
                year=FinancialYear(row["financial_year"]).label,
                shortfall=format_pounds(missing),
                budget_line_id=line_id,
                financial_year=row["financial_year"],
                shortfall_pence=missing,
            )
    return rows, found


async def earmark_budget(
    *, actor: Actor, specification_id: int, requests: list[EarmarkRequest], now: datetime
) -> list[int]:
    """Hold each year's amount on its line; all or nothing. Returns the lines now at 90 % or more."""
    wanted, years = _wanted(requests)
    async with operation("budget.earmarked", actor=actor, now=now) as op:
        rows, found = await _locked_lines_with_headroom(wanted, years, field="years")
        warnings = [line_id for line_id in rows if rules.crosses_warning(found[line_id], wanted[line_id])]
        await BudgetEarmark.insert(
            *[
                BudgetEarmark(
                    budget_line=request.budget_line_id,
                    specification=specification_id,
                    financial_year=request.financial_year,
                    amount_pence=request.amount_pence,
                    created_at=now,
                )
                for request in requests
            ]
        )
        for line_id, row in rows.items():
            op.record(
                "BudgetLine",
                line_id,
                before={"earmarked_pence": found[line_id].earmarked_pence},
                after={
                    "earmarked_pence": found[line_id].earmarked_pence + wanted[line_id],
                    "specification_id": specification_id,
                },
                pcpg_id=row["pcpg"],
                health_board_id=row["health_board"],
            )
    return warnings


async def release_earmarks(*, actor: Actor, specification_id: int, now: datetime) -> int:
    """Give a specification's held money back to its lines (cancelled, or replaced by a contract's commitment)."""
    async with operation("budget.released", actor=actor, now=now) as op:
        held = await BudgetEarmark.select().where(
            (BudgetEarmark.specification == specification_id) & BudgetEarmark.released_at.is_null()
        )
        if held:
            await BudgetEarmark.update({BudgetEarmark.released_at: now}).where(
                (BudgetEarmark.specification == specification_id) & BudgetEarmark.released_at.is_null()
            )
            for row in held:
                op.record(
                    "BudgetEarmark",
                    row["id"],
                    before={"amount_pence": int(row["amount_pence"]), "held": True},
                    after={"held": False, "specification_id": specification_id},
                )
        return sum(int(row["amount_pence"]) for row in held)


ClusterSplit = Mapping[int, Mapping[int, int]]
"""A contract's values by financial year and cluster id, in pence: each year's parts sum to that year's value."""


async def commit_budget(
    *,
    actor: Actor,
    contract_id: int,
    requests: list[EarmarkRequest],
    now: datetime,
    splits: ClusterSplit | None = None,
) -> None:
    """Commit a contract's annual values on their lines (after its specification's earmarks are released), all or
    nothing, refusing to go past any line's budget; each commitment carries its cluster split where one is known,
    so spend by cluster is reported without recomputing (issue 12, item 3)."""
    wanted, years = _wanted(requests)
    async with operation("budget.committed", actor=actor, now=now) as op:
        rows, found = await _locked_lines_with_headroom(wanted, years, field="values")
        for r in requests:
            commitment = BudgetCommitment(
                budget_line=r.budget_line_id,
                contract=contract_id,
                financial_year=r.financial_year,
                amount_pence=r.amount_pence,
                created_at=now,
            )
            await commitment.save()
            await _save_split(int(commitment.id), (splits or {}).get(r.financial_year))
        for line_id, row in rows.items():
            op.record(
                "BudgetLine",
                line_id,
                before={"committed_pence": found[line_id].committed_pence},
                after={"committed_pence": found[line_id].committed_pence + wanted[line_id], "contract_id": contract_id},
                pcpg_id=row["pcpg"],
                health_board_id=row["health_board"],
            )


async def _save_split(commitment_id: int, split: Mapping[int, int] | None) -> None:
    if split:
        await BudgetCommitmentCluster.insert(
            *[
                BudgetCommitmentCluster(budget_commitment=commitment_id, cluster=cluster_id, amount_pence=amount)
                for cluster_id, amount in sorted(split.items())
            ]
        )


async def recommit_contract(
    *,
    actor: Actor,
    contract_id: int,
    requests: list[EarmarkRequest],
    now: datetime,
    splits: ClusterSplit | None = None,
) -> None:
    """Replace a contract's commitments (a variation, a termination): the old ones are released first, inside the
    same transaction, so the headroom check counts the contract once; refused whole if any line would go past
    its budget (409 naming the line, the year and the shortfall), and then nothing is released either."""
    async with operation("budget.recommitted", actor=actor, now=now) as op:
        held = await BudgetCommitment.select().where(
            (BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null()
        )
        if held:
            await BudgetCommitment.update({BudgetCommitment.released_at: now}).where(
                (BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null()
            )
            op.record(
                "Contract",
                contract_id,
                before={"amount_pence": sum(int(row["amount_pence"]) for row in held), "held": True},
                after={"held": False},
            )
        if requests:
            await commit_budget(actor=actor, contract_id=contract_id, requests=requests, now=now, splits=splits)


async def split_commitments(*, contract_id: int, splits: ClusterSplit) -> None:
    """Give a contract's held commitments their cluster split (entered after the contract was made, where a
    cluster's population was not known); part of the caller's operation."""
    held = await BudgetCommitment.select(BudgetCommitment.id, BudgetCommitment.financial_year).where(
        (BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null()
    )
    ids = [row["id"] for row in held]
    if ids:
        await BudgetCommitmentCluster.delete().where(BudgetCommitmentCluster.budget_commitment.is_in(ids))
    for row in held:
        await _save_split(row["id"], splits.get(row["financial_year"]))
