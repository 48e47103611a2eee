"""The contract document's read model: everything its PDF and its web page show, decided (names not ids, labels in
the reader's language, money in pence), so that the two forms cannot disagree."""

from __future__ import annotations

from datetime import date

import msgspec


class DocumentYear(msgspec.Struct, frozen=True):
    """One financial year's value (the awarded price, as varied)."""

    financial_year: int
    label: str
    value_pence: int


class DocumentActivity(msgspec.Struct, frozen=True):
    """The indicative activity plan: units of the menu service's activity in one quarter."""

    year_label: str
    quarter: int
    units: int


class DocumentPayment(msgspec.Struct, frozen=True):
    year_label: str
    quarter: int
    amount_pence: int
    due_on: date


class DocumentKpi(msgspec.Struct, frozen=True):
    """A quality requirement: thresholds read "not yet set" (in the reader's language) until the commissioner sets
    them while mobilising."""

    name: str
    unit: str
    direction_label: str
    baseline: str
    target: str
    green_from: str
    red_from: str


class DocumentReturn(msgspec.Struct, frozen=True):
    """A delivery return the provider owes: one per quarter of the term, up to a termination."""

    year_label: str
    quarter: int
    period_from: date
    period_to: date
    due_on: date


class DocumentAllocation(msgspec.Struct, frozen=True):
    """One year's value for one cluster, with the population it was split by as it stood then."""

    year_label: str
    cluster: str
    amount_pence: int
    method_label: str
    population: int | None
    population_source: str
    population_as_of: str


class DocumentVariation(msgspec.Struct, frozen=True):
    """An approved variation: a published change to the contract."""

    number: int
    kind_label: str
    effective_on: date
    reason: str
    approved_on: date | None
    version_made: int | None


class DocumentVersion(msgspec.Struct, frozen=True):
    version: int
    made_on: date
    made_by: str
    """What made it, in words: the award, or variation N."""


class ContractDocument(msgspec.Struct, frozen=True, kw_only=True):
    """The contract in the structure of a national CDV contract, modelled on the NHS Standard Contract: particulars,
    schedule of services, payment, quality requirements, reporting, allocations by cluster and variations."""

    contract_id: int
    reference: str
    title: str
    produced_on: date
    # 1. Particulars
    status: str
    status_label: str
    version: int
    health_board: str
    pcpg: str
    delivery_vehicle: str
    legal_form_label: str
    companies_house_number: str
    start_on: date
    end_on: date
    live_from_on: date | None
    terminated_on: date | None
    status_reason: str
    years: list[DocumentYear]
    total_value_pence: int
    # 2. Schedule of services
    specification_reference: str
    specification_title: str
    specification_description: str
    procurement_route_label: str
    menu_service: str
    menu_service_version: int | None
    unit_of_activity: str
    clusters: list[str]
    activity: list[DocumentActivity]
    # 3. Payment
    payment_timing_label: str
    payments: list[DocumentPayment]
    payment_totals: list[DocumentYear]
    # 4. Quality requirements
    kpis: list[DocumentKpi]
    # 5. Reporting
    reporting_due_days: int
    returns: list[DocumentReturn]
    # 6. Allocations by cluster
    allocations: list[DocumentAllocation]
    allocation_totals: list[DocumentYear]
    # 7. Variations
    variations: list[DocumentVariation]
    versions: list[DocumentVersion]
