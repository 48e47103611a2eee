"""The confirmed maturity levels that earned autonomy asks for, by vehicle and maturity domain key
(contracts.autonomy_rules.MATURITY_DOMAINS).

Until the maturity matrix (issue 15, item 4) is merged, no vehicle has confirmed levels: this returns none, so the
recompute gives every vehicle the standard tier unless a commissioner overrides it. The matrix will answer here."""

from __future__ import annotations


async def confirmed_levels(vehicle_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each vehicle's confirmed level (1-4) per domain key, from its latest confirmed assessment; a vehicle without
    one is absent."""
    return {}
