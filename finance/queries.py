"""Reads of budget lines and the ledger, scoped: finance directors their health board, commissioners their PCPGs.

The ledger is one SQL aggregate read with the lines themselves: what is held against each line is summed by the
database, never fetched row by row.
"""

from __future__ import annotations

from typing import Any

from piccolo.querystring import QueryString

from accounts.actor import Actor, Role
from core.db import engine
from core.errors import NotAllowed, NotFound
from core.i18n import N_, gettext, in_reading_language, order_in_reading_language
from core.pagination import Page, check_window
from core.periods import FinancialYear
from core.prepared import PreparedSelect
from finance import rules
from finance.budget_file import TemplateLine
from finance.schemas import (
    BudgetLineOut,
    BudgetTotals,
    BudgetYearSummary,
    LedgerFilterIn,
    LedgerLineOut,
    LedgerOut,
    LedgerPcpgChoice,
    LedgerReportOut,
    LedgerYearTotalOut,
)
from finance.tables import BudgetCommitment, BudgetEarmark, BudgetLine
from organisations.tables import Pcpg
from returns.rules import PaymentStatus
from returns.tables import Payment

_LINE = BudgetLine._meta.tablename


def _held(table: Any) -> QueryString:
    """What is still held on the line by one kind of row (earmarks or commitments): released rows no longer count."""
    name = table._meta.tablename
    return QueryString(
        f'COALESCE((SELECT SUM("held"."amount_pence") FROM "{name}" AS "held" '
        f'WHERE "held"."budget_line" = "{_LINE}"."id" AND "held"."released_at" IS NULL), 0)'
    )


def _actual() -> QueryString:
    """Actual spend: the payments approved on the line. Payments live in returns/ (returns/tables.py `Payment`, one
    decision per contract quarter), beside the delivery returns they pay for; withheld or released ones are not
    spent."""
    name = Payment._meta.tablename
    return QueryString(
        f'COALESCE((SELECT SUM("paid"."amount_pence") FROM "{name}" AS "paid" '
        f'WHERE "paid"."budget_line" = "{_LINE}"."id" AND "paid"."status" = \'{PaymentStatus.APPROVED.value}\'), 0)'
    )


def _updated_by_name() -> QueryString:
    """Who last changed the line, by full name (the line keeps their username), in the same statement."""
    return QueryString(
        f'COALESCE((SELECT "person"."full_name" FROM "app_user" AS "person" '
        f'WHERE "person"."username" = "{_LINE}"."updated_by_username"), "{_LINE}"."updated_by_username")'
    )


def ledger_columns() -> list[Any]:
    return [
        _held(BudgetEarmark).as_alias("earmarked_pence"),
        _held(BudgetCommitment).as_alias("committed_pence"),
        _actual().as_alias("actual_pence"),
    ]


def _ledger(row: dict[str, Any]) -> rules.Ledger:
    return rules.Ledger(
        budget_pence=int(row["amount_pence"]),
        earmarked_pence=int(row["earmarked_pence"] or 0),
        committed_pence=int(row["committed_pence"] or 0),
        actual_pence=int(row["actual_pence"] or 0),
    )


async def ledgers(line_ids: list[int]) -> dict[int, rules.Ledger]:
    """Computed from the rows each time, in one read (in a transaction where it matters, after locking the lines)."""
    if not line_ids:
        return {}
    rows = await BudgetLine.select(BudgetLine.id, BudgetLine.amount_pence, *ledger_columns()).where(
        BudgetLine.id.is_in(line_ids)
    )
    return {row["id"]: _ledger(row) for row in rows}


def ledger_out(line_id: int, ledger: rules.Ledger) -> LedgerOut:
    used_percent = ledger.used_percent  # a property worked out from the others: once a line, not twice
    return LedgerOut(
        budget_line_id=line_id,
        budget_pence=ledger.budget_pence,
        earmarked_pence=ledger.earmarked_pence,
        committed_pence=ledger.committed_pence,
        actual_pence=ledger.actual_pence,
        headroom_pence=ledger.headroom_pence,
        used_percent=used_percent,
        warning=used_percent >= rules.WARNING_SHARE_PERCENT,
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


def pcpg_scope_condition(actor: Actor) -> Any:
    """The PCPGs whose lines an actor may read (scope_condition's twin, for naming and listing places); None for
    all of them."""
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    if actor.role is Role.FINANCE_DIRECTOR:
        return Pcpg.health_board == (actor.health_board_id or -1)
    if actor.role is Role.COMMISSIONER:
        return Pcpg.id.is_in(list(actor.pcpg_ids) or [-1])
    raise NotAllowed()


def _out(row: dict[str, Any], actor: Actor | None) -> BudgetLineOut:
    return BudgetLineOut(
        id=row["id"],
        health_board_id=row["health_board"],
        health_board=row["health_board_name"],
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_name"],
        pcpg_cy=row["pcpg_name_cy"],
        pcpg_shown=row["pcpg_shown"],
        health_board_shown=row["health_board_shown"],
        financial_year=row["financial_year"],
        financial_year_label=FinancialYear(row["financial_year"]).label,
        funding_stream=row["funding_stream"],
        amount_pence=int(row["amount_pence"]),
        note=row["note"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by_username"],
        updated_by_name=row["updated_by_name"],
        ledger=ledger_out(row["id"], _ledger(row)),
        funding_stream_label=rules.FUNDING_STREAMS.get(row["funding_stream"], row["funding_stream"]),
        can_change=rules.can_change_budget(actor, row["health_board"]),
        label=rules.budget_line_label(
            pcpg=row["pcpg_shown"],
            financial_year=row["financial_year"],
            funding_stream=row["funding_stream"],
        ),
    )


def _select() -> Any:
    return BudgetLine.select(
        *BudgetLine.all_columns(),
        BudgetLine.health_board.name.as_alias("health_board_name"),
        BudgetLine.pcpg.name.as_alias("pcpg_name"),
        BudgetLine.pcpg.name_cy.as_alias("pcpg_name_cy"),
        in_reading_language(BudgetLine.pcpg.name, BudgetLine.pcpg.name_cy, alias="pcpg_shown"),
        in_reading_language(BudgetLine.health_board.name, BudgetLine.health_board.name_cy, alias="health_board_shown"),
        _updated_by_name().as_alias("updated_by_name"),
        *ledger_columns(),
    )


LINES = PreparedSelect(
    _select,
    lambda query: (
        query.order_by(BudgetLine.financial_year)
        .order_by(order_in_reading_language(BudgetLine.pcpg.name, BudgetLine.pcpg.name_cy))
        .order_by(BudgetLine.funding_stream)
        .order_by(BudgetLine.id)
    ),
)
"""Lines with their ledger, by year, PCPG, stream; the columns, joins and order compiled once (core/prepared.py)."""


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
    rows = await LINES.rows(*conditions, limit=limit, offset=offset)
    count = BudgetLine.count()
    for condition in conditions:
        count = count.where(condition)
    return Page(items=[_out(row, actor) for row in rows], total=await count, limit=limit, offset=offset)


async def get_budget_line(*, actor: Actor, budget_line_id: int) -> BudgetLineOut:
    found = await LINES.rows(BudgetLine.id == budget_line_id, scope_condition(actor), limit=1)
    if not found:
        raise NotFound("No such budget line")
    return _out(found[0], actor)


async def lines_for_pcpg(pcpg_id: int, financial_years: list[int]) -> list[BudgetLineOut]:
    """Every line a specification of this PCPG may draw on (not scoped: used after the spec's own scope check)."""
    rows = await LINES.rows(BudgetLine.pcpg == pcpg_id, BudgetLine.financial_year.is_in(financial_years or [-1]))
    return [_out(row, None) for row in rows]


def budget_totals(years: list[BudgetYearSummary]) -> BudgetTotals:
    """The totals row of the dashboard's table: the few yearly aggregates the database made, added."""
    return BudgetTotals(
        budget_pence=sum(y.budget_pence for y in years),
        earmarked_pence=sum(y.earmarked_pence for y in years),
        committed_unspent_pence=sum(y.committed_unspent_pence for y in years),
        actual_pence=sum(y.actual_pence for y in years),
        headroom_pence=sum(y.headroom_pence for y in years),
    )


async def budget_years(*, actor: Actor, financial_years: list[int]) -> list[BudgetYearSummary]:
    """Each year's budget, earmarks, headroom and lines at the warning share, over every line the actor may see:
    one SQL aggregate, however many lines there are (the dashboard)."""
    years = list(financial_years)
    found = await _year_sums([scope_condition(actor), BudgetLine.financial_year.is_in(years or [-1])])
    return [
        BudgetYearSummary(
            financial_year=year,
            financial_year_label=FinancialYear(year).label,
            budget_pence=int(found[year]["budget_pence"]) if year in found else 0,
            earmarked_pence=int(found[year]["earmarked_pence"]) if year in found else 0,
            headroom_pence=int(found[year]["headroom_pence"]) if year in found else 0,
            warnings=int(found[year]["warnings"] or 0) if year in found else 0,
            committed_unspent_pence=int(found[year]["committed_unspent_pence"]) if year in found else 0,
            actual_pence=int(found[year]["actual_pence"]) if year in found else 0,
        )
        for year in years
    ]


async def _year_sums(conditions: list[Any]) -> dict[int, dict[str, Any]]:
    """Per financial year, over the lines meeting every condition (None is skipped): how many, and their budget,
    earmarked, committed not yet spent, actual and headroom summed, and how many are at the warning share. One SQL
    aggregate, with finance.rules.Ledger's arithmetic written in SQL (tests/unit/finance compares the two)."""
    inner = BudgetLine.select(BudgetLine.financial_year, BudgetLine.amount_pence, *ledger_columns())
    for condition in conditions:
        if condition is not None:
            inner = inner.where(condition)
    # used = earmarked + the larger of committed and actual (finance.rules.Ledger); headroom = budget - used.
    used = (
        '("line"."earmarked_pence" + CASE WHEN "line"."committed_pence" > "line"."actual_pence" '
        'THEN "line"."committed_pence" ELSE "line"."actual_pence" END)'
    )
    share = rules.WARNING_SHARE_PERCENT
    summary = QueryString(
        'SELECT "line"."financial_year" AS "financial_year", COUNT(*) AS "lines", '
        'COALESCE(SUM("line"."amount_pence"), 0) AS "budget_pence", '
        'COALESCE(SUM("line"."earmarked_pence"), 0) AS "earmarked_pence", '
        f'COALESCE(SUM("line"."amount_pence" - {used}), 0) AS "headroom_pence", '
        'COALESCE(SUM(CASE WHEN "line"."committed_pence" > "line"."actual_pence" '
        'THEN "line"."committed_pence" - "line"."actual_pence" ELSE 0 END), 0) AS "committed_unspent_pence", '
        'COALESCE(SUM("line"."actual_pence"), 0) AS "actual_pence", '
        # finance.rules.is_warning, counted by the database
        f'SUM(CASE WHEN ("line"."amount_pence" > 0 AND {used} * 100 >= {share} * "line"."amount_pence") '
        f'OR ("line"."amount_pence" <= 0 AND {used} > 0) THEN 1 ELSE 0 END) AS "warnings" '
        'FROM ({}) AS "line" GROUP BY "line"."financial_year" ORDER BY "line"."financial_year"',
        inner.querystrings[0],
    )
    return {row["financial_year"]: row for row in await engine().run_querystring(summary)}


# The finance director's ledger (issue 12): every line in scope by PCPG, year and stream, with totals per year.

WARNING_WORDS = N_("Warning: %(percent)s%% used")


def _ledger_select() -> Any:
    return BudgetLine.select(
        BudgetLine.id,
        BudgetLine.health_board,
        BudgetLine.pcpg,
        BudgetLine.financial_year,
        BudgetLine.funding_stream,
        BudgetLine.amount_pence,
        in_reading_language(BudgetLine.pcpg.name, BudgetLine.pcpg.name_cy, alias="pcpg_shown"),
        in_reading_language(BudgetLine.health_board.name, BudgetLine.health_board.name_cy, alias="health_board_shown"),
        *ledger_columns(),
    )


LEDGER_LINES = PreparedSelect(
    _ledger_select,
    lambda query: (
        query.order_by(order_in_reading_language(BudgetLine.pcpg.name, BudgetLine.pcpg.name_cy))
        .order_by(BudgetLine.financial_year)
        .order_by(BudgetLine.funding_stream)
        .order_by(BudgetLine.id)
    ),
)
"""The ledger's lines by PCPG (as the reader names it), year and stream; compiled once (core/prepared.py)."""


def ledger_conditions(actor: Actor, filters: LedgerFilterIn) -> list[Any]:
    """The actor's scope and the filters, as SQL conditions (None where a filter is not applied)."""
    return [
        scope_condition(actor),
        None if filters.financial_year is None else BudgetLine.financial_year == filters.financial_year,
        None if filters.pcpg_id is None else BudgetLine.pcpg == filters.pcpg_id,
        None if filters.funding_stream is None else BudgetLine.funding_stream == filters.funding_stream,
        None if filters.health_board_id is None else BudgetLine.health_board == filters.health_board_id,
    ]


def _ledger_line(row: dict[str, Any]) -> LedgerLineOut:
    ledger = _ledger(row)
    used_percent = ledger.used_percent
    warning = rules.is_warning(ledger.budget_pence, ledger.budget_pence - ledger.headroom_pence)
    return LedgerLineOut(
        budget_line_id=row["id"],
        health_board_id=row["health_board"],
        health_board=row["health_board_shown"],
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_shown"],
        financial_year=row["financial_year"],
        financial_year_label=FinancialYear(row["financial_year"]).label,
        funding_stream=row["funding_stream"],
        funding_stream_label=gettext(rules.FUNDING_STREAMS.get(row["funding_stream"], N_("Other"))),
        budget_pence=ledger.budget_pence,
        earmarked_pence=ledger.earmarked_pence,
        committed_pence=ledger.committed_pence,
        committed_unspent_pence=ledger.committed_unspent_pence,
        actual_pence=ledger.actual_pence,
        headroom_pence=ledger.headroom_pence,
        used_percent=used_percent,
        warning=warning,
        warning_label=gettext(WARNING_WORDS, percent=used_percent) if warning else "",
    )


def _year_total(year: int, row: dict[str, Any]) -> LedgerYearTotalOut:
    return LedgerYearTotalOut(
        financial_year=year,
        financial_year_label=FinancialYear(year).label,
        lines=int(row["lines"]),
        budget_pence=int(row["budget_pence"]),
        earmarked_pence=int(row["earmarked_pence"]),
        committed_unspent_pence=int(row["committed_unspent_pence"]),
        actual_pence=int(row["actual_pence"]),
        headroom_pence=int(row["headroom_pence"]),
        warnings=int(row["warnings"] or 0),
    )


async def ledger_report(
    *, actor: Actor, filters: LedgerFilterIn, limit: int | None = 50, offset: int = 0
) -> LedgerReportOut:
    """A page of the ledger (every line when `limit` is None: the downloads), and the totals per financial year of
    every line the filters select: two statements however many lines there are, filtered, ordered, paged and
    summed by the database."""
    if limit is not None:
        check_window(limit, offset)
    conditions = ledger_conditions(actor, filters)
    rows = await LEDGER_LINES.rows(*conditions, limit=limit, offset=offset)
    years = [_year_total(year, row) for year, row in (await _year_sums(conditions)).items()]
    total = sum(year.lines for year in years)  # a handful of yearly counts the database made
    return LedgerReportOut(
        items=[_ledger_line(row) for row in rows],
        total=total,
        limit=total if limit is None else limit,
        offset=offset,
        years=years,
    )


async def ledger_filter_choices(*, actor: Actor) -> tuple[list[LedgerPcpgChoice], list[int]]:
    """The PCPGs and the financial years the ledger can be filtered by: those of the actor's scope, one statement
    each."""
    query = Pcpg.select(
        Pcpg.id,
        Pcpg.health_board,
        in_reading_language(Pcpg.name, Pcpg.name_cy, alias="name_shown"),
        in_reading_language(Pcpg.health_board.name, Pcpg.health_board.name_cy, alias="health_board_shown"),
    ).order_by(order_in_reading_language(Pcpg.name, Pcpg.name_cy))
    condition = pcpg_scope_condition(actor)
    if condition is not None:
        query = query.where(condition)
    pcpgs = [
        LedgerPcpgChoice(
            id=row["id"],
            name=row["name_shown"],
            health_board_id=row["health_board"],
            health_board=row["health_board_shown"],
        )
        for row in await query
    ]
    years = BudgetLine.select(BudgetLine.financial_year).distinct().order_by(BudgetLine.financial_year)
    condition = scope_condition(actor)
    if condition is not None:
        years = years.where(condition)
    return pcpgs, [row["financial_year"] for row in await years]


async def template_lines(*, actor: Actor, financial_year: int) -> list[TemplateLine]:
    """The budget lines template's rows: every PCPG the reader may set lines for (a finance director their health
    board's, a national administrator all), by each funding stream, with the amount and note already set (two reads)."""
    pcpgs = Pcpg.select(Pcpg.id, Pcpg.name, in_reading_language(Pcpg.name, Pcpg.name_cy, alias="name_shown")).order_by(
        order_in_reading_language(Pcpg.name, Pcpg.name_cy)
    )
    if actor.role is Role.FINANCE_DIRECTOR:
        pcpgs = pcpgs.where(Pcpg.health_board == (actor.health_board_id or -1))
    elif actor.role is not Role.NATIONAL_ADMIN:
        raise NotAllowed()
    places = await pcpgs
    lines = await BudgetLine.select(
        BudgetLine.pcpg, BudgetLine.funding_stream, BudgetLine.amount_pence, BudgetLine.note
    ).where(
        BudgetLine.pcpg.is_in([row["id"] for row in places] or [-1]) & (BudgetLine.financial_year == financial_year)
    )
    found = {(row["pcpg"], row["funding_stream"]): row for row in lines}
    rows = []
    for place in places:
        for stream in rules.FUNDING_STREAMS:
            line = found.get((place["id"], stream))
            rows.append(
                TemplateLine(
                    pcpg=place["name_shown"],
                    financial_year=financial_year,
                    funding_stream=stream,
                    amount_pence=None if line is None else int(line["amount_pence"]),
                    note="" if line is None else line["note"],
                )
            )
    return rows
