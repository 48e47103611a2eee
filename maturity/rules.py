"""Rules of the maturity matrix and its yearly assessment: the lifecycle, who may review and confirm, and when an
answer is complete. Pure: values in, decisions or RuleBroken out (issue 15, item 4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from accounts.actor import Role
from core.errors import Conflict, RuleBroken
from core.i18n import N_, gettext

LEVELS: tuple[int, ...] = (1, 2, 3, 4)


class AssessmentStatus(StrEnum):
    """Draft (the vehicle is answering), submitted (waiting for a peer reviewer), under peer review, reviewed
    (waiting for the commissioner) and confirmed (final)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_PEER_REVIEW = "under_peer_review"
    REVIEWED = "reviewed"
    CONFIRMED = "confirmed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def colour(self) -> str:
        """The NHS.UK tag colour that shows it (the label says it in words, so colour is never the only cue)."""
        return _STATUS_COLOURS[self]


_STATUS_LABELS = {
    AssessmentStatus.DRAFT: N_("Draft"),
    AssessmentStatus.SUBMITTED: N_("Submitted"),
    AssessmentStatus.UNDER_PEER_REVIEW: N_("Under peer review"),
    AssessmentStatus.REVIEWED: N_("Reviewed"),
    AssessmentStatus.CONFIRMED: N_("Confirmed"),
}
_STATUS_COLOURS = {
    AssessmentStatus.DRAFT: "grey",
    AssessmentStatus.SUBMITTED: "blue",
    AssessmentStatus.UNDER_PEER_REVIEW: "purple",
    AssessmentStatus.REVIEWED: "yellow",
    AssessmentStatus.CONFIRMED: "green",
}

MOVES: dict[AssessmentStatus, frozenset[AssessmentStatus]] = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.SUBMITTED}),
    AssessmentStatus.SUBMITTED: frozenset({AssessmentStatus.UNDER_PEER_REVIEW}),
    # A reviewer who declares a conflict is replaced: naming another keeps it under peer review.
    AssessmentStatus.UNDER_PEER_REVIEW: frozenset({AssessmentStatus.UNDER_PEER_REVIEW, AssessmentStatus.REVIEWED}),
    AssessmentStatus.REVIEWED: frozenset({AssessmentStatus.CONFIRMED}),
    AssessmentStatus.CONFIRMED: frozenset(),
}


def check_move(current: AssessmentStatus, to: AssessmentStatus) -> None:
    """The lifecycle's table of moves; a confirmed assessment is final."""
    if to not in MOVES[current]:
        raise Conflict("This cannot be done while the assessment is %(status)s", status=current)


def level_field(domain_id: int) -> str:
    """The name a domain's level goes by, in the API's problems and as the page's input."""
    return f"level-{domain_id}"


def text_field(kind: str, domain_id: int) -> str:
    return f"{kind}-{domain_id}"


ENTER_A_LEVEL = N_("Choose a level from 1 to 4 for %(domain)s")
ENTER_EVIDENCE = N_("Give the evidence for %(domain)s")
ENTER_COMMENT = N_("Say why you propose a different level for %(domain)s")
ENTER_REASON = N_("Give the reason you differ from the peer reviewer on %(domain)s")
NOT_A_LEVEL = N_("A level is 1, 2, 3 or 4")


def _is_level(value: int | None) -> bool:
    return value in LEVELS


def self_assessment_problems(
    domains: Mapping[int, str], answers: Mapping[int, tuple[int | None, str]], *, complete: bool
) -> dict[str, str]:
    """What stops a self-assessment, field by field, in the reader's language. A draft may leave domains
    unanswered; a submission needs a level and evidence for every domain of the matrix. `domains` maps each domain
    to its name as the reader reads it."""
    problems: dict[str, str] = {}
    for domain_id, name in domains.items():
        level, evidence = answers.get(domain_id, (None, ""))
        if level is not None and not _is_level(level):
            problems[level_field(domain_id)] = gettext(NOT_A_LEVEL)
        elif complete and level is None:
            problems[level_field(domain_id)] = gettext(ENTER_A_LEVEL, domain=name)
        if complete and not evidence.strip():
            problems[text_field("evidence", domain_id)] = gettext(ENTER_EVIDENCE, domain=name)
    return problems


def review_problems(
    domains: Mapping[int, str],
    self_levels: Mapping[int, int | None],
    answers: Mapping[int, tuple[int | None, str]],
    *,
    complete: bool,
) -> dict[str, str]:
    """A reviewer agrees with the self-assessed level or proposes another; a different level needs a comment."""
    problems: dict[str, str] = {}
    for domain_id, name in domains.items():
        level, comment = answers.get(domain_id, (None, ""))
        if level is not None and not _is_level(level):
            problems[level_field(domain_id)] = gettext(NOT_A_LEVEL)
        elif complete and level is None:
            problems[level_field(domain_id)] = gettext(ENTER_A_LEVEL, domain=name)
        elif level is not None and level != self_levels.get(domain_id) and not comment.strip():
            problems[text_field("comment", domain_id)] = gettext(ENTER_COMMENT, domain=name)
    return problems


def confirmation_problems(
    domains: Mapping[int, str],
    review_levels: Mapping[int, int | None],
    answers: Mapping[int, tuple[int | None, str]],
) -> dict[str, str]:
    """The commissioner confirms a level per domain: the reviewer's, or their own with a reason when it differs."""
    problems: dict[str, str] = {}
    for domain_id, name in domains.items():
        level, reason = answers.get(domain_id, (None, ""))
        if level is None:
            problems[level_field(domain_id)] = gettext(ENTER_A_LEVEL, domain=name)
        elif not _is_level(level):
            problems[level_field(domain_id)] = gettext(NOT_A_LEVEL)
        elif level != review_levels.get(domain_id) and not reason.strip():
            problems[text_field("reason", domain_id)] = gettext(ENTER_REASON, domain=name)
    return problems


def refuse_if_any(problems: Mapping[str, str], message: str) -> None:
    """Every problem at once, each on its field (the API lists them, the page's error summary links them)."""
    if problems:
        raise RuleBroken(message, field=next(iter(problems)), problems=dict(problems))


def is_commissioner_of(role: Role | None, actor_pcpg_ids: Iterable[int], vehicle_pcpg_ids: Iterable[int]) -> bool:
    return role is Role.COMMISSIONER and bool(set(actor_pcpg_ids) & set(vehicle_pcpg_ids))


def can_self_assess(role: Role | None, actor_vehicle_id: int | None, vehicle_id: int) -> bool:
    """A delivery vehicle assesses itself: only its own users."""
    return role is Role.PROVIDER and actor_vehicle_id is not None and actor_vehicle_id == vehicle_id


def can_name_reviewer(role: Role | None, actor_pcpg_ids: Iterable[int], vehicle_pcpg_ids: Iterable[int]) -> bool:
    """A commissioner of a PCPG where the vehicle works, or a national administrator."""
    return role is Role.NATIONAL_ADMIN or is_commissioner_of(role, actor_pcpg_ids, vehicle_pcpg_ids)


NOT_A_PEER = N_(
    "Choose a user from another delivery vehicle or a commissioner of another PCPG, who has not declared a conflict"
)


def is_eligible_reviewer(
    *,
    role: Role | None,
    active: bool,
    reviewer_vehicle_id: int | None,
    reviewer_pcpg_ids: Iterable[int],
    vehicle_id: int,
    vehicle_pcpg_ids: Iterable[int],
    declared_conflict: bool = False,
) -> bool:
    """A peer is a user of ANOTHER delivery vehicle, or a commissioner of ANOTHER PCPG (none of the PCPGs the vehicle
    works in): someone who knows the work but has no stake in the result. One who declared a conflict on this
    assessment is not named again."""
    if not active or declared_conflict:
        return False
    if role is Role.PROVIDER:
        return reviewer_vehicle_id is not None and reviewer_vehicle_id != vehicle_id
    if role is Role.COMMISSIONER:
        pcpgs = set(reviewer_pcpg_ids)
        return bool(pcpgs) and not pcpgs & set(vehicle_pcpg_ids)
    return False


def can_confirm(
    *,
    role: Role | None,
    user_id: int | None,
    actor_pcpg_ids: Iterable[int],
    vehicle_pcpg_ids: Iterable[int],
    reviewer_id: int | None,
) -> bool:
    """The vehicle's commissioner confirms: a commissioner of a PCPG it works in who is not its peer reviewer (a
    commissioner is never the vehicle's own user, whose role is provider)."""
    return is_commissioner_of(role, actor_pcpg_ids, vehicle_pcpg_ids) and user_id != reviewer_id


def assessment_actions(
    *,
    status: AssessmentStatus,
    role: Role | None,
    user_id: int | None,
    actor_vehicle_id: int | None,
    actor_pcpg_ids: Iterable[int],
    vehicle_id: int,
    vehicle_pcpg_ids: Iterable[int],
    reviewer_id: int | None,
    reviewer_declared: bool,
    reviewer_conflict: bool,
) -> dict[str, bool]:
    """What the reader may do next, decided once for the API and the page."""
    pcpgs = tuple(actor_pcpg_ids)
    vehicle_pcpgs = tuple(vehicle_pcpg_ids)
    own = can_self_assess(role, actor_vehicle_id, vehicle_id)
    is_reviewer = user_id is not None and user_id == reviewer_id
    namer = can_name_reviewer(role, pcpgs, vehicle_pcpgs)
    return {
        "edit_self_assessment": own and status is AssessmentStatus.DRAFT,
        "submit": own and status is AssessmentStatus.DRAFT,
        "name_reviewer": namer
        and (
            status is AssessmentStatus.SUBMITTED
            or (status is AssessmentStatus.UNDER_PEER_REVIEW and (reviewer_conflict or not reviewer_declared))
        ),
        "declare": is_reviewer and status is AssessmentStatus.UNDER_PEER_REVIEW and not reviewer_declared,
        "review": is_reviewer
        and status is AssessmentStatus.UNDER_PEER_REVIEW
        and reviewer_declared
        and not reviewer_conflict,
        "confirm": status is AssessmentStatus.REVIEWED
        and can_confirm(
            role=role, user_id=user_id, actor_pcpg_ids=pcpgs, vehicle_pcpg_ids=vehicle_pcpgs, reviewer_id=reviewer_id
        ),
    }


def sees_self_assessment(*, is_reviewer: bool, reviewer_declared: bool, reviewer_conflict: bool) -> bool:
    """A reviewer sees the answers only after declaring no conflict, as an evaluator sees bids (DOMAIN.md)."""
    return not is_reviewer or (reviewer_declared and not reviewer_conflict)
