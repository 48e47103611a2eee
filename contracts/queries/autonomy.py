"""Reads of earned autonomy that the contract's schedule needs (issue 15, item 5): the national terms in force, each
vehicle's tier history and, from them, the reporting burden quarter by quarter (returns.services.schedule reads it).
The vehicle's autonomy page, which also needs the returns' KPI results, is returns/autonomy."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from piccolo.querystring import QueryString

from contracts.autonomy_rules import (
    DEFAULT_SETTINGS,
    MATURITY_DOMAINS,
    TIERS,
    AutonomySettings,
    AutonomyTier,
    Quarter,
    TierDecision,
    TierSource,
    TierTerms,
    settings_from_json,
    tier_in_force,
)
from contracts.schemas.autonomy import AutonomySettingsOut, DomainOut, TierTermsOut
from contracts.tables import AutonomySetting, Contract, VehicleTier
from core.i18n import gettext


def _setting_row() -> Any:
    table = AutonomySetting._meta.tablename
    return (
        AutonomySetting.select(
            *AutonomySetting.all_columns(),
            QueryString(
                'COALESCE((SELECT "person"."full_name" FROM "app_user" AS "person" '
                f'WHERE "person"."username" = "{table}"."set_by_username"), "{table}"."set_by_username")'
            ).as_alias("set_by_name"),
        )
        .order_by(AutonomySetting.id, ascending=False)  # the newest set (a training clock may go back)
        .first()
    )


async def terms_in_force() -> dict[AutonomyTier, TierTerms]:
    """The newest national setting, or the defaults (contracts.autonomy_rules) until one is set."""
    row = await AutonomySetting.select(AutonomySetting.terms).order_by(AutonomySetting.id, ascending=False).first()
    if row is None:
        return dict(DEFAULT_SETTINGS)
    terms = row["terms"]
    if isinstance(terms, str):
        terms = json.loads(terms)
    return settings_from_json(terms)


def terms_out(tier: AutonomyTier, terms: TierTerms) -> TierTermsOut:
    return TierTermsOut(
        tier=tier,
        tier_label=gettext(tier.label),
        frequency=terms.frequency,
        frequency_label=gettext(terms.frequency.label),
        light=terms.light,
        variation_limit_pence=terms.variation_limit_pence,
        min_level=terms.min_level,
        domains=[  # in the matrix's order
            DomainOut(key=key, label=gettext(label)) for key, label in MATURITY_DOMAINS.items() if key in terms.domains
        ],
        red_free_quarters=terms.red_free_quarters,
    )


async def settings_in_force() -> AutonomySettingsOut:
    row = await _setting_row()
    settings: AutonomySettings = await terms_in_force()
    return AutonomySettingsOut(
        tiers=[terms_out(tier, settings[tier]) for tier in TIERS],
        is_default=row is None,
        set_at=row["set_at"] if row else None,
        set_by_name=(row["set_by_name"] or "") if row else "",
    )


async def tier_histories(vehicle_ids: Sequence[int]) -> dict[int, list[TierDecision]]:
    """Each vehicle's tier decisions, in one statement."""
    if not vehicle_ids:
        return {}
    rows = await VehicleTier.select(
        VehicleTier.id,
        VehicleTier.delivery_vehicle,
        VehicleTier.tier,
        VehicleTier.financial_year,
        VehicleTier.quarter,
        VehicleTier.source,
    ).where(VehicleTier.delivery_vehicle.is_in(list(vehicle_ids)))
    histories: dict[int, list[TierDecision]] = {vehicle: [] for vehicle in vehicle_ids}
    for row in rows:
        histories.setdefault(row["delivery_vehicle"], []).append(
            TierDecision(
                AutonomyTier(row["tier"]),
                (int(row["financial_year"]), int(row["quarter"])),
                TierSource(row["source"]),
                int(row["id"]),
            )
        )
    return histories


async def contract_burden(contract_id: int) -> Any:
    """The reporting burden of a contract quarter by quarter, as contracts.rules.return_schedule takes it: the
    frequency and lightness of the tier its vehicle has in force for each quarter (terms as now in force)."""
    contract = await Contract.select(Contract.delivery_vehicle).where(Contract.id == contract_id).first()
    if contract is None:
        return None
    history = (await tier_histories([contract["delivery_vehicle"]]))[contract["delivery_vehicle"]]
    settings = await terms_in_force()
    standard = settings[AutonomyTier.STANDARD]
    if not history and standard.frequency.value == "quarterly" and not standard.light:
        return None  # standard throughout: quarterly and full, as before autonomy existed

    def burden(quarter: Quarter) -> tuple[str, bool]:
        terms = settings[tier_in_force(history, quarter)]
        return terms.frequency.value, terms.light

    return burden


async def variation_limit(vehicle_id: int, quarter: Quarter) -> int:
    """What the vehicle may agree alone: its tier's variation limit in the quarter, in pence (two statements)."""
    history = (await tier_histories([vehicle_id])).get(vehicle_id, [])
    return (await terms_in_force())[tier_in_force(history, quarter)].variation_limit_pence
