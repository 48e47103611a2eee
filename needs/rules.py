"""Pure rules of needs and engagement: the kinds of source, collaborative, priority and engagement (with the words a
reader sees for each), what a need's source must say, and that an engagement is about exactly one thing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from core.errors import RuleBroken
from core.i18n import N_


class NeedSource(StrEnum):
    """Where a need comes from (the ACD needs assessment template): the Regional Partnership Board's Population Needs
    Assessment, or local intelligence from a cluster or a professional collaborative."""

    PNA = "pna"
    CLUSTER = "cluster"
    COLLABORATIVE = "collaborative"

    @property
    def label(self) -> str:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS: Mapping[NeedSource, str] = {
    NeedSource.PNA: N_("Regional Partnership Board's Population Needs Assessment"),
    NeedSource.CLUSTER: N_("Local intelligence from a cluster"),
    NeedSource.COLLABORATIVE: N_("Local intelligence from a professional collaborative"),
}


class Collaborative(StrEnum):
    """The professional collaboratives of a cluster (Accelerated Cluster Development)."""

    GP = "gp"
    DENTAL = "dental"
    PHARMACY = "pharmacy"
    OPTOMETRY = "optometry"
    COMMUNITY_NURSING = "community_nursing"
    ALLIED_HEALTH = "allied_health"
    SOCIAL_CARE = "social_care"

    @property
    def label(self) -> str:
        return _COLLABORATIVE_LABELS[self]


_COLLABORATIVE_LABELS: Mapping[Collaborative, str] = {
    Collaborative.GP: N_("GP collaborative"),
    Collaborative.DENTAL: N_("Dental collaborative"),
    Collaborative.PHARMACY: N_("Pharmacy collaborative"),
    Collaborative.OPTOMETRY: N_("Optometry collaborative"),
    Collaborative.COMMUNITY_NURSING: N_("Community nursing collaborative"),
    Collaborative.ALLIED_HEALTH: N_("Allied health professions collaborative"),
    Collaborative.SOCIAL_CARE: N_("Social care collaborative"),
}


class NeedPriority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return _PRIORITY_LABELS[self]

    @property
    def tag(self) -> str:
        return _PRIORITY_TAGS[self]

    @property
    def rank(self) -> int:
        """High first when needs are listed."""
        return _PRIORITY_RANKS[self]


_PRIORITY_LABELS: Mapping[NeedPriority, str] = {
    NeedPriority.HIGH: N_("High priority"),
    NeedPriority.MEDIUM: N_("Medium priority"),
    NeedPriority.LOW: N_("Low priority"),
}
_PRIORITY_TAGS: Mapping[NeedPriority, str] = {
    NeedPriority.HIGH: "nhsuk-tag--red",
    NeedPriority.MEDIUM: "nhsuk-tag--orange",
    NeedPriority.LOW: "nhsuk-tag--grey",
}
_PRIORITY_RANKS: Mapping[NeedPriority, int] = {NeedPriority.HIGH: 1, NeedPriority.MEDIUM: 2, NeedPriority.LOW: 3}


class EngagementKind(StrEnum):
    SURVEY = "survey"
    EVENT = "event"
    FOCUS_GROUP = "focus_group"
    PATIENT_PANEL = "patient_panel"
    LLAIS = "llais_consultation"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS: Mapping[EngagementKind, str] = {
    EngagementKind.SURVEY: N_("Survey"),
    EngagementKind.EVENT: N_("Event"),
    EngagementKind.FOCUS_GROUP: N_("Focus group"),
    EngagementKind.PATIENT_PANEL: N_("Patient panel"),
    # Llais replaced the Community Health Councils in Wales on 1 April 2023 (Health and Social Care (Quality and
    # Engagement) (Wales) Act 2020).
    EngagementKind.LLAIS: N_("Llais (formerly Community Health Council) consultation"),
}

FIRST_PNA_YEAR = 2017
"""The first Population Needs Assessments under the Social Services and Well-being (Wales) Act 2014 were 2017's."""


def source_problems(
    *,
    source: NeedSource,
    pna_title: str,
    pna_year: int | None,
    collaborative: Collaborative | None,
    this_year: int,
) -> dict[str, str]:
    """What the need's source must say: a PNA need names the assessment and its year (from 2017 to this year); a
    collaborative's intelligence names the collaborative. Problems by field, all at once."""
    problems: dict[str, str] = {}
    if source is NeedSource.PNA:
        if not pna_title.strip():
            problems["pna_title"] = N_("Enter the Population Needs Assessment's title")
        if pna_year is None:
            problems["pna_year"] = N_("Enter the year the Population Needs Assessment was published")
        elif not FIRST_PNA_YEAR <= pna_year <= this_year:
            problems["pna_year"] = N_("The year of the Population Needs Assessment must be between 2017 and this year")
    if source is NeedSource.COLLABORATIVE and collaborative is None:
        problems["collaborative"] = N_("Select the professional collaborative")
    return problems


def check_source(
    *, source: NeedSource, pna_title: str, pna_year: int | None, collaborative: Collaborative | None, this_year: int
) -> None:
    problems = source_problems(
        source=source, pna_title=pna_title, pna_year=pna_year, collaborative=collaborative, this_year=this_year
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise RuleBroken(message, field=field, problems=problems)


def kept_source_fields(source: NeedSource) -> set[str]:
    """The fields of the source a need keeps: another source's details are cleared, so none is shown that no longer
    applies."""
    if source is NeedSource.PNA:
        return {"pna_title", "pna_year", "pna_section", "pna_link"}
    if source is NeedSource.COLLABORATIVE:
        return {"collaborative"}
    return set()


class Subject(StrEnum):
    """What an engagement is about: exactly one of these."""

    NEED = "need"
    PLAN_PRIORITY = "plan_priority"
    SPECIFICATION = "specification"


def engagement_subject(
    *, need_id: int | None, plan_priority_id: int | None, specification_id: int | None
) -> tuple[Subject, int]:
    """An engagement is recorded against exactly one need, plan priority or specification (issue 15, item 3)."""
    given = [
        (subject, value)
        for subject, value in (
            (Subject.NEED, need_id),
            (Subject.PLAN_PRIORITY, plan_priority_id),
            (Subject.SPECIFICATION, specification_id),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise RuleBroken(
            "Record the engagement against exactly one need, plan priority or specification", field="need_id"
        )
    return given[0]


def check_held_on(held_on: date, today: date) -> None:
    """Engagement is recorded once it has happened."""
    if held_on > today:
        raise RuleBroken("The date it was held cannot be in the future", field="held_on")


def link_problem(wanted: set[int], allowed: set[int]) -> RuleBroken | None:
    """A need links only to priorities of its own PCPG's plans."""
    if wanted - allowed:
        return RuleBroken("Select priorities from your PCPG's plans", field="plan_priority_ids")
    return None
