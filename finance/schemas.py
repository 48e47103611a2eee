"""Types in and out of budget lines and their ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

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
