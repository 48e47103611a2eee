"""Types in and out of a contract's lifecycle: mobilise, suspend, resume, terminate (with its preview), and what a
commissioner sets while mobilising (KPI thresholds, the activity plan, the split by cluster)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from core.bounds import Id

REASON_MAX_LENGTH = 2000
THRESHOLD_MAX_LENGTH = 40

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=REASON_MAX_LENGTH)]
Year = Annotated[int, msgspec.Meta(ge=2020, le=2100)]
Pence = Annotated[int, msgspec.Meta(ge=0, le=10**13)]


class ContractSuspensionIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Why the service is suspended: the commissioner's words, kept with the contract."""

    reason: Reason


class ContractTerminationIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The last day of service and why; quarters after it and later years are released from the ledger."""

    terminated_on: date
    reason: Reason


class KpiThresholdPairIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A KPI's red/amber/green thresholds as decimal text (`85`, `12.5`): green from one value, red from the other."""

    kpi_id: Id
    green_from: Annotated[str, msgspec.Meta(max_length=THRESHOLD_MAX_LENGTH)]
    red_from: Annotated[str, msgspec.Meta(max_length=THRESHOLD_MAX_LENGTH)]


class ActivityPlanIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Units of the menu service's activity expected in one quarter (1 April to June ... 4 January to March)."""

    financial_year: Year
    quarter: Annotated[int, msgspec.Meta(ge=1, le=4)]
    units: Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]


class KpiThresholdsIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Every KPI's thresholds, and the indicative activity plan (it replaces the plan as it stood)."""

    thresholds: list[KpiThresholdPairIn]
    activity: list[ActivityPlanIn] = []


class SplitAmountIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    financial_year: Year
    cluster_id: Id
    amount_pence: Pence


class SplitPercentIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A cluster's share of every year's value, up to two decimal places (`33.33`); all of them total exactly 100."""

    cluster_id: Id
    percent: Annotated[str, msgspec.Meta(max_length=20)]


class AllocationSplitIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The split by cluster the commissioner enters: pounds per year and cluster (`amounts`), or one percentage per
    cluster for every year (`percentages`); exactly one of the two."""

    amounts: list[SplitAmountIn] | None = None
    percentages: list[SplitPercentIn] | None = None


class ContractStatusOut(msgspec.Struct, frozen=True):
    """A contract's status after a move."""

    id: int
    reference: str
    status: str
    status_label: str
    status_reason: str
    live_from_on: date | None
    terminated_on: date | None
    version: int


class TerminationLineOut(msgspec.Struct, frozen=True):
    """One budget line in one year: what the contract holds on it now, what a termination releases, what stays."""

    budget_line_id: int
    label: str
    financial_year: int
    financial_year_label: str
    committed_now_pence: int
    released_pence: int
    committed_after_pence: int


class LastPaymentOut(msgspec.Struct, frozen=True):
    financial_year: int
    financial_year_label: str
    quarter: int
    amount_pence: int
    due_on: date


class TerminationPreviewOut(msgspec.Struct, frozen=True):
    """The effect of terminating on a date, before it is confirmed: per budget line and year, and the last payment
    the health board still makes; and whether the termination would be accepted (if not, why, and on which field)."""

    contract_id: int
    reference: str
    terminated_on: date
    lines: list[TerminationLineOut]
    committed_now_pence: int
    released_pence: int
    committed_after_pence: int
    last_payment: LastPaymentOut | None
    can_terminate: bool
    refusal: str = ""
    refusal_field: str = ""
