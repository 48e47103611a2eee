"""Types in and out of the organisations API and pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from core.bounds import Id
from organisations.rules import DeliveryVehicleStatus

LegalForm = Literal["cic", "company_limited_by_guarantee", "gp_federation", "charity", "social_enterprise", "hb_hosted"]
# PostgreSQL text cannot hold NUL: refuse it here (400 naming the field) rather than in the driver (a 500).
NO_NUL = r"^[^\x00]*$"
NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NO_NUL)]
ClusterId = Id  # as every id in a body (core/bounds.py)


class HealthBoardOut(msgspec.Struct):
    """`*_shown` fields are the names in the reader's language, decided by the query (core.i18n.in_reading_language)."""

    id: int
    name: str
    name_cy: str
    short_name: str
    regional_partnership_board: str
    regional_partnership_board_cy: str
    name_shown: str
    regional_partnership_board_shown: str


class LocalAuthorityOut(msgspec.Struct):
    id: int
    name: str
    name_cy: str
    health_board_id: int
    regional_partnership_board: str
    pcpg_id: int
    name_shown: str


class PcpgOut(msgspec.Struct):
    id: int
    name: str
    name_cy: str
    health_board_id: int
    health_board: str
    effective_from_on: date
    effective_to_on: date | None
    local_authorities: list[str]
    cluster_count: int
    name_shown: str
    health_board_shown: str
    local_authorities_shown: list[str]


class ClusterOut(msgspec.Struct):
    id: int
    name: str
    name_cy: str | None
    seed_number: int
    local_authority_id: int
    local_authority: str
    pcpg_id: int
    pcpg: str
    pcpg_cy: str
    health_board_id: int
    population: int | None
    population_is_estimate: bool
    population_source: str
    effective_from_on: date
    effective_to_on: date | None
    name_shown: str
    local_authority_shown: str
    pcpg_shown: str
    population_as_of: str | None = None  # the day, month or year the source gives: 2020-01-01, 2018-10 or 2018
    population_source_url: str | None = None
    population_as_of_shown: str = ""  # that date in the reader's words ("October 2018"); empty when undated


class DeliveryVehicleIn(msgspec.Struct, forbid_unknown_fields=True):
    """Fields in the order the registration form asks for them (its error summary follows this order)."""

    name: NonEmpty
    legal_form: LegalForm
    contact_name: NonEmpty
    contact_email: NonEmpty
    cluster_ids: Annotated[list[ClusterId], msgspec.Meta(max_length=200)]
    companies_house_number: Annotated[str, msgspec.Meta(max_length=20, pattern=NO_NUL)] | None = None
    contact_phone: Annotated[str, msgspec.Meta(max_length=40, pattern=NO_NUL)] = ""


class DeliveryVehicleDecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=2000, pattern=NO_NUL)] = ""


class SuspensionIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why a vehicle is suspended (required: the provider and the audit trail read it)."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=NO_NUL)]


class ClusterSummary(msgspec.Struct):
    id: int
    name: str
    name_cy: str | None
    pcpg_id: int
    name_shown: str


class DeliveryVehicleOut(msgspec.Struct):
    id: int
    name: str
    legal_form: str
    companies_house_number: str | None
    status: DeliveryVehicleStatus
    clusters: list[ClusterSummary]
    contact_name: str
    contact_email: str
    contact_phone: str
    registered_at: datetime
    registered_by: str
    decided_at: datetime | None
    decided_by: str
    decision_reason: str
    registered_by_name: str  # who registered it, by full name (the *_by fields are usernames)
    decided_by_name: str
    status_label: str
    status_colour: str
    legal_form_label: str
    can_decide: bool
    waiting_for_own_review: bool
    suspended_at: datetime | None = None
    suspended_by_name: str = ""
    suspension_reason: str = ""
    can_suspend: bool = False
    can_reinstate: bool = False


class DeliveryVehicleSummary(msgspec.Struct):
    """A delivery vehicle to choose from (a direct award's provider)."""

    id: int
    name: str


class HealthBoardSummary(msgspec.Struct):
    """A health board's counts, summed by the database (the finance director's dashboard)."""

    health_board_id: int
    pcpg_count: int
    cluster_count: int
    population_known: int
    clusters_without_population: int
