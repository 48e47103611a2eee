"""Setting the national terms of earned autonomy (issue 15, item 5): a national administrator's, audited; each
setting is a new row and the newest is in force (as the viability thresholds). New terms shape the returns scheduled
from then on; a return already under way keeps its shape (returns.services.schedule)."""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor, Role
from audit.operation import operation
from contracts import autonomy_rules as rules
from contracts.autonomy_rules import AutonomyTier, TierTerms
from contracts.queries import autonomy as queries
from contracts.schemas.autonomy import AutonomySettingsIn, AutonomySettingsOut
from contracts.tables import AutonomySetting
from core.db import serialise
from core.errors import NotAllowed

_SETTING_LOCK_KEY = 7_245_315  # settings one at a time, so each records the one it replaced


def settings_from_input(data: AutonomySettingsIn) -> dict[AutonomyTier, TierTerms]:
    """The form's flat answers as terms by tier; domains in the matrix's order, each once. Standard asks nothing."""

    def domains(keys: list[str]) -> tuple[str, ...]:
        known = [key for key in rules.MATURITY_DOMAINS if key in keys]
        return tuple(known + sorted({key for key in keys if key not in rules.MATURITY_DOMAINS}))

    return {
        AutonomyTier.STANDARD: TierTerms(
            data.standard_frequency, data.standard_light, data.standard_variation_limit_pence
        ),
        AutonomyTier.EARNED: TierTerms(
            data.earned_frequency,
            data.earned_light,
            data.earned_variation_limit_pence,
            data.earned_min_level,
            domains(data.earned_domains),
            data.earned_red_free_quarters,
        ),
        AutonomyTier.HIGH: TierTerms(
            data.high_frequency,
            data.high_light,
            data.high_variation_limit_pence,
            data.high_min_level,
            domains(data.high_domains),
            data.high_red_free_quarters,
        ),
    }


def check_settings(data: AutonomySettingsIn) -> dict[AutonomyTier, TierTerms]:
    settings = settings_from_input(data)
    refusal = rules.settings_refusal(settings)
    if refusal is not None:
        raise refusal
    return settings


async def set_autonomy_settings(*, actor: Actor, data: AutonomySettingsIn, now: datetime) -> AutonomySettingsOut:
    if actor.role is not Role.NATIONAL_ADMIN:
        raise NotAllowed("Only a national administrator sets the terms of earned autonomy")
    settings = check_settings(data)
    async with operation("autonomy.settings_set", actor=actor, now=now) as op:
        await serialise(_SETTING_LOCK_KEY)
        before = await queries.terms_in_force()
        row = AutonomySetting(terms=rules.settings_to_json(settings), set_at=now, set_by_username=actor.username)
        await row.save()
        op.record(
            "AutonomySetting", row.id, before=rules.settings_to_json(before), after=rules.settings_to_json(settings)
        )
    return await queries.settings_in_force()
