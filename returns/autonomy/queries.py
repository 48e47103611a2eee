"""The delivery vehicle's autonomy page and API (issue 15, item 5): the tier in force this quarter and the next,
whether an override holds it, what each tier asks and whether the vehicle meets it, and the history, newest first.
Scoped as the vehicle itself is (organisations.queries.scope_condition): out of scope answers as absent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.actor import Actor, Role
from accounts.queries import full_names
from contracts import autonomy_rules as rules
from contracts.autonomy_rules import EARNABLE, AutonomyTier, TierSource
from contracts.queries.autonomy import terms_in_force, terms_out
from contracts.schemas.autonomy import (
    RequirementOut,
    TierCheckOut,
    TierDecisionOut,
    VehicleAutonomyOut,
)
from contracts.tables import VehicleTier
from core.clock import london_day
from core.errors import NotFound
from core.i18n import N_, gettext
from core.periods import FinancialYear
from organisations.queries import scope_condition
from organisations.tables import DeliveryVehicle
from returns.autonomy.levels import confirmed_levels
from returns.autonomy.performance import red_free_by_vehicle


async def _vehicle(actor: Actor, vehicle_id: int) -> dict[str, Any]:
    if not 0 < vehicle_id < 2**63:
        raise NotFound("No such delivery vehicle")
    query = DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(DeliveryVehicle.id == vehicle_id)
    condition = scope_condition(actor)
    row = await (query if condition is None else query.where(condition)).first()
    if row is None:
        raise NotFound("No such delivery vehicle")
    return dict(row)


def quarter_words(quarter: rules.Quarter) -> str:
    return gettext(N_("Q%(quarter)s %(year)s"), quarter=quarter[1], year=FinancialYear(quarter[0]).label)


def _source_label(source: str, decided_by: str) -> str:
    """An override lifted is a computed row a person wrote; say so."""
    if TierSource(source) is TierSource.COMPUTED and decided_by:
        return gettext(N_("Override lifted"))
    return gettext(TierSource(source).label)


def can_override(actor: Actor) -> bool:
    """A commissioner (the scope already limits them to vehicles serving their PCPGs) or a national administrator."""
    return actor.role in (Role.COMMISSIONER, Role.NATIONAL_ADMIN)


async def get_vehicle_autonomy(*, actor: Actor, delivery_vehicle_id: int, now: datetime) -> VehicleAutonomyOut:
    vehicle = await _vehicle(actor, delivery_vehicle_id)
    current = rules.quarter_containing(london_day(now))
    last, following = rules.previous_quarter(current), rules.next_quarter(current)
    rows = await (
        VehicleTier.select()
        .where(VehicleTier.delivery_vehicle == delivery_vehicle_id)
        .order_by(VehicleTier.financial_year, ascending=False)
        .order_by(VehicleTier.quarter, ascending=False)
        .order_by(VehicleTier.id, ascending=False)
    )
    history = [
        rules.TierDecision(
            AutonomyTier(row["tier"]),
            (int(row["financial_year"]), int(row["quarter"])),
            TierSource(row["source"]),
            int(row["id"]),
        )
        for row in rows
    ]
    settings = await terms_in_force()
    levels = (await confirmed_levels([delivery_vehicle_id])).get(delivery_vehicle_id, {})
    red_free = (await red_free_by_vehicle([delivery_vehicle_id], last)).get(delivery_vehicle_id, 0)
    tier = rules.tier_in_force(history, current)
    next_tier = rules.tier_in_force(history, following)
    governing = rules.latest_decision(history)
    earned = rules.tier_for(settings, levels, red_free)
    names = await full_names([row["decided_by_username"] for row in rows])
    checks = [
        TierCheckOut(
            tier=check,
            tier_label=gettext(check.label),
            met=rules.meets(settings[check], levels, red_free),
            requirements=[
                RequirementOut(text=gettext(line.message, **line.params), met=line.met)
                for line in rules.requirements(settings[check], levels, red_free)
            ],
        )
        for check in EARNABLE
    ]
    return VehicleAutonomyOut(
        delivery_vehicle_id=delivery_vehicle_id,
        delivery_vehicle=vehicle["name"],
        tier=tier,
        tier_label=gettext(tier.label),
        tier_tag=tier.tag,
        quarter_label=quarter_words(current),
        next_tier=next_tier,
        next_tier_label=gettext(next_tier.label),
        next_quarter_label=quarter_words(following),
        overridden=governing is not None and governing.source is TierSource.OVERRIDE,
        earned=earned,
        earned_label=gettext(earned.label),
        red_free_quarters=red_free,
        has_levels=bool(levels),
        terms=terms_out(tier, settings[tier]),
        checks=checks,
        history=[
            TierDecisionOut(
                tier=AutonomyTier(row["tier"]),
                tier_label=gettext(AutonomyTier(row["tier"]).label),
                effective_label=quarter_words((int(row["financial_year"]), int(row["quarter"]))),
                source=row["source"],
                source_label=_source_label(row["source"], row["decided_by_username"]),
                reason=row["reason"],
                decided_at=row["decided_at"],
                decided_by_name=names.get(row["decided_by_username"], row["decided_by_username"]),
            )
            for row in rows
        ],
        can_override=can_override(actor),
    )
