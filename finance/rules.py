"""Pure money rules for budget lines: the ledger, headroom, the over-commit refusal and the 90 % warning."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from accounts.actor import Actor, Role
from core.i18n import N_, current_language, gettext, in_every_language
from core.periods import FinancialYear

FUNDING_STREAMS = {
    "cluster_funding": N_("Cluster funding"),
    "regional_integration_fund": N_("Regional Integration Fund"),
    "hb_core": N_("Health board core"),
    "other": N_("Other"),
}
WARNING_SHARE_PERCENT = 90


def budget_line_label(*, pcpg: str, pcpg_cy: str = "", financial_year: int, funding_stream: str) -> str:
    """How a person names a budget line, in the reader's language: "Cardiff, 2027-28, Cluster funding". A line is
    one PCPG's money from one stream in one year, so those three name it; its id never shows."""
    name = pcpg_cy if current_language.get() == "cy" and pcpg_cy else pcpg
    stream = gettext(FUNDING_STREAMS.get(funding_stream, N_("Other")))
    return f"{name}, {FinancialYear(financial_year).label}, {stream}"


@dataclass(frozen=True)
class Ledger:
    budget_pence: int
    earmarked_pence: int
    committed_pence: int
    actual_pence: int

    @property
    def headroom_pence(self) -> int:
        """What is left to earmark or commit: budget less earmarks, commitments and spend beyond them.

        Actual spend is paid against commitments, so it reduces headroom only where it exceeds them.
        """
        return self.budget_pence - self.earmarked_pence - max(self.committed_pence, self.actual_pence)

    @property
    def committed_unspent_pence(self) -> int:
        """What contracts hold on the line and has not yet been paid: the commitments less the spend, never below 0.

        The ledger page shows this as "Committed", so that each line adds up to the penny, whatever happens:
        budget = earmarked + committed (not yet spent) + actual + headroom (README, "The ledger"). Spend within the
        commitments moves money from committed to actual; spend beyond them comes out of the headroom.
        """
        return max(self.committed_pence - self.actual_pence, 0)

    @property
    def used_percent(self) -> int:
        used = self.budget_pence - self.headroom_pence
        if self.budget_pence <= 0:
            return 100 if used > 0 else 0
        return used * 100 // self.budget_pence


def shortfall(ledger: Ledger, new_pence: int) -> int:
    """How far a new earmark or commitment would go past the budget; 0 when it fits."""
    return max(0, new_pence - ledger.headroom_pence)


def crosses_warning(ledger: Ledger, new_pence: int) -> bool:
    """True when the line would be 90 % or more used after this (DOMAIN.md: warnings at 90 %)."""
    if ledger.budget_pence <= 0:
        return False
    used = ledger.budget_pence - ledger.headroom_pence + new_pence
    return used * 100 >= WARNING_SHARE_PERCENT * ledger.budget_pence


def smallest_budget(ledger: Ledger) -> int:
    """A budget cannot be cut below what is already earmarked, committed or spent."""
    return ledger.earmarked_pence + max(ledger.committed_pence, ledger.actual_pence)


def can_set_budget_lines(actor: Actor) -> bool:
    """Finance directors and national administrators set budget lines; commissioners only read theirs."""
    return actor.role in (Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR)


def can_change_budget(actor: Actor | None, health_board_id: int) -> bool:
    """Finance directors set their own health board's lines; national administrators any."""
    if actor is None:
        return False
    if actor.role is Role.NATIONAL_ADMIN:
        return True
    return actor.role is Role.FINANCE_DIRECTOR and actor.health_board_id == health_board_id


def is_warning(budget_pence: int, used_pence: int) -> bool:
    """A line 90 % or more used (DOMAIN.md: warnings at 90 %); a line with no budget warns once anything is used.
    The same test as `Ledger.used_percent >= WARNING_SHARE_PERCENT`, in whole numbers, so SQL can count it too
    (finance.queries.budget_years)."""
    if budget_pence <= 0:
        return used_pence > 0
    return used_pence * 100 >= WARNING_SHARE_PERCENT * budget_pence


# Budget lines from a file (issue 14, item 5): what each row of the file would do to the line it names.

_YEAR_DASHES = re.compile(r"\s*[-/\u2013\u2014]\s*")
LARGEST_BUDGET_PENCE = 10_000_000_000_00  # finance.schemas.Pence: a line's largest amount


class ImportChange(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


IMPORT_CHANGES = {
    ImportChange.NEW: N_("New"),
    ImportChange.CHANGED: N_("Changed"),
    ImportChange.UNCHANGED: N_("Unchanged"),
}


def read_financial_year(text: str) -> int | None:
    """A financial year as people write it in a spreadsheet, "2027-28" (or "2027/28", "2027 - 28"), as its start
    year; None for anything else, a second half that does not follow the first included."""
    cleaned = _YEAR_DASHES.sub("-", text.strip())
    try:
        year = FinancialYear.parse(cleaned).start_year
    except ValueError:
        return None
    return year if 2020 <= year <= 2100 else None


def read_funding_stream(text: str) -> str | None:
    """A funding stream by its label in either language, whatever the case ("Cluster funding", "Cyllid clwstwr"),
    or by its stored code; None when it names none."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for code, label in FUNDING_STREAMS.items():
        names = {code.casefold(), *in_every_language(label)}
        if wanted in names:
            return code
    return None


def import_change(existing: tuple[int, str] | None, amount_pence: int, note: str) -> ImportChange:
    """New when no line has that PCPG, year and stream; unchanged when its amount and note are those of the file."""
    if existing is None:
        return ImportChange.NEW
    return ImportChange.UNCHANGED if existing == (amount_pence, note) else ImportChange.CHANGED


def per_head_pence(amount_pence: int, population: int | None) -> int | None:
    """Money per head of population, to the nearest penny (halves up); None without a known population, which is
    never guessed (README, "The spend report")."""
    if not population or population <= 0:
        return None
    return (2 * amount_pence + population) // (2 * population)


# Export jobs (issue 14, item 3): a large finance pack or Excel file is prepared in the background for whoever asked.


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return EXPORT_STATUS_LABELS[self]


EXPORT_STATUS_LABELS = {
    ExportStatus.QUEUED: N_("Waiting to start"),
    ExportStatus.RUNNING: N_("Being prepared"),
    ExportStatus.DONE: N_("Ready"),
    ExportStatus.FAILED: N_("Could not be prepared"),
}
EXPORT_KEPT = timedelta(days=1)  # a job and its file are swept a day after they were asked for
EXPORT_STALE_AFTER = timedelta(minutes=10)  # a run that has written nothing for this long is taken to have died
EXPORT_ATTEMPTS = 3  # runs a job is given before it is shown as failed
EXPORT_BACKGROUND_LINES = 2000  # budget lines from which a pack or workbook is prepared in the background


def runs_in_background(budget_lines: int, threshold: int) -> bool:
    """A report over this many budget lines (Wales has about 840 over ten years; England some twenty times that) is
    prepared as a job, so no request waits minutes for its answer."""
    return budget_lines >= threshold


def is_export_claimable(status: ExportStatus, claimed_at: datetime | None, attempts: int, now: datetime) -> bool:
    """A queued job may be started; a running one whose run has been silent past the timeout (its process died) may
    be taken over, until its attempts are used up."""
    if attempts >= EXPORT_ATTEMPTS:
        return False
    if status is ExportStatus.QUEUED:
        return True
    return status is ExportStatus.RUNNING and (claimed_at is None or now - claimed_at >= EXPORT_STALE_AFTER)


def shown_export_status(
    status: ExportStatus, claimed_at: datetime | None, attempts: int, now: datetime
) -> ExportStatus:
    """What the owner is told: a job whose last allowed run died is failed, whatever its row still says."""
    if status in (ExportStatus.QUEUED, ExportStatus.RUNNING) and attempts >= EXPORT_ATTEMPTS:
        if claimed_at is None or now - claimed_at >= EXPORT_STALE_AFTER:
            return ExportStatus.FAILED
    return status
