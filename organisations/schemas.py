"""Types in and out of the organisations API and pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from organisations.rules import DeliveryVehicleStatus

LegalForm = Literal["cic", "company_limited_by_guarantee", "gp_federation", "charity", "social_enterprise", "hb_hosted"]
# PostgreSQL text cannot hold NUL: refuse it here (400 naming the field) rather than in the driver (a 500).
NO_NUL = r"^[^\x00]*$"
NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NO_NUL)]
ClusterId = Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]


class HealthBoardOut(msgspec.Struct):
    id: int
    name: str
    name_cy: str
    short_name: str
    regional_partnership_board: str
    regional_partnership_board_cy: str


class LocalAuthorityOut(msgspec.Struct):
    id: int
    name: str
    name_cy: str
    health_board_id: int
    regional_partnership_board: str
    pcpg_id: int


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


class ClusterSummary(msgspec.Struct):
    id: int
    name: str
    name_cy: str | None
    pcpg_id: int


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
    status_label: str
    status_colour: str
    legal_form_label: str
    can_decide: bool
    waiting_for_own_review: bool


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
