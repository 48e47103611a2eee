"""Types out of outcomes (issue 13, item 5): a contract's KPIs quarter by quarter with RAG and the SPC reading, a PCPG's
contracts' latest RAG, and the equity view of one KPI across clusters and delivery vehicles. Decided values only:
every label is in the reader's language already."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from returns.chart import SpcTableRow
from returns.rules import RAG
from returns.spc import Assurance, Limits, LimitsStatus, Variation, VariationIcon


class KpiQuarterOut(msgspec.Struct, frozen=True, kw_only=True):
    """One quarter of one KPI: its accepted value (None when the quarter has no accepted return or no value) and RAG
    status against the contract's thresholds, and the SPC reading of that point."""

    financial_year: int
    quarter: int
    period: str
    value: Decimal | None
    rag: RAG
    rag_label: str
    rag_tag: str
    variation: Variation
    signal: str


class SpcOut(msgspec.Struct, frozen=True, kw_only=True):
    limits: Limits | None
    limits_status: LimitsStatus
    baseline_points: int
    screened: bool
    variation_icon: VariationIcon | None
    variation_label: str
    assurance: Assurance | None
    assurance_label: str
    notes: list[str]


class KpiOutcomeOut(msgspec.Struct, frozen=True, kw_only=True):
    contract_kpi_id: int
    name: str
    unit: str
    direction: str
    direction_label: str
    target: str
    green_from: str
    red_from: str
    quarters: list[KpiQuarterOut]
    latest_rag: RAG
    latest_rag_label: str
    latest_rag_tag: str
    latest_period: str | None
    spc: SpcOut
    chart_svg: str
    chart_id: str
    table: list[SpcTableRow]


class ContractOutcomesOut(msgspec.Struct, frozen=True, kw_only=True):
    contract_id: int
    reference: str
    title: str
    delivery_vehicle: str
    pcpg: str
    quarters_ended: int
    quarters_accepted: int
    kpis: list[KpiOutcomeOut]


class KpiRagOut(msgspec.Struct, frozen=True, kw_only=True):
    contract_kpi_id: int
    name: str
    period: str | None
    value: Decimal | None
    rag: RAG
    rag_label: str
    rag_tag: str


class ContractRagOut(msgspec.Struct, frozen=True, kw_only=True):
    """One contract of the PCPG: each KPI's RAG in the latest accepted quarter of the year, and the counts."""

    contract_id: int
    reference: str
    title: str
    delivery_vehicle: str
    green: int
    amber: int
    red: int
    not_rated: int
    kpis: list[KpiRagOut]


class PcpgOutcomesOut(msgspec.Struct, frozen=True, kw_only=True):
    pcpg_id: int
    pcpg: str
    financial_year: int
    year_label: str
    sort: str
    items: list[ContractRagOut]
    total: int
    limit: int
    offset: int


class EquityVehicleOut(msgspec.Struct, frozen=True, kw_only=True):
    """One contract delivering the service, and the KPI's accepted values in the year."""

    contract_id: int
    contract_reference: str
    delivery_vehicle: str
    pcpg: str
    quarters_reported: int
    mean: Decimal | None
    latest_period: str | None
    latest_value: Decimal | None
    rag: RAG
    rag_label: str
    rag_tag: str


class EquityClusterOut(msgspec.Struct, frozen=True, kw_only=True):
    """One cluster a contract covers: the activity its accepted returns report for the year, and per 1,000 population
    where the population is known (with where that population comes from)."""

    cluster_id: int
    cluster: str
    contract_id: int
    contract_reference: str
    delivery_vehicle: str
    units: int | None
    population: int | None
    population_basis: str
    population_note: str
    per_thousand: Decimal | None
    kpi_value: Decimal | None
    kpi_period: str | None
    rag: RAG
    rag_label: str
    rag_tag: str


class EquityOut(msgspec.Struct, frozen=True, kw_only=True):
    menu_service_id: int
    service: str
    unit_of_activity: str
    kpi: str
    kpi_names: list[str]
    kpi_unit: str
    financial_year: int
    year_label: str
    vehicles: list[EquityVehicleOut]
    clusters: list[EquityClusterOut]
    clusters_without_population: list[EquityClusterOut]
