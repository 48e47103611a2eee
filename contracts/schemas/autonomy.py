"""Types in and out of earned autonomy (issue 15, item 5): the national terms of each tier, a vehicle's tier, its
history and a commissioner's override."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from contracts.autonomy_rules import (
    MAX_LEVEL,
    MAX_RED_FREE_QUARTERS,
    MAX_VARIATION_LIMIT_PENCE,
    MIN_LEVEL,
    AutonomyTier,
    ReturnFrequency,
)

Limit = Annotated[int, msgspec.Meta(ge=0, le=MAX_VARIATION_LIMIT_PENCE)]
Level = Annotated[int, msgspec.Meta(ge=MIN_LEVEL, le=MAX_LEVEL)]
RedFree = Annotated[int, msgspec.Meta(ge=0, le=MAX_RED_FREE_QUARTERS)]
Domains = Annotated[list[str], msgspec.Meta(min_length=1, max_length=7)]


class AutonomySettingsIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The national terms, flat so the API and the form share them: per tier the return frequency, whether returns
    are light and the variation value the vehicle agrees without a commissioner's approval (pence); for earned and
    high autonomy also the minimum maturity level, the domains (keys, contracts.autonomy_rules.MATURITY_DOMAINS) it
    is asked in and the consecutive quarters with no red KPI."""

    standard_frequency: ReturnFrequency
    standard_light: bool
    standard_variation_limit_pence: Limit
    earned_frequency: ReturnFrequency
    earned_light: bool
    earned_variation_limit_pence: Limit
    earned_min_level: Level
    earned_domains: Domains
    earned_red_free_quarters: RedFree
    high_frequency: ReturnFrequency
    high_light: bool
    high_variation_limit_pence: Limit
    high_min_level: Level
    high_domains: Domains
    high_red_free_quarters: RedFree


class DomainOut(msgspec.Struct, kw_only=True):
    key: str
    label: str


class TierTermsOut(msgspec.Struct, kw_only=True):
    tier: AutonomyTier
    tier_label: str
    frequency: ReturnFrequency
    frequency_label: str
    light: bool
    variation_limit_pence: int
    min_level: int  # 0 for standard: nothing asked
    domains: list[DomainOut]
    red_free_quarters: int


class AutonomySettingsOut(msgspec.Struct, kw_only=True):
    tiers: list[TierTermsOut]  # standard, earned, high
    is_default: bool  # no national administrator has set them yet
    set_at: datetime | None = None
    set_by_name: str = ""


class TierOverrideIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A commissioner's tier for the vehicle from the next quarter on, until a commissioner lifts it."""

    tier: AutonomyTier
    reason: Annotated[str, msgspec.Meta(max_length=2000)]


class TierLiftIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=2000)]


class RequirementOut(msgspec.Struct, kw_only=True):
    text: str
    met: bool


class TierCheckOut(msgspec.Struct, kw_only=True):
    """One earnable tier, with what it asks and whether the vehicle meets each part today."""

    tier: AutonomyTier
    tier_label: str
    met: bool
    requirements: list[RequirementOut]


class TierDecisionOut(msgspec.Struct, kw_only=True):
    tier: AutonomyTier
    tier_label: str
    effective_label: str  # "Q3 2027-28"
    source: str
    source_label: str
    reason: str
    decided_at: datetime
    decided_by_name: str  # empty: the recompute by the clock


class VehicleAutonomyOut(msgspec.Struct, kw_only=True):
    """A delivery vehicle's tier in force this quarter and the next, why, what it sets, and its history."""

    delivery_vehicle_id: int
    delivery_vehicle: str
    tier: AutonomyTier
    tier_label: str
    tier_tag: str
    quarter_label: str
    next_tier: AutonomyTier
    next_tier_label: str
    next_quarter_label: str
    overridden: bool  # a commissioner's override governs (until lifted)
    earned: AutonomyTier  # what the requirements give today
    earned_label: str
    red_free_quarters: int
    has_levels: bool  # whether any confirmed maturity level is known
    terms: TierTermsOut  # of the tier in force
    checks: list[TierCheckOut]
    history: list[TierDecisionOut]
    can_override: bool
