"""Types in and out of the viability of delivery vehicles: the national thresholds, the report and the preview."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from contracts.rules import MAX_MIN_ANNUAL_VALUE_PENCE, MAX_MIN_LIVE_SERVICES, Viability


class ViabilityThresholdsIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The national thresholds: the fewest services and the smallest total annual contract value of a viable
    delivery vehicle."""

    min_live_services: Annotated[int, msgspec.Meta(ge=1, le=MAX_MIN_LIVE_SERVICES)]
    min_annual_value_pence: Annotated[int, msgspec.Meta(ge=0, le=MAX_MIN_ANNUAL_VALUE_PENCE)]


class ViabilityThresholdsOut(msgspec.Struct, kw_only=True):
    min_live_services: int
    min_annual_value_pence: int
    at_risk_margin_percent: int  # within this share above either threshold a vehicle is at risk
    is_default: bool  # no national administrator has set them yet
    set_at: datetime | None = None
    set_by: str = ""  # username
    set_by_name: str = ""


class ViabilityYearOut(msgspec.Struct, kw_only=True):
    financial_year: int
    financial_year_label: str
    forecast: bool  # a year after the one asked for: from the contracts as they stand
    services: int
    value_pence: int
    status: Viability
    status_label: str
    status_tag: str


class VehicleViabilityOut(msgspec.Struct, kw_only=True):
    delivery_vehicle_id: int
    delivery_vehicle: str
    years: list[ViabilityYearOut]


class ViabilityReportOut(msgspec.Struct, kw_only=True):
    """Each delivery vehicle's count, value and status for the year asked for and the three after it, a page of
    vehicles at a time (`total` of them)."""

    financial_year: int
    financial_year_label: str
    years: list[str]  # the labels of the year and the forecast years, in order
    sort: str
    thresholds: ViabilityThresholdsOut
    items: list[VehicleViabilityOut]
    total: int
    limit: int
    offset: int


class PreviewYearOut(msgspec.Struct, kw_only=True):
    """One year of a decision preview: the vehicle's standing now and once the decision is made."""

    financial_year: int
    financial_year_label: str
    services_now: int
    value_now_pence: int
    status_now: Viability
    status_now_label: str
    status_now_tag: str
    services_after: int
    value_after_pence: int
    status_after: Viability
    status_after_label: str
    status_after_tag: str
    changes: bool


class DecisionPreviewOut(msgspec.Struct, kw_only=True):
    delivery_vehicle_id: int
    delivery_vehicle: str
    years: list[PreviewYearOut]
