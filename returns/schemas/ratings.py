"""Types in and out of the annual performance rating (issue 13, item 6): the commissioner's rating of each KPI for a
financial year, the year's RAG that suggests it, and what the public page shows of it (no person, no note)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.bounds import Id
from returns.rules import RAG, RATING_NOTE_MAX_LENGTH, PerformanceRatingKind

Year = Annotated[int, msgspec.Meta(ge=2020, le=2100)]


class KpiRatingIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    contract_kpi_id: Id
    rating: PerformanceRatingKind
    note: Annotated[str, msgspec.Meta(max_length=RATING_NOTE_MAX_LENGTH)] = ""


class PerformanceRatingsIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A year's ratings, one for every KPI of the contract. A year is rated once: rating it again is refused (409)
    unless `replace` says the commissioner means to change the ratings recorded, which the trail keeps before and
    after."""

    financial_year: Year
    ratings: Annotated[list[KpiRatingIn], msgspec.Meta(min_length=1, max_length=100)]
    replace: bool = False


class QuarterRagOut(msgspec.Struct, frozen=True):
    """One accepted quarter's value of the KPI and its RAG status."""

    quarter: int
    value: str
    rag: RAG
    rag_label: str
    rag_tag: str


class KpiRatingOut(msgspec.Struct, frozen=True, kw_only=True):
    """One KPI in one year: its accepted quarters' RAG, the rating they suggest, and the rating recorded (if any)."""

    contract_kpi_id: int
    name: str
    quarters: list[QuarterRagOut]
    suggested: PerformanceRatingKind | None
    suggested_label: str
    rating: PerformanceRatingKind | None
    rating_label: str
    rating_tag: str
    note: str


class RatingYearOut(msgspec.Struct, frozen=True, kw_only=True):
    financial_year: int
    year_label: str
    rateable: bool  # the year may be rated now (ended, or the termination year)
    rated: bool
    rated_at: datetime | None
    rated_by: str
    kpis: list[KpiRatingOut]


class ContractRatingsOut(msgspec.Struct, frozen=True, kw_only=True):
    """A contract's performance ratings, year by year: the years it may be rated in and those already rated."""

    contract_id: int
    reference: str
    title: str
    can_rate: bool  # the reader is a commissioner of the contract's PCPG
    years: list[RatingYearOut]


class PublicRatingOut(msgspec.Struct, frozen=True):
    kpi: str
    rating_label: str
    rating_tag: str


class PublicRatingYearOut(msgspec.Struct, frozen=True):
    """What the contract's public page shows of a year's ratings: each KPI's rating in words; nobody named, no note
    (free text may name a person)."""

    year_label: str
    ratings: list[PublicRatingOut]
