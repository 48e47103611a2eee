"""Reads of budget lines and the ledger, scoped: finance directors their health board, commissioners their PCPGs."""

from __future__ import annotations

from typing import Any

from accounts.actor import Actor, Role
from core.errors import NotAllowed, NotFound
from core.pagination import Page, check_window
from core.periods import FinancialYear
from finance import rules
from finance.schemas import BudgetLineOut, LedgerOut
from finance.tables import BudgetCommitment, BudgetEarmark, BudgetLine


async def ledgers(line_ids: list[int]) -> dict[int, rules.Ledger]:
    """Computed from the rows each time (inside a transaction where it matters, after locking the lines)."""
    if not line_ids:
        return {}
    budgets = {
        row["id"]: int(row["amount_pence"])
        for row in await BudgetLine.select(BudgetLine.id, BudgetLine.amount_pence).where(BudgetLine.id.is_in(line_ids))
    }
    earmarked: dict[int, int] = {}
    for row in await BudgetEarmark.select(BudgetEarmark.budget_line, BudgetEarmark.amount_pence).where(
        BudgetEarmark.budget_line.is_in(line_ids) & BudgetEarmark.released_at.is_null()
    ):
        earmarked[row["budget_line"]] = earmarked.get(row["budget_line"], 0) + int(row["amount_pence"])
    committed: dict[int, int] = {}
    for row in await BudgetCommitment.select(BudgetCommitment.budget_line, BudgetCommitment.amount_pence).where(
        BudgetCommitment.budget_line.is_in(line_ids) & BudgetCommitment.released_at.is_null()
    ):
        committed[row["budget_line"]] = committed.get(row["budget_line"], 0) + int(row["amount_pence"])
    return {
        line_id: rules.Ledger(
            budget_pence=budget,
            earmarked_pence=earmarked.get(line_id, 0),
            committed_pence=committed.get(line_id, 0),
            actual_pence=0,
        )
        for line_id, budget in budgets.items()
    }


def ledger_out(line_id: int, ledger: rules.Ledger) -> LedgerOut:
    return LedgerOut(
        budget_line_id=line_id,
        budget_pence=ledger.budget_pence,
        earmarked_pence=ledger.earmarked_pence,
        committed_pence=ledger.committed_pence,
        actual_pence=ledger.actual_pence,
        headroom_pence=ledger.headroom_pence,
        used_percent=ledger.used_percent,
        warning=ledger.used_percent >= rules.WARNING_SHARE_PERCENT,
    )


def scope_condition(actor: Actor) -> Any:
    """The lines an actor may read; None for all of them."""
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    if actor.role is Role.FINANCE_DIRECTOR:
        return BudgetLine.health_board == (actor.health_board_id or -1)
    if actor.role is Role.COMMISSIONER:
        return BudgetLine.pcpg.is_in(list(actor.pcpg_ids) or [-1])
    raise NotAllowed()


def can_change_budget(actor: Actor, health_board_id: int) -> bool:
    """Finance directors set their own health board's lines; national administrators any."""
    if actor.role is Role.NATIONAL_ADMIN:
        return True
    return actor.role is Role.FINANCE_DIRECTOR and actor.health_board_id == health_board_id


def _out(row: dict[str, Any], ledger: rules.Ledger) -> BudgetLineOut:
    return BudgetLineOut(
        id=row["id"],
        health_board_id=row["health_board"],
        health_board=row["health_board_name"],
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_name"],
        pcpg_cy=row["pcpg_name_cy"],
        financial_year=row["financial_year"],
        financial_year_label=FinancialYear(row["financial_year"]).label,
        funding_stream=row["funding_stream"],
        amount_pence=int(row["amount_pence"]),
        note=row["note"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by_username"],
        ledger=ledger_out(row["id"], ledger),
    )


def _select() -> Any:
    return BudgetLine.select(
        *BudgetLine.all_columns(),
        BudgetLine.health_board.name.as_alias("health_board_name"),
        BudgetLine.pcpg.name.as_alias("pcpg_name"),
        BudgetLine.pcpg.name_cy.as_alias("pcpg_name_cy"),
    )


async def list_budget_lines(
    *,
    actor: Actor,
    pcpg_id: int | None = None,
    financial_year: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[BudgetLineOut]:
    check_window(limit, offset)
    conditions = [c for c in (scope_condition(actor),) if c is not None]
    if pcpg_id is not None:
        conditions.append(BudgetLine.pcpg == pcpg_id)
    if financial_year is not None:
        conditions.append(BudgetLine.financial_year == financial_year)
    query = (
        _select().order_by(BudgetLine.financial_year).order_by(BudgetLine.pcpg.name).order_by(BudgetLine.funding_stream)
    )
    count = BudgetLine.count()
    for condition in conditions:
        query, count = query.where(condition), count.where(condition)
    rows = await query.limit(limit).offset(offset)
    found = await ledgers([row["id"] for row in rows])
    return Page(items=[_out(row, found[row["id"]]) for row in rows], total=await count, limit=limit, offset=offset)


async def get_budget_line(*, actor: Actor, budget_line_id: int) -> BudgetLineOut:
    query = _select().where(BudgetLine.id == budget_line_id)
    condition = scope_condition(actor)
    if condition is not None:
        query = query.where(condition)
    row = await query.first()
    if row is None:
        raise NotFound("No such budget line")
    return _out(row, (await ledgers([budget_line_id]))[budget_line_id])


async def lines_for_pcpg(pcpg_id: int, financial_years: list[int]) -> list[BudgetLineOut]:
    """Every line a specification of this PCPG may draw on (not scoped: used after the spec's own scope check)."""
    rows = await _select().where(
        (BudgetLine.pcpg == pcpg_id) & BudgetLine.financial_year.is_in(financial_years or [-1])
    )
    found = await ledgers([row["id"] for row in rows])
    return [_out(row, found[row["id"]]) for row in rows]
