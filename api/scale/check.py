"""The invariants the finance reports rely on, checked over the whole database (the scale data and anything else in
it): what `cdv demo --scale` writes in bulk must hold them as the services would have. Each check is one SQL
statement (or the app's own ledger query); the answer is a list of problems in words, empty when all hold."""

from __future__ import annotations

from datetime import date
from typing import Any

from piccolo.querystring import QueryString

from audit.queries import verify_chain
from contracts.rules import retained_values
from core.db import engine
from finance.queries import ledgers
from finance.tables import BudgetLine

SHOWN = 5  # problems named per check; the count says how many more

CHECKS: list[tuple[str, str]] = [
    (
        "a contract year's allocations do not sum to its value",
        'SELECT y.contract AS "contract", y.financial_year AS "year", y.value_pence AS "want", SUM(a.amount_pence) '
        'AS "got" FROM contract_year y JOIN contract_allocation a ON a.contract = y.contract '
        "AND a.financial_year = y.financial_year JOIN contract k ON k.id = y.contract WHERE k.terminated_on IS NULL "
        "GROUP BY y.id, y.contract, y.financial_year, y.value_pence "
        "HAVING SUM(a.amount_pence) <> y.value_pence",
    ),
    (
        "a commitment's cluster split does not sum to the commitment",
        'SELECT c.id AS "commitment", c.amount_pence AS "want", SUM(s.amount_pence) AS "got" FROM budget_commitment c '
        "JOIN budget_commitment_cluster s ON s.budget_commitment = c.id GROUP BY c.id, c.amount_pence "
        "HAVING SUM(s.amount_pence) <> c.amount_pence",
    ),
    (
        "a contract year is committed for another amount or on another line than its value",
        'SELECT y.contract AS "contract", y.financial_year AS "year", y.value_pence AS "want", c.amount_pence AS "got" '
        "FROM contract_year y JOIN budget_commitment c ON c.contract = y.contract "
        "AND c.financial_year = y.financial_year AND c.released_at IS NULL JOIN contract k ON k.id = y.contract "
        "WHERE k.terminated_on IS NULL AND (c.amount_pence <> y.value_pence OR c.budget_line <> y.budget_line)",
    ),
    (
        "a payment is more than its quarter's scheduled amount, or has no quarter in the schedule",
        'SELECT p.id AS "payment", p.amount_pence AS "got", s.amount_pence AS "scheduled" FROM payment p '
        "LEFT JOIN contract_payment s ON s.contract = p.contract AND s.financial_year = p.financial_year "
        "AND s.quarter = p.quarter WHERE s.id IS NULL OR p.amount_pence > s.amount_pence",
    ),
    (
        "an approved payment's cluster split does not sum to the payment",
        'SELECT p.id AS "payment", p.amount_pence AS "want", COALESCE(SUM(s.amount_pence), 0) AS "got" FROM payment p '
        "LEFT JOIN payment_cluster s ON s.payment = p.id WHERE p.status = 'approved' "
        "GROUP BY p.id, p.amount_pence HAVING COALESCE(SUM(s.amount_pence), 0) <> p.amount_pence",
    ),
    (
        "an approved payment is not on its contract year's budget line",
        'SELECT p.id AS "payment", p.budget_line AS "got", y.budget_line AS "want" FROM payment p '
        "JOIN contract_year y ON y.contract = p.contract AND y.financial_year = p.financial_year "
        "WHERE p.status = 'approved' AND (p.budget_line IS NULL OR p.budget_line <> y.budget_line)",
    ),
    (
        "a payment in arrears was approved before its quarter's return was accepted",
        'SELECT p.id AS "payment", r.status AS "return_status" FROM payment p '
        "JOIN contract k ON k.id = p.contract LEFT JOIN delivery_return r ON r.contract = p.contract "
        "AND r.financial_year = p.financial_year AND r.quarter = p.quarter "
        "WHERE p.status = 'approved' AND k.payment_timing = 'in_arrears' AND (r.id IS NULL OR r.status <> 'accepted')",
    ),
]


TERMINATED = (
    'SELECT y.contract AS "contract", y.financial_year AS "year", y.value_pence AS "value", k.terminated_on AS '
    '"terminated_on", (SELECT SUM(a.amount_pence) FROM contract_allocation a WHERE a.contract = y.contract AND '
    'a.financial_year = y.financial_year) AS "allocated", (SELECT SUM(c.amount_pence) FROM budget_commitment c WHERE '
    'c.contract = y.contract AND c.financial_year = y.financial_year AND c.released_at IS NULL) AS "committed" '
    "FROM contract_year y JOIN contract k ON k.id = y.contract WHERE k.terminated_on IS NOT NULL"
)
"""A terminated contract keeps only the quarters up to its termination (contracts.rules.retained_values): its
allocations and commitments are checked against those, in Python, since the rule is one."""


async def _terminated() -> list[dict[str, Any]]:
    rows = await _rows(TERMINATED)
    years: dict[int, dict[int, int]] = {}
    for row in rows:
        years.setdefault(row["contract"], {})[row["year"]] = int(row["value"])
    wrong = []
    for row in rows:
        kept = retained_values(years[row["contract"]], _day(row["terminated_on"]))[row["year"]]
        for what in ("allocated", "committed"):
            got = int(row[what] or 0)
            if got != kept and not (what == "committed" and got == 0 and kept == 0):
                wrong.append({"contract": row["contract"], "year": row["year"], "kept": kept, what: got})
    return wrong


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await engine().run_querystring(QueryString(sql)))


def _named(what: str, rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    shown = "; ".join(", ".join(f"{k} {v}" for k, v in row.items()) for row in rows[:SHOWN])
    more = f" (and {len(rows) - SHOWN} more)" if len(rows) > SHOWN else ""
    return [f"{what}: {shown}{more}"]


async def check_invariants() -> list[str]:
    """Every check's problems; then each budget line through the app's own ledger (finance.queries.ledgers):
    budget = earmarked + committed (not yet spent) + actual + headroom to the penny, no headroom below nothing, no
    spend beyond the commitments; then the audit trail's hash chain (`cdv audit verify`)."""
    problems: list[str] = []
    for what, sql in CHECKS:
        problems += _named(what, await _rows(sql))
    problems += _named("a terminated contract's split or commitment is not what it keeps", await _terminated())
    line_ids = [row["id"] for row in await BudgetLine.select(BudgetLine.id)]
    broken = []
    for line_id, ledger in sorted((await ledgers(line_ids)).items()):
        parts = ledger.earmarked_pence + ledger.committed_unspent_pence + ledger.actual_pence + ledger.headroom_pence
        if parts != ledger.budget_pence or ledger.headroom_pence < 0 or ledger.actual_pence > ledger.committed_pence:
            broken.append(
                {
                    "line": line_id,
                    "budget": ledger.budget_pence,
                    "earmarked": ledger.earmarked_pence,
                    "committed": ledger.committed_pence,
                    "actual": ledger.actual_pence,
                    "headroom": ledger.headroom_pence,
                }
            )
    problems += _named("a budget line's ledger does not add up, is over-committed or overspent", broken)
    chain = await verify_chain()
    if not chain.intact:
        problems.append(f"the audit chain is broken at event {chain.first_bad_sequence}: {chain.problem}")
    return problems
