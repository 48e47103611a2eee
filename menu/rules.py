"""Pure rules of the menu: categories, KPI directions, what makes a valid entry."""

from __future__ import annotations

from accounts.actor import Actor, Role
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
# The units the national menu's KPIs are counted in (menu/data/menu-kpis.csv has no Welsh column for them), in the
# catalogue so that Welsh pages read them in Welsh. A unit typed by an administrator outside this list reads as typed.
KPI_UNITS = {
    "%": "%",
    "count": N_("count"),
    "days": N_("days"),
    "working days": N_("working days"),
    "weeks": N_("weeks"),
    "people per WTE": N_("people per WTE"),
    "rate per 1,000": N_("rate per 1,000"),
    "rate per 1,000 beds": N_("rate per 1,000 beds"),
    "rate per 1,000 caseload": N_("rate per 1,000 caseload"),
    "score 0-5": N_("score 0-5"),
}
TRANSLATION_STATUSES = ("draft", "reviewed")


def unit_label(unit: str) -> str | None:
    """The catalogue entry for a KPI's unit, or None for a unit of its own (shown as it was typed)."""
    return KPI_UNITS.get(unit.strip())


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


def can_edit_menu(actor: Actor | None) -> bool:
    """The menu is national: only a national administrator adds to it, edits or retires a service."""
    return actor is not None and actor.role is Role.NATIONAL_ADMIN


def can_change_service(actor: Actor | None, *, retired: bool, version: int, current_version: int) -> bool:
    """Edit and retire are offered on the current version of a service still on the menu."""
    return can_edit_menu(actor) and not retired and version == current_version


def is_latest_version(version: int, current_version: int) -> bool:
    return version == current_version


def shows_welsh_draft_notice(language: str, translation_status: str) -> bool:
    """A Welsh reader is told when the Welsh text has not yet been reviewed by a translator."""
    return language == "cy" and translation_status == "draft"


SOURCE_SEPARATOR = " ; "  # how the national menu's CSV lists several sources in one field


def source_list(text: str) -> list[str]:
    """The sources in a stored field, one each (a page lists them, a form shows one per line)."""
    return [part.strip() for part in text.split(SOURCE_SEPARATOR) if part.strip()]


def normalised_sources(text: str) -> str:
    """Sources typed one per line, or separated as the national menu's CSV separates them, stored the CSV's way:
    blanks and repeats dropped, the order kept."""
    seen: list[str] = []
    for line in text.splitlines():
        for part in source_list(line):
            if part not in seen:
                seen.append(part)
    return SOURCE_SEPARATOR.join(seen)
