"""Demo data for earned autonomy (issue 15, item 5): the demo's delivery vehicles in different tiers. No maturity
levels are confirmed yet (returns.autonomy.levels), so the tiers are a commissioner's overrides with a reason, made a
quarter ago so that they are in force this quarter; a vehicle left alone has the standard tier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from accounts.actor import Actor
from accounts.queries import actor_for_user
from accounts.tables import User
from contracts.autonomy_rules import AutonomyTier
from contracts.tables import VehicleTier
from returns.autonomy.services import set_tier_override

DEMO_TIERS = (
    (
        "provider",
        AutonomyTier.HIGH,
        "Demo: a strong governance review and a long record with the health board before this service; reporting "
        "half-yearly while its maturity assessment catches up",
    ),
    (
        "provider2",
        AutonomyTier.EARNED,
        "Demo: sound governance and finance, on the health board's own review",
    ),
)
"""By the username of one of the vehicle's users: the tier a Cardiff commissioner set, and why."""


async def _actor(username: str) -> Actor | None:
    row = await User.select(User.id).where(User.username == username).first()
    return await actor_for_user(row["id"]) if row is not None else None


async def make_autonomy_demo() -> None:
    """Once: a vehicle that already has a tier means this part has run, and it adds nothing."""
    if await VehicleTier.exists():
        return
    commissioner = await _actor("commissioner")
    if commissioner is None:
        return
    a_quarter_ago = datetime.now(UTC) - timedelta(days=92)  # decided last quarter: in force this quarter
    for username, tier, reason in DEMO_TIERS:
        provider = await _actor(username)
        if provider is None or provider.delivery_vehicle_id is None:
            continue
        await set_tier_override(
            actor=commissioner,
            delivery_vehicle_id=provider.delivery_vehicle_id,
            tier=tier,
            reason=reason,
            now=a_quarter_ago,
        )
