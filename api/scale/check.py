"""The invariants the app's data must hold, checked over the whole database (the scale data and anything else in
it): what `cdv demo --scale` writes in bulk must hold them as the services would have, and no operation cut short
(a killed process, a failed commit) may leave one broken. `cdv check` runs them for an operator. Each check is one
SQL statement (or the app's own ledger query); the answer is a list of problems in words, empty when all hold."""

from __future__ import annotations

from datetime import date
from typing import Any

from piccolo.querystring import QueryString

from audit.queries import verify_chain
from commissioning.services import bids
from contracts.rules import retained_values
from core.db import engine, is_postgres
from finance.queries import ledgers
from finance.tables import BudgetLine

SHOWN = 5  # problems named per check; the count says how many more


def _financial_year(column: str) -> str:
    """The financial year (its start, core.periods) of a date column, in SQL both databases read alike: a date's
    text is YYYY-MM-DD on both."""
    text = f"CAST({column} AS VARCHAR(10))"
    year = f"CAST(SUBSTR({text}, 1, 4) AS INTEGER)"
    return f"({year} - CASE WHEN CAST(SUBSTR({text}, 6, 2) AS INTEGER) < 4 THEN 1 ELSE 0 END)"


CHECKS: list[tuple[str, str]] = [
    (
        # Allocations may be missing altogether (a cluster without a known population waits for the commissioner's
        # explicit split: contracts.rules.is_split_missing), but those there are the whole year's value.
        "a contract year's allocations do not sum to its value",
        'SELECT y.contract AS "contract", y.financial_year AS "year", y.value_pence AS "want", SUM(a.amount_pence) '
        'AS "got" FROM contract_year y JOIN contract_allocation a ON a.contract = y.contract '
        "AND a.financial_year = y.financial_year JOIN contract k ON k.id = y.contract WHERE k.terminated_on IS NULL "
        "GROUP BY y.id, y.contract, y.financial_year, y.value_pence "
        "HAVING SUM(a.amount_pence) <> y.value_pence",
    ),
    (
        # Making or varying a contract writes its years in the same operation as the contract: a contract without a
        # year of its term was cut short, and its money is missing from every ledger.
        "a contract has not one year for each financial year of its term",
        'SELECT k.id AS "contract", k.start_on AS "start_on", k.end_on AS "end_on", COUNT(y.id) AS "years" '
        "FROM contract k LEFT JOIN contract_year y ON y.contract = k.id "
        "GROUP BY k.id, k.start_on, k.end_on HAVING COUNT(y.id) <> COUNT(DISTINCT y.financial_year) "
        f"OR COUNT(y.id) <> {_financial_year('k.end_on')} - {_financial_year('k.start_on')} + 1 "
        f"OR MIN(y.financial_year) <> {_financial_year('k.start_on')} "
        f"OR MAX(y.financial_year) <> {_financial_year('k.end_on')}",
    ),
    (
        "a contract year on a budget line has no commitment on it",
        'SELECT y.contract AS "contract", y.financial_year AS "year", y.value_pence AS "value" FROM contract_year y '
        "JOIN contract k ON k.id = y.contract WHERE k.terminated_on IS NULL AND y.budget_line IS NOT NULL "
        "AND y.value_pence > 0 AND NOT EXISTS (SELECT 1 FROM budget_commitment c WHERE c.contract = y.contract "
        "AND c.financial_year = y.financial_year AND c.released_at IS NULL)",
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
    (
        # A bid is submitted in the same operation that stores its prices and answers (commissioning.services.bids):
        # one without them was cut short, and its panel would score an empty bid.
        "a submitted bid has no price for a year of its specification",
        'SELECT b.public_id AS "bid", s.financial_year AS "year" FROM bid b JOIN specification_year s '
        "ON s.specification = b.specification WHERE b.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM bid_price p "
        "WHERE p.bid = b.id AND p.financial_year = s.financial_year)",
    ),
    (
        "a submitted bid has no answer to a criterion of its specification",
        'SELECT b.public_id AS "bid", c.position AS "criterion" FROM bid b JOIN evaluation_criterion c '
        "ON c.specification = b.specification WHERE b.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM bid_answer a "
        "WHERE a.bid = b.id AND a.criterion_position = c.position)",
    ),
    (
        # Submitting or correcting a return saves the figures as they stood under its new version number in the same
        # operation (returns.services): without it the return's history has a hole.
        "a delivery return's versions are not each saved once, up to its current one",
        'SELECT r.id AS "delivery_return", r.version AS "version", COUNT(v.id) AS "saved" FROM delivery_return r '
        "LEFT JOIN return_version v ON v.delivery_return = r.id GROUP BY r.id, r.version "
        "HAVING COUNT(v.id) <> r.version OR COUNT(DISTINCT v.version) <> r.version "
        "OR (r.version > 0 AND MAX(v.version) <> r.version)",
    ),
]


SUBJECTS = {
    "Award": ("award", "id"),
    "Bid": ("bid", "public_id"),
    "BidAttachment": ("bid_attachment", "id"),
    "BudgetEarmark": ("budget_earmark", "id"),
    "BudgetLine": ("budget_line", "id"),
    "Clarification": ("clarification", "id"),
    "Cluster": ("cluster", "id"),
    "Contract": ("contract", "id"),
    "DeliveryVehicle": ("delivery_vehicle", "id"),
    "Engagement": ("engagement", "id"),
    "HealthBoard": ("health_board", "id"),
    "LocalAuthority": ("local_authority", "id"),
    "MaturityAssessment": ("maturity_assessment", "id"),
    "MaturityDomain": ("maturity_domain", "id"),
    "MenuService": ("menu_service", "id"),
    "Need": ("need", "id"),
    "Pcpg": ("pcpg", "id"),
    "Plan": ("plan", "id"),
    "PlanPriority": ("plan_priority", "id"),
    "RegionalPartnershipBoard": ("regional_partnership_board", "id"),
    "Specification": ("specification", "id"),
    "User": ("app_user", "id"),
}
"""Audit subjects that are rows of a table no operation deletes: an event names one that is missing only if the
operation that wrote the event did not also write its row, which one transaction rules out. Subjects that are deleted
in the ordinary way (a panel member removed, an export job swept, a sign-in ended) are not checked."""


def _missing_subjects() -> str:
    """Each audit event whose subject's row is gone, in one statement. The match is on the id's text, as the trail
    keeps it; on SQLite the id is also cast to a number so the table's primary key finds it."""
    parts = []
    for kind, (table, column) in SUBJECTS.items():
        if column == "id" and not is_postgres():
            match = "t.id = CAST(e.entity_id AS INTEGER) AND CAST(t.id AS VARCHAR(20)) = e.entity_id"
        else:
            match = f"CAST(t.{column} AS VARCHAR(60)) = e.entity_id"
        parts.append(
            f'SELECT e.sequence AS "event", e.entity_type AS "subject", e.entity_id AS "id" FROM audit_event e '
            f"WHERE e.entity_type = '{kind}' AND NOT EXISTS (SELECT 1 FROM \"{table}\" t WHERE {match})"
        )
    return " UNION ALL ".join(parts) + ' ORDER BY "event"'


async def _attachments_without_file() -> list[dict[str, Any]]:
    """Each bid attachment whose stored file is missing or not the size uploaded: the row is written only after the
    file (commissioning.services.bids.add_attachment), so a row must never outlive or outrun its file."""
    wrong = []
    for row in await _rows('SELECT DISTINCT sha256 AS "sha256", size_bytes AS "size" FROM bid_attachment'):
        path = bids.ATTACHMENT_DIR / row["sha256"]
        size = path.stat().st_size if path.is_file() else None
        if size != int(row["size"]):
            wrong.append({"file": row["sha256"], "size": row["size"], "on_disk": size})
    return wrong


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
    """Every check's problems; every audit event's subject there; every bid attachment's file whole; then each budget
    line through the app's own ledger (finance.queries.ledgers): budget = earmarked + committed (not yet spent) +
    actual + headroom to the penny, no headroom below nothing, no spend beyond the commitments; then the audit trail's
    hash chain (`cdv audit verify`)."""
    problems: list[str] = []
    for what, sql in CHECKS:
        problems += _named(what, await _rows(sql))
    problems += _named("a terminated contract's split or commitment is not what it keeps", await _terminated())
    problems += _named("an audit event's subject does not exist", await _rows(_missing_subjects()))
    problems += _named("a bid attachment's file is missing or cut short", await _attachments_without_file())
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
