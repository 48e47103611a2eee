"""Budget lines from a file (issue 14, item 5): what a file would change (the preview), and applying it whole in one
operation with its audit, or refusing it whole with the row and column of every problem.

The rules of a single line hold for every row: a finance director sets only their health board's lines
(`rules.can_change_budget`), and no line's amount goes below what is already earmarked, committed or spent on it
(`rules.smallest_budget`). Applying checks everything again inside its transaction, with the lines locked, so
whatever changed since the preview is seen. (A module of its own: finance/services.py would pass 400 lines.)"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

import msgspec

from accounts.actor import Actor
from audit.operation import operation
from core.db import for_update, serialise
from core.errors import Conflict, NotAllowed, NotFound
from core.i18n import N_, current_language, gettext
from core.money import format_pounds
from core.periods import FinancialYear
from core.spreadsheet import CellProblems
from finance import budget_file, queries, rules
from finance.schemas import BudgetImportItemOut, BudgetImportLineIn, BudgetImportOut
from finance.tables import BudgetImport, BudgetLine
from organisations.tables import Pcpg

_CREATE_LOCK_KEY = 7_245_101  # finance.services: creates of lines wait for each other
CHECK_LASTS = timedelta(hours=24)
OTHER_BOARD = N_("this PCPG is not in your health board, so you cannot set its budget lines")
REPEATED = N_("this PCPG, year and funding stream are on row %(first)s as well")
BELOW_HELD = N_("the budget cannot be less than the %(amount)s already earmarked, committed or spent")
MOVED = N_(
    "The budget lines in this file have changed since you checked it. Look at what it would change now, then confirm"
)
CHECK_EXPIRED = N_("This check is more than a day old, or was already applied. Upload the file again")


def _line_key(line: BudgetImportLineIn | dict[str, Any]) -> tuple[int, int, str]:
    if isinstance(line, dict):
        return int(line["pcpg"]), int(line["financial_year"]), str(line["funding_stream"])
    return line.pcpg_id, line.financial_year, line.funding_stream


async def pcpg_names() -> dict[str, int]:
    """Every PCPG's id by its name in either language, casefolded, as a file names it (one read)."""
    rows = await Pcpg.select(Pcpg.id, Pcpg.name, Pcpg.name_cy)
    names: dict[str, int] = {}
    for row in rows:
        for name in (row["name"], row["name_cy"]):
            if name:
                names.setdefault(" ".join(name.split()).casefold(), int(row["id"]))
    return names


async def read_file(content: bytes) -> tuple[list[BudgetImportLineIn], CellProblems]:
    """The file's rows that could be read as values, and the problems of form of the others; pass both on, so the
    whole file is refused at once with its problems of form and of substance together."""
    rows = budget_file.read_rows(content)
    problems = CellProblems()
    return budget_file.lines_from_rows(rows, await pcpg_names(), problems), problems


async def _plan(
    actor: Actor, lines: list[BudgetImportLineIn], *, lock: bool, problems: CellProblems | None = None
) -> BudgetImportOut:
    """What each row would do, found in a few reads whatever the file's length; every problem of substance named by
    row and column, and the file refused whole if there is any (with those of form found in reading it)."""
    if not rules.can_set_budget_lines(actor):
        raise NotAllowed("You can set budget lines only for your own health board")
    problems = problems if problems is not None else CellProblems()
    pcpg_ids = sorted({line.pcpg_id for line in lines})
    years = sorted({line.financial_year for line in lines})
    places = {
        row["id"]: row
        for row in await Pcpg.select(
            Pcpg.id,
            Pcpg.name,
            Pcpg.name_cy,
            Pcpg.health_board,
            Pcpg.health_board.name.as_alias("board"),
            Pcpg.health_board.name_cy.as_alias("board_cy"),
        ).where(Pcpg.id.is_in(pcpg_ids or [-1]))
    }
    found = BudgetLine.select(
        BudgetLine.id,
        BudgetLine.pcpg,
        BudgetLine.financial_year,
        BudgetLine.funding_stream,
        BudgetLine.amount_pence,
        BudgetLine.note,
    ).where(BudgetLine.pcpg.is_in(pcpg_ids or [-1]) & BudgetLine.financial_year.is_in(years or [-1]))
    existing = {_line_key(row): row for row in await (for_update(found.order_by(BudgetLine.id)) if lock else found)}
    ledgers = await queries.ledgers(sorted(int(row["id"]) for row in existing.values()))
    welsh = current_language.get() == "cy"
    first_row: dict[tuple[int, int, str], int] = {}
    items: list[BudgetImportItemOut] = []
    for line in lines:
        place = places.get(line.pcpg_id)
        if place is None:
            problems.add(line.row, budget_file.PCPG, N_("enter the name of a PCPG, as the template gives it"))
            continue
        if not rules.can_change_budget(actor, place["health_board"]):
            problems.add(line.row, budget_file.PCPG, OTHER_BOARD)
            continue
        key = _line_key(line)
        if key in first_row:
            problems.add(line.row, budget_file.PCPG, REPEATED, first=first_row[key])
            continue
        first_row[key] = line.row
        row = existing.get(key)
        if row is not None:
            floor = rules.smallest_budget(ledgers[row["id"]])
            if line.amount_pence < floor:
                problems.add(line.row, budget_file.AMOUNT, BELOW_HELD, amount=format_pounds(floor))
                continue
        change = rules.import_change(
            None if row is None else (int(row["amount_pence"]), row["note"]), line.amount_pence, line.note
        )
        name = place["name_cy"] if welsh and place["name_cy"] else place["name"]
        items.append(
            BudgetImportItemOut(
                row=line.row,
                budget_line_id=None if row is None else int(row["id"]),
                pcpg_id=line.pcpg_id,
                pcpg=name,
                health_board=place["board_cy"] if welsh and place["board_cy"] else place["board"],
                financial_year=line.financial_year,
                financial_year_label=FinancialYear(line.financial_year).label,
                funding_stream=line.funding_stream,
                funding_stream_label=gettext(rules.FUNDING_STREAMS[line.funding_stream]),
                label=rules.budget_line_label(
                    pcpg=place["name"],
                    pcpg_cy=place["name_cy"],
                    financial_year=line.financial_year,
                    funding_stream=line.funding_stream,
                ),
                change=change.value,
                change_label=gettext(rules.IMPORT_CHANGES[change]),
                before_pence=None if row is None else int(row["amount_pence"]),
                after_pence=line.amount_pence,
                before_note="" if row is None else row["note"],
                note=line.note,
            )
        )
    problems.refuse(budget_file.UPLOAD_REFUSED)
    counts = {change: sum(1 for item in items if item.change == change) for change in rules.ImportChange}
    return BudgetImportOut(
        items=items,
        new=counts[rules.ImportChange.NEW],
        changed=counts[rules.ImportChange.CHANGED],
        unchanged=counts[rules.ImportChange.UNCHANGED],
        applied=False,
        fingerprint=_fingerprint(items),
    )


def _fingerprint(items: list[BudgetImportItemOut]) -> str:
    """The lines as they stood and as the file sets them: equal fingerprints, equal previews."""
    seen = sorted(
        (i.pcpg_id, i.financial_year, i.funding_stream, i.before_pence, i.before_note, i.after_pence, i.note)
        for i in items
    )
    return hashlib.sha256(msgspec.json.encode(seen)).hexdigest()[:32]


async def preview_budget_lines(
    *, actor: Actor, lines: list[BudgetImportLineIn], problems: CellProblems | None = None
) -> BudgetImportOut:
    """What the file would change (the dry run): nothing is written."""
    return await _plan(actor, lines, lock=False, problems=problems)


async def import_budget_lines(
    *,
    actor: Actor,
    lines: list[BudgetImportLineIn],
    now: datetime,
    seen: str | None = None,
    problems: CellProblems | None = None,
) -> BudgetImportOut:
    """Set up and change every line of the file in one operation, or nothing: refused whole on any problem (422,
    each with its row and column) and, where `seen` (the preview's fingerprint) is given, when the lines have moved
    since it was shown (409)."""
    async with operation("budget_lines.imported", actor=actor, now=now) as op:
        await serialise(_CREATE_LOCK_KEY)
        plan = await _plan(actor, lines, lock=True, problems=problems)
        if seen is not None and seen != plan.fingerprint:
            raise Conflict(MOVED, field="file")
        health_boards = await _boards([item.pcpg_id for item in plan.items])
        for item in plan.items:
            if item.change == rules.ImportChange.UNCHANGED:
                continue
            values: dict[Any, Any] = {
                BudgetLine.amount_pence: item.after_pence,
                BudgetLine.note: item.note,
                BudgetLine.updated_at: now,
                BudgetLine.updated_by_username: actor.username,
            }
            if item.budget_line_id is None:
                line = BudgetLine(
                    health_board=health_boards[item.pcpg_id],
                    pcpg=item.pcpg_id,
                    financial_year=item.financial_year,
                    funding_stream=item.funding_stream,
                    amount_pence=item.after_pence,
                    note=item.note,
                    updated_at=now,
                    updated_by_username=actor.username,
                )
                await line.save()
                item.budget_line_id = int(line.id)
                before: dict[str, Any] = {}
            else:
                await BudgetLine.update(values).where(BudgetLine.id == item.budget_line_id)
                before = {"amount_pence": item.before_pence, "note": item.before_note}
            op.record(
                "BudgetLine",
                item.budget_line_id,
                before=before,
                after={
                    "pcpg_id": item.pcpg_id,
                    "financial_year": item.financial_year,
                    "funding_stream": item.funding_stream,
                    "amount_pence": item.after_pence,
                    "note": item.note,
                    "row": item.row,
                },
                pcpg_id=item.pcpg_id,
                health_board_id=health_boards[item.pcpg_id],
            )
    plan.applied = True
    return plan


async def _boards(pcpg_ids: list[int]) -> dict[int, int]:
    rows = await Pcpg.select(Pcpg.id, Pcpg.health_board).where(Pcpg.id.is_in(sorted(set(pcpg_ids)) or [-1]))
    return {int(row["id"]): int(row["health_board"]) for row in rows}


# The page's check-your-answers: the rows as read are kept for their user between the preview and the confirmation.


async def check_budget_file(
    *, actor: Actor, content: bytes, filename: str, now: datetime
) -> tuple[int, BudgetImportOut]:
    """Check the file (refused whole on any problem, nothing kept) and keep its rows for the preview page."""
    lines, problems = await read_file(content)
    async with operation("budget_lines.checked", actor=actor, now=now) as op:
        plan = await _plan(actor, lines, lock=False, problems=problems)
        kept = BudgetImport(
            uploaded_by=actor.user_id,
            filename=filename[:200],
            lines=msgspec.json.encode(lines).decode(),
            created_at=now,
        )
        await kept.save()
        op.record(
            "BudgetImport",
            kept.id,
            after={"lines": len(plan.items), "new": plan.new, "changed": plan.changed, "unchanged": plan.unchanged},
            health_board_id=actor.health_board_id,
        )
    return int(kept.id), plan


async def kept_lines(
    *, actor: Actor, import_id: int, now: datetime, lock: bool = False
) -> tuple[str, list[BudgetImportLineIn]]:
    """A check's file name and rows, for the user who made it only (anyone else's, like an absent one, is not found);
    refused once applied or a day old. Locked when it is about to be applied, so it is applied once."""
    query = BudgetImport.select().where(
        (BudgetImport.id == import_id) & (BudgetImport.uploaded_by == (actor.user_id or -1))
    )
    row = await (for_update(query) if lock else query).first()  # type: ignore[union-attr]
    if row is None:
        raise NotFound("No such file")
    if row["applied_at"] is not None or row["created_at"] + CHECK_LASTS < now:
        raise Conflict(CHECK_EXPIRED, field="file")
    stored = row["lines"]
    if not isinstance(stored, str | bytes):
        stored = msgspec.json.encode(stored)
    return row["filename"], msgspec.json.decode(stored, type=list[BudgetImportLineIn])


async def preview_kept(*, actor: Actor, import_id: int, now: datetime) -> tuple[str, BudgetImportOut]:
    """The preview of a kept check, worked out again from the lines as they stand now."""
    filename, lines = await kept_lines(actor=actor, import_id=import_id, now=now)
    return filename, await _plan(actor, lines, lock=False)


async def confirm_budget_file(*, actor: Actor, import_id: int, seen: str, now: datetime) -> BudgetImportOut:
    """Apply a kept check, as the user saw it: every row checked again; refused if the lines moved since."""
    async with operation("budget_lines.imported", actor=actor, now=now):
        _, lines = await kept_lines(actor=actor, import_id=import_id, now=now, lock=True)
        done = await import_budget_lines(actor=actor, lines=lines, now=now, seen=seen)
        await BudgetImport.update({BudgetImport.applied_at: now}).where(BudgetImport.id == import_id)
    return done
