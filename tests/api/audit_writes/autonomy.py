"""Writes of earned autonomy (issue 15, item 5): the national terms (API and page), a commissioner's override of a
vehicle's tier and its lifting (API and page)."""

from __future__ import annotations

from functools import partial

from contracts.autonomy_rules import AutonomyTier
from returns.autonomy.services import set_tier_override
from tests import returns_support_autonomy as rs
from tests.api.audit_writes import Arrange, Users, Write, form

TERMS = {
    "standard_frequency": "quarterly",
    "standard_light": False,
    "standard_variation_limit_pence": 0,
    "earned_frequency": "quarterly",
    "earned_light": False,
    "earned_variation_limit_pence": 2_500_00,
    "earned_min_level": 2,
    "earned_domains": ["governance"],
    "earned_red_free_quarters": 2,
    "high_frequency": "half_yearly",
    "high_light": True,
    "high_variation_limit_pence": 10_000_00,
    "high_min_level": 3,
    "high_domains": ["governance", "finance"],
    "high_red_free_quarters": 4,
}


def terms_form() -> dict[str, object]:
    """TERMS as the settings page posts them."""
    posted: dict[str, object] = {}
    for key, value in TERMS.items():
        if key.endswith("_variation_limit_pence"):
            posted[key.removesuffix("_pence")] = str(int(value) // 100)  # type: ignore[call-overload]
        elif key.endswith("_light"):
            posted[key] = "yes" if value else "no"
        else:
            posted[key] = value if isinstance(value, list) else str(value)
    return posted


async def _set(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    return Write(partial(http.put, "/api/v1/autonomy/settings", json=TERMS), "autonomy.settings_set", actor.username)


async def _set_page(users: Users) -> Write:
    http, actor = await users.new("national_admin")
    data = await form(http, **terms_form(), confirm="yes")
    return Write(partial(http.post, "/autonomy/settings", data=data), "autonomy.settings_set", actor.username)


async def _override(users: Users) -> Write:
    v = await rs.vehicle("override-api")
    http = await users.client(v.commissioner)
    body = {"tier": "high", "reason": "Strong governance at the annual review"}
    return Write(
        partial(http.put, f"/api/v1/delivery-vehicles/{v.id}/autonomy/override", json=body),
        "autonomy.tier_overridden",
        v.commissioner.username,
    )


async def _override_page(users: Users) -> Write:
    v = await rs.vehicle("override-page")
    http = await users.client(v.commissioner)
    data = await form(http, tier="earned", reason="Strong governance", confirm="yes")
    return Write(
        partial(http.post, f"/delivery-vehicles/{v.id}/autonomy/override", data=data),
        "autonomy.tier_overridden",
        v.commissioner.username,
    )


async def _overridden(name: str) -> rs.Vehicle:
    v = await rs.vehicle(name)
    await set_tier_override(
        actor=v.commissioner, delivery_vehicle_id=v.id, tier=AutonomyTier.HIGH, reason="Review", now=rs.IN_Q1
    )
    return v


async def _lift(users: Users) -> Write:
    v = await _overridden("lift-api")
    http = await users.client(v.commissioner)
    return Write(
        partial(http.post, f"/api/v1/delivery-vehicles/{v.id}/autonomy/override/lift", json={"reason": "Done"}),
        "autonomy.override_lifted",
        v.commissioner.username,
    )


async def _lift_page(users: Users) -> Write:
    v = await _overridden("lift-page")
    http = await users.client(v.commissioner)
    data = await form(http, lift_reason="Review over")
    return Write(
        partial(http.post, f"/delivery-vehicles/{v.id}/autonomy/lift", data=data),
        "autonomy.override_lifted",
        v.commissioner.username,
    )


WRITES: dict[tuple[str, str], Arrange] = {
    ("PUT", "/api/v1/autonomy/settings"): _set,
    ("POST", "/autonomy/settings"): _set_page,
    ("PUT", "/api/v1/delivery-vehicles/{delivery_vehicle_id:int}/autonomy/override"): _override,
    ("POST", "/delivery-vehicles/{delivery_vehicle_id:int}/autonomy/override"): _override_page,
    ("POST", "/api/v1/delivery-vehicles/{delivery_vehicle_id:int}/autonomy/override/lift"): _lift,
    ("POST", "/delivery-vehicles/{delivery_vehicle_id:int}/autonomy/lift"): _lift_page,
}
