"""OCDS 1.1.5 release package shapes (only the fields published here), with the budget breakdown and metrics
extensions' fields. Field names are the standard's (camelCase); an absent value is left out, never null."""

from __future__ import annotations

from datetime import datetime

import msgspec


class _Ocds(msgspec.Struct, rename="camel", omit_defaults=True, kw_only=True):
    pass


class Value(_Ocds):
    amount: float
    currency: str


class Period(_Ocds):
    start_date: datetime | None = None
    end_date: datetime | None = None


class Identifier(_Ocds):
    scheme: str
    id: str
    legal_name: str | None = None


class OrganizationReference(_Ocds):
    id: str
    name: str


class Organization(_Ocds):
    id: str
    name: str
    identifier: Identifier | None = None
    roles: list[str] = msgspec.field(default_factory=list)


class BudgetBreakdown(_Ocds):
    """budget_breakdown extension: one entry per financial year."""

    id: str
    description: str
    amount: Value
    period: Period


class Budget(_Ocds):
    id: str
    description: str
    amount: Value
    budget_breakdown: list[BudgetBreakdown] = msgspec.field(default_factory=list)


class Planning(_Ocds):
    budget: Budget
    rationale: str | None = None
    """OCDS planning.rationale: here, the public and patient engagement behind the tender ("you said, we did")."""


class Tender(_Ocds):
    id: str
    title: str
    description: str
    status: str
    procuring_entity: OrganizationReference
    value: Value
    procurement_method: str
    procurement_method_details: str
    main_procurement_category: str
    contract_period: Period
    has_enquiries: bool
    award_criteria: str | None = None
    award_criteria_details: str | None = None
    tender_period: Period | None = None


class Award(_Ocds):
    id: str
    title: str
    status: str
    date: datetime
    value: Value
    suppliers: list[OrganizationReference]
    contract_period: Period


class Unit(_Ocds):
    name: str


class Observation(_Ocds):
    """metrics extension: `value` for a financial figure, `measure` for any other."""

    id: str
    period: Period | None = None
    value: Value | None = None
    measure: float | str | None = None  # an int is a number too: "int | float" makes a oneOf both match
    unit: Unit | None = None
    dimensions: dict[str, str] | None = None


class Metric(_Ocds):
    id: str
    title: str
    description: str | None = None
    observations: list[Observation] = msgspec.field(default_factory=list)


class Amendment(_Ocds):
    id: str
    date: datetime
    rationale: str
    description: str | None = None


class Transaction(_Ocds):
    id: str
    date: datetime
    value: Value
    payer: OrganizationReference
    payee: OrganizationReference


class Implementation(_Ocds):
    transactions: list[Transaction] = msgspec.field(default_factory=list)
    metrics: list[Metric] = msgspec.field(default_factory=list)


class Contract(_Ocds):
    id: str
    award_id: str = msgspec.field(name="awardID")
    title: str
    status: str
    period: Period
    value: Value
    date_signed: datetime
    agreed_metrics: list[Metric] = msgspec.field(default_factory=list)
    amendments: list[Amendment] = msgspec.field(default_factory=list)
    implementation: Implementation | None = None


class Release(_Ocds):
    ocid: str
    id: str
    date: datetime
    tag: list[str]
    initiation_type: str
    parties: list[Organization]
    buyer: OrganizationReference
    planning: Planning
    tender: Tender
    awards: list[Award] = msgspec.field(default_factory=list)
    contracts: list[Contract] = msgspec.field(default_factory=list)


class Publisher(_Ocds):
    name: str


class ReleasePackage(_Ocds):
    uri: str
    version: str
    published_date: datetime
    publisher: Publisher
    releases: list[Release]
    license: str | None = None
    publication_policy: str | None = None
