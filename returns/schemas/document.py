"""The delivery return's document (issue 13, item 8): the return as its readers see it, with the contract's parties
and who did what by name, for the PDF and its web page."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from returns.schemas.returns import ReturnOut


class ReturnDocument(msgspec.Struct, frozen=True, kw_only=True):
    """`ReturnOut` (figures, KPIs with RAG, queries and versions) with what a document adds: the health board, PCPG
    and delivery vehicle of the contract, the people (full names) who saved, submitted and last decided the return,
    and the day it was produced."""

    the_return: ReturnOut
    health_board: str
    pcpg: str
    delivery_vehicle: str
    saved_at: datetime | None
    saved_by: str
    submitted_by: str
    decided_at: datetime | None
    decided_by: str
    produced_on: date
