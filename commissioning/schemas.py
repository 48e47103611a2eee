"""Types in and out of plans, priorities, specifications and clarifications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

Route = Literal["direct_award_1", "direct_award_2", "most_suitable_provider", "competitive"]
Direction = Literal["higher_is_better", "lower_is_better"]
Title = Annotated[str, msgspec.Meta(max_length=200)]
LongText = Annotated[str, msgspec.Meta(max_length=20000)]
Year = Annotated[int, msgspec.Meta(ge=2020, le=2100)]


class PlanIn(msgspec.Struct, forbid_unknown_fields=True):
    pcpg_id: int
    first_financial_year: Year
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    title_cy: Title = ""


class PlanPriorityIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    need: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]
    cluster_ids: list[int]
    title_cy: Title = ""
    need_source: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class PlanPriorityOut(msgspec.Struct):
    id: int
    plan_id: int
    title: str
    title_cy: str
    need: str
    need_source: str
    cluster_ids: list[int]
    cluster_names: list[str]


class PlanOut(msgspec.Struct):
    id: int
    pcpg_id: int
    pcpg: str
    first_financial_year: int
    label: str
    title: str
    title_cy: str
    priorities: list[PlanPriorityOut]


class YearIn(msgspec.Struct, forbid_unknown_fields=True):
    financial_year: Year
    max_value_pence: Annotated[int, msgspec.Meta(ge=0, le=10_000_000_000_00)]
    budget_line_id: int | None = None


class KpiIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    name_cy: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    direction: Direction
    baseline: Annotated[str, msgspec.Meta(max_length=100)] = ""
    target: Annotated[str, msgspec.Meta(max_length=100)] = ""


class DescriptorIn(msgspec.Struct, forbid_unknown_fields=True):
    en: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    cy: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class CriterionIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    title_cy: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    weight: Annotated[int, msgspec.Meta(ge=1, le=100)]
    descriptors: Annotated[list[DescriptorIn], msgspec.Meta(min_length=6, max_length=6)]


class SpecificationIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A new specification from a menu service. Left-out texts, KPIs and criteria come from the menu and
    the standard criteria; a draft may be incomplete, publication checks it all."""

    pcpg_id: int
    menu_service_id: int
    start_financial_year: Year
    term_years: Annotated[int, msgspec.Meta(ge=1, le=5)]
    plan_priority_id: int | None = None
    title: Title = ""
    title_cy: Title = ""
    description: LongText = ""
    description_cy: LongText = ""
    cluster_ids: list[int] = []
    procurement_route: Route = "competitive"
    years: list[YearIn] = []
    kpis: list[KpiIn] | None = None
    criteria: list[CriterionIn] | None = None
    price_weight: Annotated[int, msgspec.Meta(ge=0, le=100)] = 40
    bid_deadline_at: datetime | None = None
    clarification_contact: Annotated[str, msgspec.Meta(max_length=200)] = ""


class SpecificationChangeIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A change to a draft: only the fields given are changed."""

    plan_priority_id: int | UnsetType | None = UNSET
    title: Title | UnsetType = UNSET
    title_cy: Title | UnsetType = UNSET
    description: LongText | UnsetType = UNSET
    description_cy: LongText | UnsetType = UNSET
    cluster_ids: list[int] | UnsetType = UNSET
    procurement_route: Route | UnsetType = UNSET
    start_financial_year: Year | UnsetType = UNSET
    term_years: Annotated[int, msgspec.Meta(ge=1, le=5)] | UnsetType = UNSET
    years: list[YearIn] | UnsetType = UNSET
    kpis: list[KpiIn] | UnsetType = UNSET
    criteria: list[CriterionIn] | UnsetType = UNSET
    price_weight: Annotated[int, msgspec.Meta(ge=0, le=100)] | UnsetType = UNSET
    bid_deadline_at: datetime | UnsetType | None = UNSET
    clarification_contact: Annotated[str, msgspec.Meta(max_length=200)] | UnsetType = UNSET


class CancelIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class ClusterCovered(msgspec.Struct):
    id: int
    name: str
    name_cy: str | None
    population: int | None
    population_is_estimate: bool


class YearOut(msgspec.Struct):
    financial_year: int
    label: str
    max_value_pence: int
    budget_line_id: int | None
    budget_line_label: str


class KpiOut(msgspec.Struct):
    name: str
    name_cy: str
    unit: str
    direction: str
    baseline: str
    target: str


class DescriptorOut(msgspec.Struct):
    en: str
    cy: str


class CriterionOut(msgspec.Struct):
    title: str
    title_cy: str
    weight: int
    descriptors: list[DescriptorOut]


class ClarificationOut(msgspec.Struct):
    id: int
    question: str
    asked_at: datetime
    answer: str
    answered_at: datetime | None
    mine: bool


class SpecificationOut(msgspec.Struct):
    id: int
    reference: str
    status: str
    pcpg_id: int
    pcpg: str
    pcpg_cy: str
    health_board_id: int
    health_board: str
    health_board_cy: str
    menu_service_id: int
    menu_service_version: int
    menu_service_version_id: int
    menu_service: str
    menu_service_cy: str
    plan_priority_id: int | None
    plan_priority: str
    plan_need: str
    title: str
    title_cy: str
    description: str
    description_cy: str
    procurement_route: str
    start_financial_year: int
    term_years: int
    clusters: list[ClusterCovered]
    years: list[YearOut]
    total_max_value_pence: int
    kpis: list[KpiOut]
    criteria: list[CriterionOut]
    price_weight: int
    bid_deadline_at: datetime | None
    clarification_contact: str
    created_at: datetime
    published_at: datetime | None
    cancelled_at: datetime | None
    cancellation_reason: str


class SpecificationSummary(msgspec.Struct):
    id: int
    reference: str
    status: str
    title: str
    title_cy: str
    pcpg_id: int
    pcpg: str
    pcpg_cy: str
    health_board_id: int
    menu_service_id: int
    menu_service: str
    menu_service_cy: str
    procurement_route: str
    total_max_value_pence: int
    start_financial_year: int
    term_years: int
    bid_deadline_at: datetime | None
    published_at: datetime | None


class LedgerEffect(msgspec.Struct):
    """What publishing would do to each budget line: shown before the commissioner confirms."""

    budget_line_id: int
    label: str
    financial_year: int
    budget_pence: int
    headroom_before_pence: int
    earmark_pence: int
    headroom_after_pence: int
    fits: bool
    warning: bool


class PublishOut(msgspec.Struct):
    specification: SpecificationOut
    warnings: list[int]


class ClarificationIn(msgspec.Struct, forbid_unknown_fields=True):
    question: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]


class AnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    answer: Annotated[str, msgspec.Meta(min_length=1, max_length=10000)]
