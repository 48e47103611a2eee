"""Types in and out of budget lines and their ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from litestar.datastructures import UploadFile

from core.bounds import Id

FundingStream = Literal["cluster_funding", "regional_integration_fund", "hb_core", "other"]
Pence = Annotated[int, msgspec.Meta(ge=0, le=10_000_000_000_00)]


class BudgetLineIn(msgspec.Struct, forbid_unknown_fields=True):
    pcpg_id: Id
    financial_year: Annotated[int, msgspec.Meta(ge=2020, le=2100)]
    funding_stream: FundingStream
    amount_pence: Pence
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class BudgetLineChangeIn(msgspec.Struct, forbid_unknown_fields=True):
    amount_pence: Pence
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class LedgerOut(msgspec.Struct):
    budget_line_id: int
    budget_pence: int
    earmarked_pence: int
    committed_pence: int
    actual_pence: int
    headroom_pence: int
    used_percent: int
    warning: bool


class BudgetLineOut(msgspec.Struct):
    id: int
    health_board_id: int
    health_board: str
    pcpg_id: int
    pcpg: str
    pcpg_cy: str
    pcpg_shown: str  # PCPG and health board in the reader's language, decided by the query
    health_board_shown: str
    financial_year: int
    financial_year_label: str
    funding_stream: str
    amount_pence: int
    note: str
    updated_at: datetime
    updated_by: str  # username
    ledger: LedgerOut
    funding_stream_label: str
    can_change: bool
    updated_by_name: str = ""  # who last changed it, by full name
    label: str = ""  # "Cardiff, 2027-28, Cluster funding", in the reader's language


class BudgetYearSummary(msgspec.Struct):
    """One financial year's totals over every line a reader may see (the dashboard)."""

    financial_year: int
    financial_year_label: str
    budget_pence: int
    earmarked_pence: int
    headroom_pence: int
    warnings: int
    committed_unspent_pence: int = 0  # committed and not yet paid: budget = earmarked + this + actual + headroom
    actual_pence: int = 0


class BudgetTotals(msgspec.Struct):
    """The years of the dashboard's budget table added up (its totals row)."""

    budget_pence: int
    earmarked_pence: int
    committed_unspent_pence: int
    actual_pence: int
    headroom_pence: int


class EarmarkRequest(msgspec.Struct, frozen=True):
    budget_line_id: int
    financial_year: int
    amount_pence: int


class LedgerFilterIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The ledger's filters, for the page, its downloads and the API alike; a filter left out is not applied."""

    financial_year: Annotated[int, msgspec.Meta(ge=2020, le=2100)] | None = None
    pcpg_id: Id | None = None
    funding_stream: FundingStream | None = None
    health_board_id: Id | None = None  # national administrators: one health board's lines


class LedgerLineOut(msgspec.Struct, kw_only=True):
    """One budget line of the finance director's ledger. It adds up to the penny:
    budget = earmarked + committed_unspent + actual + headroom (finance.rules.Ledger)."""

    budget_line_id: int
    health_board_id: int
    health_board: str  # in the reader's language
    pcpg_id: int
    pcpg: str  # in the reader's language
    financial_year: int
    financial_year_label: str
    funding_stream: str
    funding_stream_label: str  # in the reader's language
    budget_pence: int
    earmarked_pence: int
    committed_pence: int  # every commitment contracts hold on the line, spent or not
    committed_unspent_pence: int  # the "Committed" column: commitments not yet paid
    actual_pence: int
    headroom_pence: int
    used_percent: int
    warning: bool  # 90 % or more used
    warning_label: str = ""  # the warning in words, in the reader's language; empty without one


class LedgerYearTotalOut(msgspec.Struct, kw_only=True):
    """One financial year's totals over every line the filters select (not only the page shown), summed in SQL."""

    financial_year: int
    financial_year_label: str
    lines: int
    budget_pence: int
    earmarked_pence: int
    committed_unspent_pence: int
    actual_pence: int
    headroom_pence: int
    warnings: int  # lines 90 % or more used


class LedgerReportOut(msgspec.Struct, kw_only=True):
    """A page of the ledger's lines (by PCPG, year, stream), with the totals per year of every line selected."""

    items: list[LedgerLineOut]
    total: int
    limit: int
    offset: int
    years: list[LedgerYearTotalOut]


class LedgerPcpgChoice(msgspec.Struct, kw_only=True):
    """A PCPG the ledger can be filtered by (those in the reader's scope), named in the reader's language."""

    id: int
    name: str
    health_board_id: int
    health_board: str


class BudgetImportLineIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One row of an uploaded file of budget lines, read into values: the row number it came from, so a problem
    found later (its PCPG out of scope, an amount below what the line holds) still names its row and column."""

    row: int
    pcpg_id: int
    financial_year: int
    funding_stream: str
    amount_pence: int
    note: str = ""


class BudgetImportItemOut(msgspec.Struct, kw_only=True):
    """What one row of the file does to its line: new, changed or unchanged, with the amount before and after."""

    row: int
    budget_line_id: int | None  # None for a line the file would add
    pcpg_id: int
    pcpg: str  # in the reader's language
    health_board: str
    financial_year: int
    financial_year_label: str
    funding_stream: str
    funding_stream_label: str  # in the reader's language
    label: str  # "Cardiff, 2027-28, Cluster funding"
    change: str  # new, changed or unchanged
    change_label: str
    before_pence: int | None
    after_pence: int
    before_note: str
    note: str


class BudgetImportOut(msgspec.Struct, kw_only=True):
    """The preview of a file of budget lines (or what it did, once applied): every row's change and their counts.
    `fingerprint` names the lines as they stood when checked, so a confirmation can tell whether they have moved."""

    items: list[BudgetImportItemOut]
    new: int
    changed: int
    unchanged: int
    applied: bool
    fingerprint: str


class BudgetFileIn(msgspec.Struct):
    """The budget lines template filled in, CSV or Excel (XLSX), as `multipart/form-data` with one part named `file`."""

    file: UploadFile
