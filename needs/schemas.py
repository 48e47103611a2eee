"""Types in and out of needs and engagements, shared by the API and the pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from core.bounds import Id
from needs.rules import Collaborative, EngagementKind, NeedPriority, NeedSource

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
WelshTitle = Annotated[str, msgspec.Meta(max_length=200)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=10000)]
OptionalText = Annotated[str, msgspec.Meta(max_length=10000)]
Short = Annotated[str, msgspec.Meta(max_length=300)]
Link = Annotated[str, msgspec.Meta(max_length=500, pattern="^(https?://\\S+)?$")]
People = Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]
Year = Annotated[int, msgspec.Meta(ge=2000, le=2100)]


class NeedIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pcpg_id: Id
    title: Title
    description: Text
    source: NeedSource
    cluster_ids: list[Id]
    priority: NeedPriority
    title_cy: WelshTitle = ""
    description_cy: OptionalText = ""
    pna_title: Short = ""
    pna_year: Year | None = None
    pna_section: Annotated[str, msgspec.Meta(max_length=200)] = ""
    pna_link: Link = ""
    collaborative: Collaborative | None = None
    population_affected: People | None = None
    evidence: OptionalText = ""
    evidence_source: OptionalText = ""


class NeedChangeIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A change to a need: only the fields given change (its PCPG never does)."""

    title: Title | UnsetType = UNSET
    title_cy: WelshTitle | UnsetType = UNSET
    description: Text | UnsetType = UNSET
    description_cy: OptionalText | UnsetType = UNSET
    source: NeedSource | UnsetType = UNSET
    cluster_ids: list[Id] | UnsetType = UNSET
    priority: NeedPriority | UnsetType = UNSET
    pna_title: Short | UnsetType = UNSET
    pna_year: Year | UnsetType | None = UNSET
    pna_section: Annotated[str, msgspec.Meta(max_length=200)] | UnsetType = UNSET
    pna_link: Link | UnsetType = UNSET
    collaborative: Collaborative | UnsetType | None = UNSET
    population_affected: People | UnsetType | None = UNSET
    evidence: OptionalText | UnsetType = UNSET
    evidence_source: OptionalText | UnsetType = UNSET


class NeedPrioritiesIn(msgspec.Struct, forbid_unknown_fields=True):
    """The plan priorities that answer the need: the whole set (an empty list unlinks them all)."""

    plan_priority_ids: list[Id] = []


class ClusterRef(msgspec.Struct):
    id: int
    name: str
    name_shown: str


class PriorityRef(msgspec.Struct):
    """A plan priority as a need's page names it."""

    id: int
    title: str
    title_cy: str
    plan_id: int
    plan_title: str
    plan_title_cy: str


class NeedSummary(msgspec.Struct):
    id: int
    pcpg_id: int
    pcpg: str
    title: str
    title_cy: str
    source: NeedSource
    source_label: str
    collaborative: Collaborative | None
    collaborative_label: str
    priority: NeedPriority
    priority_label: str
    priority_tag: str
    population_affected: int | None
    plan_priority_count: int


class NeedOut(msgspec.Struct):
    id: int
    pcpg_id: int
    pcpg: str
    title: str
    title_cy: str
    description: str
    description_cy: str
    source: NeedSource
    source_label: str
    pna_title: str
    pna_year: int | None
    pna_section: str
    pna_link: str
    collaborative: Collaborative | None
    collaborative_label: str
    population_affected: int | None
    evidence: str
    evidence_source: str
    priority: NeedPriority
    priority_label: str
    priority_tag: str
    clusters: list[ClusterRef]
    plan_priorities: list[PriorityRef]
    can_change: bool


class NeedLinks(msgspec.Struct):
    """A need with the plan priorities answering it: the first link of the line of sight."""

    id: int
    pcpg_id: int
    title: str
    title_cy: str
    priority: NeedPriority
    source: NeedSource
    population_affected: int | None
    plan_priority_ids: list[int]


class EngagementIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Exactly one of need_id, plan_priority_id and specification_id names what the engagement is about."""

    kind: EngagementKind
    held_on: date
    people_reached: People
    what_they_said: Text
    what_changed: Text
    need_id: Id | None = None
    plan_priority_id: Id | None = None
    specification_id: Id | None = None
    groups_reached: OptionalText = ""
    groups_reached_cy: OptionalText = ""
    what_they_said_cy: OptionalText = ""
    what_changed_cy: OptionalText = ""


class EngagementChangeIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A change to an engagement: only the fields given change (what it is about never does)."""

    kind: EngagementKind | UnsetType = UNSET
    held_on: date | UnsetType = UNSET
    people_reached: People | UnsetType = UNSET
    what_they_said: Text | UnsetType = UNSET
    what_changed: Text | UnsetType = UNSET
    groups_reached: OptionalText | UnsetType = UNSET
    groups_reached_cy: OptionalText | UnsetType = UNSET
    what_they_said_cy: OptionalText | UnsetType = UNSET
    what_changed_cy: OptionalText | UnsetType = UNSET


class EngagementOut(msgspec.Struct):
    """An engagement as published: counts and groups, never a person (no one who took part, nor who recorded it)."""

    id: int
    pcpg_id: int
    kind: EngagementKind
    kind_label: str
    held_on: date
    people_reached: int
    groups_reached: str
    groups_reached_cy: str
    what_they_said: str
    what_they_said_cy: str
    what_changed: str
    what_changed_cy: str
    need_id: int | None
    plan_priority_id: int | None
    specification_id: int | None
    about: str
    """What it is about, in words: the need's or priority's title, or the specification's reference."""
    can_change: bool = False
