"""The confirmed maturity levels that earned autonomy asks for, by vehicle and maturity domain key
(contracts.autonomy_rules.MATURITY_DOMAINS): each vehicle's latest confirmed assessment of the maturity matrix
(issue 15, item 4; maturity.queries.assessments.confirmed_levels), its domains named by their stable keys."""

from __future__ import annotations

from maturity.queries.assessments import confirmed_levels as confirmed_by_domain_id
from maturity.tables import MaturityDomain


async def confirmed_levels(vehicle_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each vehicle's confirmed level (1-4) per domain key, from its latest confirmed assessment; a vehicle without
    one is absent. Two statements."""
    found = await confirmed_by_domain_id(vehicle_ids)
    if not found:
        return {}
    keys = {row["id"]: row["key"] for row in await MaturityDomain.select(MaturityDomain.id, MaturityDomain.key)}
    return {
        vehicle_id: {keys[domain_id]: level for domain_id, level in levels.items() if domain_id in keys}
        for vehicle_id, levels in found.items()
    }
