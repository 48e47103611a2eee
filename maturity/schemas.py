"""Types in and out of the maturity matrix and its assessments, shared by the API and the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from core.bounds import Id
from maturity.rules import AssessmentStatus

Level = Annotated[int, msgspec.Meta(ge=1, le=4)]
Name = Annotated[str, msgspec.Meta(max_length=120)]
Descriptor = Annotated[str, msgspec.Meta(max_length=2000)]
LongText = Annotated[str, msgspec.Meta(max_length=10000)]


class LevelDescriptorOut(msgspec.Struct):
    level: int
    descriptor: str
    descriptor_cy: str
    shown: str  # in the reader's language


class MaturityDomainOut(msgspec.Struct):
    id: int
    position: int
    name: str
    name_cy: str
    name_shown: str
    levels: list[LevelDescriptorOut]


class LevelDescriptorIn(msgspec.Struct, forbid_unknown_fields=True):
    level: Level
    descriptor: Descriptor | UnsetType = UNSET
    descriptor_cy: Descriptor | UnsetType = UNSET


class MaturityDomainIn(msgspec.Struct, forbid_unknown_fields=True):
    """A change to a domain's words: a field or level left out stays as it is; none may be emptied."""

    name: Name | UnsetType = UNSET
    name_cy: Name | UnsetType = UNSET
    levels: list[LevelDescriptorIn] = []


class SelfAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    domain_id: Id
    level: Level | None = None
    evidence: LongText = ""


class SelfAssessmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """The vehicle's answers so far; a domain left out keeps its answer. Submitting needs every one complete."""

    answers: list[SelfAnswerIn] = []


class ReviewerIn(msgspec.Struct, forbid_unknown_fields=True):
    reviewer_id: Id


class ReviewDeclarationIn(msgspec.Struct, forbid_unknown_fields=True):
    conflict: bool
    statement: LongText = ""


class ReviewAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    """The reviewer's level: the self-assessed one to agree, another to propose it (with a comment)."""

    domain_id: Id
    level: Level | None = None
    comment: LongText = ""


class ReviewIn(msgspec.Struct, forbid_unknown_fields=True):
    answers: list[ReviewAnswerIn] = []


class ConfirmAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    domain_id: Id
    level: Level | None = None
    reason: LongText = ""


class ConfirmationIn(msgspec.Struct, forbid_unknown_fields=True):
    answers: list[ConfirmAnswerIn] = []


class AnswerOut(msgspec.Struct):
    domain_id: int
    domain: str  # in the reader's language
    levels: list[LevelDescriptorOut]
    self_level: int | None
    evidence: str
    review_level: int | None
    review_comment: str
    reviewer_agrees: bool | None
    confirmed_level: int | None
    confirmation_reason: str


class AssessmentActions(msgspec.Struct):
    edit_self_assessment: bool = False
    submit: bool = False
    name_reviewer: bool = False
    declare: bool = False
    review: bool = False
    confirm: bool = False


class AssessmentOut(msgspec.Struct):
    id: int
    delivery_vehicle_id: int
    delivery_vehicle: str
    financial_year: int
    year_label: str
    status: AssessmentStatus
    status_label: str
    status_colour: str
    started_at: datetime
    submitted_at: datetime | None
    reviewer_id: int | None
    reviewer_name: str | None
    reviewer_declared: bool
    reviewer_conflict: bool
    reviewed_at: datetime | None
    confirmed_at: datetime | None
    confirmed_by_name: str | None
    answers_shown: bool
    answers: list[AnswerOut]
    actions: AssessmentActions
    reader_is_reviewer: bool = False


class AssessmentSummary(msgspec.Struct):
    id: int
    delivery_vehicle_id: int
    delivery_vehicle: str
    financial_year: int
    year_label: str
    status: AssessmentStatus
    status_label: str
    status_colour: str
    reviewer_name: str | None
    reader_is_reviewer: bool


class ReviewerCandidateOut(msgspec.Struct):
    user_id: int
    name: str
    works_for: str  # the other vehicle's name, or "Commissioner"


class YearLevels(msgspec.Struct):
    financial_year: int
    year_label: str
    levels: list[int | None]  # in the order of `domains`


class VehicleMaturityOut(msgspec.Struct):
    delivery_vehicle_id: int
    delivery_vehicle: str
    domains: list[str]  # in the reader's language, in the matrix's order
    latest: YearLevels | None
    history: list[YearLevels]  # every confirmed year, newest first
