"""Types out of contracts for readers: a list row, the whole contract, its allocations by cluster and its public page.

Every value is decided by the query (labels in the reader's language, names not ids or usernames, money in pence),
so the API, the pages and the contract document show the same thing.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from contracts.rules import ContractStatus, PaymentTiming
from contracts.schemas.variation import PublishedChangeOut


class ContractSummary(msgspec.Struct, kw_only=True):
    """One row of a list of contracts."""

    id: int
    reference: str
    title: str
    status: ContractStatus
    status_label: str
    status_tag: str
    health_board_id: int
    health_board: str
    pcpg_id: int
    pcpg: str
    delivery_vehicle_id: int
    delivery_vehicle: str
    menu_service_id: int | None
    menu_service: str
    start_on: date
    end_on: date
    terminated_on: date | None
    total_value_pence: int


class ContractYearOut(msgspec.Struct, kw_only=True):
    financial_year: int
    label: str
    value_pence: int


class ContractClusterOut(msgspec.Struct, kw_only=True):
    cluster_id: int
    name: str


class ContractKpiOut(msgspec.Struct, kw_only=True):
    name: str
    unit: str
    direction: str
    direction_label: str
    baseline: str
    target: str
    green_from: str
    red_from: str


class ActivityOut(msgspec.Struct, kw_only=True):
    """Indicative units of the menu service's activity in one quarter."""

    financial_year: int
    year_label: str
    quarter: int
    units: int


class PaymentOut(msgspec.Struct, kw_only=True):
    financial_year: int
    year_label: str
    quarter: int
    amount_pence: int
    due_on: date


class PaymentYearOut(msgspec.Struct, kw_only=True):
    """A year's payments; they add up to the year's value (or to what a termination kept of it)."""

    financial_year: int
    label: str
    payments: list[PaymentOut]
    total_pence: int


class ReturnDueOut(msgspec.Struct, kw_only=True):
    """A delivery return the provider owes for one quarter of the term."""

    financial_year: int
    year_label: str
    quarter: int
    quarter_ends_on: date
    due_on: date


class AllocationOut(msgspec.Struct, kw_only=True):
    """One year's value for one cluster, with the population it was split by as it stood then."""

    financial_year: int
    year_label: str
    cluster_id: int
    cluster: str
    amount_pence: int
    method: str
    method_label: str
    population: int | None
    population_source: str
    paid_pence: int = 0  # approved payments' share for this cluster (returns/: PaymentCluster): actual spend


class AllocationYearOut(msgspec.Struct, kw_only=True):
    financial_year: int
    label: str
    value_pence: int
    allocations: list[AllocationOut]
    total_pence: int
    paid_pence: int = 0  # the year's approved payments, the sum of its allocations' paid_pence


class ContractVersionOut(msgspec.Struct, kw_only=True):
    version: int
    made_at: datetime
    made_by: str  # the person's full name, never the username
    variation_number: int | None
    source: str = ""  # what made it, in words: the award, a variation, the file it was brought in from


class ContractActionOut(msgspec.Struct, kw_only=True):
    action: str
    label: str
    href: str


class ContractOut(msgspec.Struct, kw_only=True):
    """The contract whole: particulars, the line of sight, schedules, allocations, history and what may be done."""

    id: int
    reference: str
    title: str
    title_en: str
    title_cy: str
    status: ContractStatus
    status_label: str
    status_tag: str
    status_reason: str
    health_board_id: int
    health_board: str
    pcpg_id: int
    pcpg: str
    delivery_vehicle_id: int
    delivery_vehicle: str
    start_on: date
    end_on: date
    live_from_on: date | None
    terminated_on: date | None
    made_at: datetime
    version: int
    payment_timing: PaymentTiming
    payment_timing_label: str
    reporting_due_days: int
    years: list[ContractYearOut]
    total_value_pence: int
    specification_id: int | None  # None for a contract made before this service
    specification_reference: str
    specification_title: str
    plan_priority_title: str
    menu_service_id: int | None
    menu_service: str
    menu_service_version: int | None
    unit_of_activity: str
    clusters: list[ContractClusterOut]
    kpis: list[ContractKpiOut]
    activity: list[ActivityOut]
    payments: list[PaymentYearOut]
    reporting: list[ReturnDueOut]
    allocations: list[AllocationYearOut]
    needs_split: bool
    origin: str  # awarded or legacy (contracts.rules.ContractOrigin)
    former_reference: str  # a legacy contract's reference before this service, else empty
    settled_before: str  # for a legacy contract, what was settled outside this service; else empty
    versions: list[ContractVersionOut]
    actions: list[ContractActionOut]


class PublicContractOut(msgspec.Struct, kw_only=True):
    """What anyone may read of a contract (issue 12, item 8): parties, value, term, status, published changes."""

    id: int
    reference: str
    title: str
    status: ContractStatus
    status_label: str
    status_tag: str
    health_board: str
    pcpg: str
    delivery_vehicle: str
    menu_service: str
    start_on: date
    end_on: date
    terminated_on: date | None
    years: list[ContractYearOut]
    total_value_pence: int
    changes: list[PublishedChangeOut]  # contracts.queries.variations.published_changes: no names, no reasons
