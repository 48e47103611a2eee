"""Earned autonomy, a delivery vehicle's "freedom to act" (issue 15, item 5): the tiers, what each asks of a vehicle
and what it lightens, and which tier a vehicle has earned. Pure: values in, values or a refusal out.

A tier is earned from maturity (a minimum confirmed level in named maturity-matrix domains) and performance (no red
KPI in an accepted return for N consecutive quarters). It sets the reporting burden on the vehicle's contracts
(quarterly or half-yearly returns, a full or light return) and the value of a variation the vehicle may agree
without a commissioner's approval. A decision takes effect from the quarter after the one it is made in, so a return
already under way never changes its shape.

Maturity domains are named here by a short stable key, not by the maturity matrix's own rows, so this module stands
without it; the matrix supplies the confirmed levels by these keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.errors import RuleBroken
from core.i18n import N_
from core.periods import FinancialYear


class AutonomyTier(StrEnum):
    """The tiers in rising order of freedom: standard (the default, no requirement), earned and high autonomy."""

    STANDARD = "standard"
    EARNED = "earned"
    HIGH = "high"

    @property
    def label(self) -> str:
        return _TIER_LABELS[self]

    @property
    def tag(self) -> str:
        return _TIER_TAGS[self]

    @property
    def rank(self) -> int:
        return TIERS.index(self)


TIERS: tuple[AutonomyTier, ...] = (AutonomyTier.STANDARD, AutonomyTier.EARNED, AutonomyTier.HIGH)
EARNABLE: tuple[AutonomyTier, ...] = (AutonomyTier.EARNED, AutonomyTier.HIGH)
_TIER_LABELS = {
    AutonomyTier.STANDARD: N_("Standard"),
    AutonomyTier.EARNED: N_("Earned autonomy"),
    AutonomyTier.HIGH: N_("High autonomy"),
}
_TIER_TAGS = {
    AutonomyTier.STANDARD: "nhsuk-tag--grey",
    AutonomyTier.EARNED: "nhsuk-tag--blue",
    AutonomyTier.HIGH: "nhsuk-tag--green",
}


class ReturnFrequency(StrEnum):
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"

    @property
    def label(self) -> str:
        return _FREQUENCY_LABELS[self]


_FREQUENCY_LABELS = {
    ReturnFrequency.QUARTERLY: N_("Quarterly"),
    ReturnFrequency.HALF_YEARLY: N_("Half-yearly"),
}


class TierSource(StrEnum):
    """How a tier came to be: the quarterly recompute by the clock, or a commissioner's override (kept until a
    commissioner lifts it; lifting writes a computed row)."""

    COMPUTED = "computed"
    OVERRIDE = "override"

    @property
    def label(self) -> str:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {
    TierSource.COMPUTED: N_("Worked out each quarter"),
    TierSource.OVERRIDE: N_("Set by a commissioner"),
}

MATURITY_DOMAINS: dict[str, str] = {
    "governance": N_("Governance"),
    "finance": N_("Finance"),
    "workforce": N_("Workforce"),
    "service_delivery": N_("Service delivery"),
    "partnership": N_("Partnership"),
    "data_and_reporting": N_("Data and reporting"),
    "patient_engagement": N_("Patient engagement"),
}
"""The maturity matrix's domains by their stable keys (issue 15, item 4), in the order pages list them."""

MIN_LEVEL, MAX_LEVEL = 1, 4
MAX_RED_FREE_QUARTERS = 20  # five years: further back than any return this service holds for most vehicles
MAX_VARIATION_LIMIT_PENCE = 100_000_000_00  # £100 million


@dataclass(frozen=True)
class TierTerms:
    """What one tier asks (`min_level` in each of `domains`, `red_free_quarters`; none for standard) and what it
    gives (`frequency`, `light` returns, `variation_limit_pence` agreed without a commissioner's approval)."""

    frequency: ReturnFrequency
    light: bool
    variation_limit_pence: int
    min_level: int = 0
    domains: tuple[str, ...] = ()
    red_free_quarters: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "frequency": self.frequency.value,
            "light": self.light,
            "variation_limit_pence": self.variation_limit_pence,
            "min_level": self.min_level,
            "domains": list(self.domains),
            "red_free_quarters": self.red_free_quarters,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> TierTerms:
        return cls(
            frequency=ReturnFrequency(value["frequency"]),
            light=bool(value["light"]),
            variation_limit_pence=int(value["variation_limit_pence"]),
            min_level=int(value.get("min_level", 0)),
            domains=tuple(value.get("domains", ())),
            red_free_quarters=int(value.get("red_free_quarters", 0)),
        )


AutonomySettings = Mapping[AutonomyTier, TierTerms]

_CORE_DOMAINS = ("governance", "finance", "data_and_reporting")
DEFAULT_SETTINGS: dict[AutonomyTier, TierTerms] = {
    AutonomyTier.STANDARD: TierTerms(ReturnFrequency.QUARTERLY, False, 0),
    AutonomyTier.EARNED: TierTerms(ReturnFrequency.QUARTERLY, False, 5_000_00, 3, _CORE_DOMAINS, 4),
    AutonomyTier.HIGH: TierTerms(
        ReturnFrequency.HALF_YEARLY, True, 20_000_00, 4, (*_CORE_DOMAINS, "service_delivery"), 6
    ),
}
"""Until a national administrator sets them: earned autonomy at level 3 in governance, finance and data and
reporting with four red-free quarters; high autonomy at level 4 in those and service delivery with six."""


def settings_from_json(value: Mapping[str, Any]) -> dict[AutonomyTier, TierTerms]:
    return {
        tier: TierTerms.from_json(value[tier.value]) if tier.value in value else DEFAULT_SETTINGS[tier]
        for tier in TIERS
    }


def settings_to_json(settings: AutonomySettings) -> dict[str, Any]:
    return {tier.value: settings[tier].as_json() for tier in TIERS}


def settings_refusal(settings: AutonomySettings) -> RuleBroken | None:
    """Each earnable tier names at least one domain it knows, a level from 1 to 4 and 0 to 20 red-free quarters;
    a limit from £0. High autonomy asks at least what earned autonomy asks (else a vehicle could skip a tier)."""
    for tier in TIERS:
        terms = settings[tier]
        prefix = tier.value
        if not 0 <= terms.variation_limit_pence <= MAX_VARIATION_LIMIT_PENCE:
            return RuleBroken("Enter an amount from £0 to £100,000,000", field=f"{prefix}_variation_limit_pence")
        if tier is AutonomyTier.STANDARD:
            continue
        if not terms.domains:
            return RuleBroken("Select at least one maturity domain", field=f"{prefix}_domains")
        if any(domain not in MATURITY_DOMAINS for domain in terms.domains):
            return RuleBroken("Select maturity domains from the list", field=f"{prefix}_domains")
        if not MIN_LEVEL <= terms.min_level <= MAX_LEVEL:
            return RuleBroken("Enter a maturity level from 1 to 4", field=f"{prefix}_min_level")
        if not 0 <= terms.red_free_quarters <= MAX_RED_FREE_QUARTERS:
            return RuleBroken("Enter a number of quarters from 0 to 20", field=f"{prefix}_red_free_quarters")
    earned, high = settings[AutonomyTier.EARNED], settings[AutonomyTier.HIGH]
    if (
        high.min_level < earned.min_level
        or high.red_free_quarters < earned.red_free_quarters
        or not set(earned.domains) <= set(high.domains)
    ):
        return RuleBroken(
            "High autonomy must ask at least what earned autonomy asks: the same domains or more, the same level or "
            "higher and as many red-free quarters or more",
            field="high_min_level",
        )
    return None


@dataclass(frozen=True)
class Requirement:
    """One thing a tier asks, whether the vehicle meets it, in words a page shows (as a gettext message and its
    parameters, so the reader's language is chosen where it is shown)."""

    message: str
    params: Mapping[str, Any]
    met: bool


def missing_levels(terms: TierTerms, levels: Mapping[str, int]) -> list[str]:
    """The domains (keys) in which the confirmed level is below the tier's minimum; an unconfirmed one counts as
    below."""
    return [domain for domain in terms.domains if levels.get(domain, 0) < terms.min_level]


def meets(terms: TierTerms, levels: Mapping[str, int], red_free_quarters: int) -> bool:
    return not missing_levels(terms, levels) and red_free_quarters >= terms.red_free_quarters


def tier_for(settings: AutonomySettings, levels: Mapping[str, int], red_free_quarters: int) -> AutonomyTier:
    """The highest tier whose requirements are all met; standard asks nothing. A vehicle that meets high autonomy's
    requirements but not earned autonomy's (settings refuse that, but older rows may hold it) gets high: each tier
    is judged on its own terms."""
    for tier in reversed(EARNABLE):
        if meets(settings[tier], levels, red_free_quarters):
            return tier
    return AutonomyTier.STANDARD


def requirements(terms: TierTerms, levels: Mapping[str, int], red_free_quarters: int) -> list[Requirement]:
    """What a tier asks, one line per domain and one for performance, each met or not."""
    lines = [
        Requirement(
            N_("Maturity level %(level)s or higher in %(domain)s (confirmed: %(confirmed)s)")
            if levels.get(domain)
            else N_("Maturity level %(level)s or higher in %(domain)s (no level confirmed yet)"),
            {"level": terms.min_level, "domain": MATURITY_DOMAINS[domain], "confirmed": levels.get(domain, 0)},
            levels.get(domain, 0) >= terms.min_level,
        )
        for domain in terms.domains
    ]
    lines.append(
        Requirement(
            N_("No red KPI in accepted returns for %(needed)s quarters in a row (so far: %(count)s)"),
            {"needed": terms.red_free_quarters, "count": red_free_quarters},
            red_free_quarters >= terms.red_free_quarters,
        )
    )
    return lines


# --- Quarters ---

Quarter = tuple[int, int]
"""(financial year's start year, quarter 1 to 4)."""


def quarter_containing(day: Any) -> Quarter:
    year = FinancialYear.containing(day)
    return (year.start_year, year.quarter_of(day))


def next_quarter(quarter: Quarter) -> Quarter:
    year, number = quarter
    return (year + 1, 1) if number == 4 else (year, number + 1)


def previous_quarter(quarter: Quarter) -> Quarter:
    year, number = quarter
    return (year - 1, 4) if number == 1 else (year, number - 1)


def quarter_label(quarter: Quarter) -> str:
    return f"Q{quarter[1]} {FinancialYear(quarter[0]).label}"


def red_free_quarters(
    last: Quarter, accepted: Iterable[Quarter], red: Iterable[Quarter], *, limit: int = MAX_RED_FREE_QUARTERS
) -> int:
    """How many consecutive quarters, counting back from `last` (the last quarter before today), had an accepted
    return on one of the vehicle's contracts and no red KPI in any accepted return. A quarter with no accepted
    return breaks the run, as a red one does: silence is not evidence of performance. Counted up to `limit`."""
    accepted_set, red_set = set(accepted), set(red)
    count, quarter = 0, last
    while count < limit and quarter in accepted_set and quarter not in red_set:
        count += 1
        quarter = previous_quarter(quarter)
    return count


@dataclass(frozen=True)
class TierDecision:
    """One row of a vehicle's tier history, as the rule reads it."""

    tier: AutonomyTier
    effective: Quarter
    source: TierSource
    order: int = 0  # a later decision on the same quarter wins (the row's id)


def decision_in_force(history: Sequence[TierDecision], quarter: Quarter) -> TierDecision | None:
    """The latest decision effective on or before the quarter; none means the standard tier."""
    found = [row for row in history if row.effective <= quarter]
    return max(found, key=lambda row: (row.effective, row.order)) if found else None


def tier_in_force(history: Sequence[TierDecision], quarter: Quarter) -> AutonomyTier:
    decision = decision_in_force(history, quarter)
    return decision.tier if decision is not None else AutonomyTier.STANDARD


def latest_decision(history: Sequence[TierDecision]) -> TierDecision | None:
    """The decision that governs from now on (the one with the latest effective quarter)."""
    return max(history, key=lambda row: (row.effective, row.order)) if history else None


def recomputed_tier(history: Sequence[TierDecision], deciding: Quarter, earned: AutonomyTier) -> AutonomyTier | None:
    """The quarterly recompute's decision for `deciding` (the next quarter): the tier the vehicle earned, unless a
    commissioner's override governs (it holds until lifted) or the tier it would have is already that one (then
    nothing is written, so running twice changes nothing)."""
    governing = latest_decision(history)
    if governing is not None and governing.source is TierSource.OVERRIDE:
        return None
    if tier_in_force(history, deciding) is earned:
        return None
    return earned


def override_refusal(reason: str) -> RuleBroken | None:
    if not reason.strip():
        return RuleBroken("Give the reason for the tier", field="reason")
    if len(reason.strip()) > 2000:
        return RuleBroken("Give the reason in 2,000 characters or fewer", field="reason")
    return None


def within_variation_limit(change_in_value_pence: int, limit_pence: int) -> bool:
    """Whether a variation the vehicle itself proposes is within what its tier lets it agree: the size of the
    change in the contract's total value, up or down, at most the limit. A limit of £0 agrees nothing."""
    return limit_pence > 0 and abs(change_in_value_pence) <= limit_pence
