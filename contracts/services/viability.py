"""Setting the national viability thresholds (issue 12, item 7): a national administrator's, audited; each setting
is a new row and the newest is in force, so the trail and the table both keep what was in force when."""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor, Role
from audit.operation import operation
from contracts import rules
from contracts.queries import viability as queries
from contracts.schemas.viability import ViabilityThresholdsOut
from contracts.tables import ViabilitySetting
from core.db import serialise
from core.errors import NotAllowed

_SETTING_LOCK_KEY = 7_245_301  # settings one at a time, so each records the one it replaced


async def set_viability_thresholds(
    *, actor: Actor, min_live_services: int, min_annual_value_pence: int, now: datetime
) -> ViabilityThresholdsOut:
    if actor.role is not Role.NATIONAL_ADMIN:
        raise NotAllowed("Only a national administrator sets the viability thresholds")
    refusal = rules.thresholds_refusal(min_services=min_live_services, min_value_pence=min_annual_value_pence)
    if refusal is not None:
        raise refusal
    async with operation("viability.thresholds_set", actor=actor, now=now) as op:
        await serialise(_SETTING_LOCK_KEY)
        before = await queries.thresholds_in_force()
        row = ViabilitySetting(
            min_live_services=min_live_services,
            min_annual_value_pence=min_annual_value_pence,
            set_at=now,
            set_by_username=actor.username,
        )
        await row.save()
        op.record(
            "ViabilitySetting",
            row.id,
            before={
                "min_live_services": before.min_live_services,
                "min_annual_value_pence": before.min_annual_value_pence,
                "default": before.is_default,
            },
            after={"min_live_services": min_live_services, "min_annual_value_pence": min_annual_value_pence},
        )
    return await queries.thresholds_in_force()
