"""Types in and out of contract variations (issue 12, item 5): the change proposed, the decision, and the variation
as a reader sees it, with what it changes in words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from contracts.rules import PaymentTiming, VariationKind
from core.bounds import Id

Year = Annotated[int, msgspec.Meta(ge=2020, le=2100)]
Pence = Annotated[int, msgspec.Meta(ge=0, le=10_000_000_000_00)]
Threshold = Annotated[str, msgspec.Meta(max_length=40)]


class YearValueIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    financial_year: Year
    value_pence: Pence


class KpiChangeIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A KPI of the contract by its position; a value left out stays as it is."""

    position: Annotated[int, msgspec.Meta(ge=0, le=1000)]
    target: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    green_from: Threshold | None = None
    red_from: Threshold | None = None


class SplitIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    financial_year: Year
    cluster_id: Id
    amount_pence: Pence


class VariationIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A proposed change. Each part left out stays as it is:

    `annual_values`: every year of the contract after the change, from its first year, with its value. A later
    year added is an extension (the term ends on its 31 March); years left off the end shorten the term.
    `cluster_ids`: the clusters covered after the change. `kpis`: targets and thresholds by KPI position.
    `split`: pence by year and cluster, for every year and cluster after the change, where it is not to be split by
    population (needed when a cluster covered has no known population)."""

    kind: VariationKind
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    effective_on: date
    annual_values: Annotated[list[YearValueIn], msgspec.Meta(min_length=1, max_length=20)] | None = None
    cluster_ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=100)] | None = None
    kpis: Annotated[list[KpiChangeIn], msgspec.Meta(max_length=100)] | None = None
    payment_timing: PaymentTiming | None = None
    split: Annotated[list[SplitIn], msgspec.Meta(max_length=2000)] | None = None


class DecisionIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A rejection says why; an approval may add a note."""

    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class LedgerEffectOut(msgspec.Struct, frozen=True):
    """What the change does to one budget line in one year: the contract's commitment before and after, and the
    line's headroom after (negative: the approval would be refused)."""

    budget_line_id: int
    line: str
    financial_year: int
    financial_year_label: str
    committed_before_pence: int
    committed_after_pence: int
    headroom_now_pence: int
    headroom_after_pence: int
    fits: bool


class VariationOut(msgspec.Struct, frozen=True, kw_only=True):
    contract_id: int
    contract_reference: str
    number: int
    kind: VariationKind
    kind_label: str
    reason: str
    effective_on: date
    status: str
    status_label: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str
    decided_at: datetime | None
    decision_note: str
    version_made: int | None
    changes: list[str]
    can_decide: bool = False


class VersionOut(msgspec.Struct, frozen=True, kw_only=True):
    """One version of the contract and, field by field, what it changed from the one before."""

    version: int
    made_at: datetime
    made_by: str
    variation_number: int | None
    changes: list[str]


class PublishedChangeOut(msgspec.Struct, frozen=True, kw_only=True):
    """An approved variation as the public page shows it: no names of people."""

    number: int
    kind: VariationKind
    kind_label: str
    effective_on: date
    changes: list[str]
