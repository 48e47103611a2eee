"""Pure rules of the menu: categories, KPI directions, what makes a valid entry."""

from __future__ import annotations

from core.i18n import N_

CATEGORIES = {
    "prevention_population_health": N_("Prevention and population health"),
    "cancer_early_diagnosis": N_("Early cancer diagnosis"),
    "planned_care_closer_to_home": N_("Planned care closer to home"),
    "urgent_same_day_care": N_("Urgent and same-day care"),
    "frailty_long_term_conditions": N_("Frailty and long-term conditions"),
    "rehabilitation_recovery": N_("Rehabilitation and recovery"),
    "inclusion_health": N_("Inclusion health"),
    "community_wellbeing": N_("Community wellbeing"),
    "medicines_optimisation": N_("Medicines optimisation"),
    "existing_cluster_services": N_("Existing cluster services"),
}
DIRECTIONS = ("higher_is_better", "lower_is_better")
TRANSLATION_STATUSES = ("draft", "reviewed")


def price_range_problem(minimum: int | None, maximum: int | None) -> str | None:
    """Both ends or neither; never negative; the lower end not above the upper."""
    if (minimum is None) != (maximum is None):
        return N_("Give both ends of the price range, or neither")
    if minimum is not None and maximum is not None:
        if minimum < 0 or maximum < 0:
            return N_("Prices cannot be negative")
        if minimum > maximum:
            return N_("The lower price cannot be more than the upper price")
    return None


def is_same_content(current: dict, proposed: dict) -> bool:
    """An edit that changes nothing makes no new version."""
    return current == proposed
