"""Types in and out of reviewing a return: the commissioner's comments per field, a correction with its reason, and
the return's history, version by version, with what changed in words."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from returns.rules import COMMENT_MAX_LENGTH
from returns.schemas.returns import ReturnFiguresIn, ReturnOut, ReturnQueryOut, ReturnSummary

REASON_MAX_LENGTH = 2_000


class QueryCommentIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A comment on one field of the return: `spend_pence`, `activity:<cluster_id>`, `kpi:<contract_kpi_id>`,
    `narrative`, `risks` or `workforce:<staff_group>` (returns.rules.return_fields)."""

    field: Annotated[str, msgspec.Meta(max_length=80)]
    comment: Annotated[str, msgspec.Meta(max_length=COMMENT_MAX_LENGTH)]


class ReturnQueryIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The commissioner's query: at least one comment, each on a field of the return, each field once."""

    comments: list[QueryCommentIn]


class ReturnCorrectionIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """An accepted return's figures as corrected, whole, with the reason for correcting them."""

    figures: ReturnFiguresIn
    reason: Annotated[str, msgspec.Meta(max_length=REASON_MAX_LENGTH)]


class CorrectionOut(msgspec.Struct, frozen=True, kw_only=True):
    """The corrected return; `payment_unchanged` when the quarter's payment was already approved (a correction
    never changes an approved payment), with the sentence saying so."""

    delivery_return: ReturnOut
    payment_unchanged: bool
    payment_note: str | None = None


class ReturnFieldOut(msgspec.Struct, frozen=True, kw_only=True):
    """One field of a return as the review shows it: its name for the API, its label and its value in words."""

    field: str
    label: str
    value: str


class VersionHistoryOut(msgspec.Struct, frozen=True, kw_only=True):
    version: int
    kind: str
    kind_label: str
    made_at: datetime
    made_by: str
    reason: str
    changes: list[str]
    queries: list[ReturnQueryOut]


class ReturnHistoryOut(msgspec.Struct, frozen=True, kw_only=True):
    """Each version of a return, newest first, with what changed from the one before in words, who made it and
    when, a correction's reason, and the queries raised on it; and who last accepted or queried it."""

    summary: ReturnSummary
    versions: list[VersionHistoryOut]
    decided_at: datetime | None
    decided_by: str | None


class ReviewQueueItem(msgspec.Struct, frozen=True, kw_only=True):
    summary: ReturnSummary
    submitted_by: str
