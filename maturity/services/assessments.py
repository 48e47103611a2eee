"""A delivery vehicle's yearly maturity assessment, step by step: the vehicle self-assesses and submits, a
commissioner or national administrator names a peer reviewer, the reviewer declares interests and reviews, and the
vehicle's commissioner confirms (issue 15, item 4). Each step is one audited operation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts.actor import Actor, Role
from accounts.tables import User, UserPcpg
from audit.operation import Recorder, operation
from core.clock import london_day
from core.db import for_update
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from core.i18n import N_
from core.periods import FinancialYear
from maturity import rules
from maturity.queries.assessments import assessment_row, reviewer_declaration
from maturity.rules import AssessmentStatus
from maturity.schemas import ConfirmationIn, ReviewDeclarationIn, ReviewerIn, ReviewIn, SelfAssessmentIn
from maturity.tables import MaturityAnswer, MaturityAssessment, MaturityDomain, MaturityReviewDeclaration
from notifications.services import notify
from organisations.queries import vehicle_pcpg_ids
from organisations.rules import DeliveryVehicleStatus
from organisations.tables import DeliveryVehicle


@dataclass
class _Loaded:
    row: dict[str, Any]
    status: AssessmentStatus
    pcpgs: list[int]
    declared: bool
    conflict: bool
    actions: dict[str, bool]


async def _load(actor: Actor, assessment_id: int) -> _Loaded:
    """The assessment as the actor may see it (absent otherwise), locked for the write, with what they may do."""
    await assessment_row(actor, assessment_id)
    row = await for_update(MaturityAssessment.select().where(MaturityAssessment.id == assessment_id)).first()
    if row is None:
        raise NotFound("No such assessment")
    status = AssessmentStatus(row["status"])
    pcpgs = await vehicle_pcpg_ids(row["delivery_vehicle"])
    declaration = await reviewer_declaration(assessment_id, row["reviewer"])
    declared = declaration is not None
    conflict = bool(declaration and declaration["conflict"])
    actions = rules.assessment_actions(
        status=status,
        role=actor.role,
        user_id=actor.user_id,
        actor_vehicle_id=actor.delivery_vehicle_id,
        actor_pcpg_ids=actor.pcpg_ids,
        vehicle_id=row["delivery_vehicle"],
        vehicle_pcpg_ids=pcpgs,
        reviewer_id=row["reviewer"],
        reviewer_declared=declared,
        reviewer_conflict=conflict,
    )
    return _Loaded(row, status, pcpgs, declared, conflict, actions)


def _refuse(loaded: _Loaded, *, may: bool, wrong_time: str) -> None:
    """Someone who may never take this step is refused (403); one who may, but not now, is told why (409)."""
    if not may:
        raise NotAllowed()
    raise Conflict(wrong_time, status=loaded.status)


async def _domain_names() -> dict[int, str]:
    from core.i18n import name_in_reading_language

    rows = (
        await MaturityDomain.select(MaturityDomain.id, MaturityDomain.name, MaturityDomain.name_cy)
        .order_by(MaturityDomain.position)
        .order_by(MaturityDomain.id)
    )
    return {row["id"]: name_in_reading_language(row["name"], row["name_cy"]) for row in rows}


def _known_domains(domains: dict[int, str], ids: Iterable[int]) -> None:
    for domain_id in ids:
        if domain_id not in domains:
            raise RuleBroken("There is no such domain in the maturity matrix", field="answers")


async def _answers(assessment_id: int) -> dict[int, dict[str, Any]]:
    rows = await MaturityAnswer.select().where(MaturityAnswer.assessment == assessment_id)
    return {row["domain"]: row for row in rows}


async def _put_answers(assessment_id: int, values: dict[int, dict[Any, Any]]) -> None:
    """Write each domain's answer, adding the row the first time the domain is answered."""
    stored = await _answers(assessment_id)
    for domain_id, changes in values.items():
        if domain_id in stored:
            await MaturityAnswer.update(changes).where(MaturityAnswer.id == stored[domain_id]["id"])
        else:
            await MaturityAnswer(assessment=assessment_id, domain=domain_id, **changes).save()


def _record(op: Recorder, loaded: _Loaded, *, before: dict[str, Any], after: dict[str, Any]) -> None:
    op.record(
        "MaturityAssessment",
        loaded.row["id"],
        before={"financial_year": loaded.row["financial_year"], **before},
        after={"financial_year": loaded.row["financial_year"], **after},
    )


async def start_assessment(*, actor: Actor, now: datetime) -> int:
    """The vehicle's self-assessment for the financial year `now` falls in; one per vehicle and year."""
    if actor.role is not Role.PROVIDER or actor.delivery_vehicle_id is None:
        raise NotAllowed("Only a delivery vehicle's own users assess it")
    year = FinancialYear.containing(london_day(now)).start_year
    async with operation("maturity_assessment.started", actor=actor, now=now) as op:
        vehicle = await for_update(
            DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.status).where(
                DeliveryVehicle.id == actor.delivery_vehicle_id
            )
        ).first()
        if vehicle is None or vehicle["status"] != DeliveryVehicleStatus.APPROVED.value:
            raise Conflict("A delivery vehicle assesses itself once its registration is approved")
        if await MaturityAssessment.exists().where(
            (MaturityAssessment.delivery_vehicle == actor.delivery_vehicle_id)
            & (MaturityAssessment.financial_year == year)
        ):
            raise Conflict("Your self-assessment for %(year)s is already started", year=FinancialYear(year).label)
        row = MaturityAssessment(
            delivery_vehicle=actor.delivery_vehicle_id,
            financial_year=year,
            status=AssessmentStatus.DRAFT.value,
            started_at=now,
            started_by=actor.user_id,
        )
        await row.save()
        op.record(
            "MaturityAssessment",
            row.id,
            after={"financial_year": year, "status": AssessmentStatus.DRAFT.value},
        )
        return int(row.id)


async def save_self_assessment(*, actor: Actor, assessment_id: int, data: SelfAssessmentIn, now: datetime) -> None:
    """Keep the answers so far; a draft may leave domains unanswered."""
    async with operation("maturity_assessment.saved", actor=actor, now=now) as op:
        loaded = await _load(actor, assessment_id)
        if not loaded.actions["edit_self_assessment"]:
            _refuse(
                loaded,
                may=rules.can_self_assess(actor.role, actor.delivery_vehicle_id, loaded.row["delivery_vehicle"]),
                wrong_time=N_("The self-assessment cannot change once it is %(status)s"),
            )
        domains = await _domain_names()
        _known_domains(domains, (a.domain_id for a in data.answers))
        given = {a.domain_id: (a.level, a.evidence) for a in data.answers}
        rules.refuse_if_any(
            rules.self_assessment_problems({d: domains[d] for d in given}, given, complete=False),
            N_("Check the levels you gave"),
        )
        await _put_answers(
            assessment_id,
            {d: {"self_level": level, "evidence": evidence.strip()} for d, (level, evidence) in given.items()},
        )
        _record(op, loaded, before={}, after={"domains_answered": len(given)})


async def submit_self_assessment(*, actor: Actor, assessment_id: int, now: datetime) -> None:
    """Refused, field by field, while any domain lacks a level or evidence."""
    async with operation("maturity_assessment.submitted", actor=actor, now=now) as op:
        loaded = await _load(actor, assessment_id)
        if not loaded.actions["submit"]:
            _refuse(
                loaded,
                may=rules.can_self_assess(actor.role, actor.delivery_vehicle_id, loaded.row["delivery_vehicle"]),
                wrong_time=N_("The self-assessment cannot be submitted while it is %(status)s"),
            )
        domains = await _domain_names()
        stored = await _answers(assessment_id)
        given = {d: (row["self_level"], row["evidence"]) for d, row in stored.items()}
        rules.refuse_if_any(
            rules.self_assessment_problems(domains, given, complete=True),
            N_("Give a level and evidence for every domain before you submit"),
        )
        rules.check_move(loaded.status, AssessmentStatus.SUBMITTED)
        await MaturityAssessment.update(
            {
                MaturityAssessment.status: AssessmentStatus.SUBMITTED.value,
                MaturityAssessment.submitted_at: now,
                MaturityAssessment.submitted_by: actor.user_id,
            }
        ).where(MaturityAssessment.id == assessment_id)
        _record(
            op,
            loaded,
            before={"status": loaded.status.value},
            after={"status": AssessmentStatus.SUBMITTED.value, "levels": {str(d): v[0] for d, v in given.items()}},
        )


async def _candidate(user_id: int) -> tuple[dict[str, Any] | None, list[int]]:
    user = (
        await User.select(User.id, User.role, User.active, User.delivery_vehicle, User.full_name)
        .where(User.id == user_id)
        .first()
    )
    if user is None:
        return None, []
    pcpgs = [row["pcpg"] for row in await UserPcpg.select(UserPcpg.pcpg).where(UserPcpg.user == user_id)]
    return user, pcpgs


async def name_reviewer(*, actor: Actor, assessment_id: int, data: ReviewerIn, now: datetime) -> None:
    """A commissioner of a PCPG where the vehicle works, or a national administrator, names a peer: a user of
    another delivery vehicle or a commissioner of another PCPG. Naming again replaces a reviewer who declared a
    conflict or has not yet declared."""
    async with operation("maturity_assessment.reviewer_named", actor=actor, now=now) as op:
        loaded = await _load(actor, assessment_id)
        if not loaded.actions["name_reviewer"]:
            _refuse(
                loaded,
                may=rules.can_name_reviewer(actor.role, actor.pcpg_ids, loaded.pcpgs),
                wrong_time=N_("A peer reviewer cannot be named while the assessment is %(status)s"),
            )
        user, user_pcpgs = await _candidate(data.reviewer_id)
        conflicted = await MaturityReviewDeclaration.exists().where(
            (MaturityReviewDeclaration.assessment == assessment_id)
            & (MaturityReviewDeclaration.user == data.reviewer_id)
            & (MaturityReviewDeclaration.conflict == True)  # noqa: E712
        )
        if user is None or not rules.is_eligible_reviewer(
            role=Role(user["role"]) if user["role"] in set(Role) else None,
            active=user["active"],
            reviewer_vehicle_id=user["delivery_vehicle"],
            reviewer_pcpg_ids=user_pcpgs,
            vehicle_id=loaded.row["delivery_vehicle"],
            vehicle_pcpg_ids=loaded.pcpgs,
            declared_conflict=conflicted,
        ):
            raise RuleBroken(rules.NOT_A_PEER, field="reviewer_id")
        if user["id"] == loaded.row["reviewer"]:
            raise Conflict("%(name)s is already the peer reviewer", field="reviewer_id", name=user["full_name"])
        rules.check_move(loaded.status, AssessmentStatus.UNDER_PEER_REVIEW)
        await MaturityAssessment.update(
            {
                MaturityAssessment.status: AssessmentStatus.UNDER_PEER_REVIEW.value,
                MaturityAssessment.reviewer: user["id"],
                MaturityAssessment.reviewer_named_at: now,
                MaturityAssessment.reviewer_named_by: actor.user_id,
            }
        ).where(MaturityAssessment.id == assessment_id)
        # A replaced reviewer's unfinished views go with them.
        await MaturityAnswer.update({MaturityAnswer.review_level: None, MaturityAnswer.review_comment: ""}).where(
            MaturityAnswer.assessment == assessment_id
        )
        _record(
            op,
            loaded,
            before={"status": loaded.status.value, "reviewer": loaded.row["reviewer"]},
            after={"status": AssessmentStatus.UNDER_PEER_REVIEW.value, "reviewer": user["id"]},
        )
        vehicle = (
            await DeliveryVehicle.select(DeliveryVehicle.name)
            .where(DeliveryVehicle.id == loaded.row["delivery_vehicle"])
            .first()
        )
        await notify(
            user_ids=[user["id"]],
            kind="named_peer_reviewer",
            key=f"{assessment_id}:{user['id']}",
            params={
                "vehicle": vehicle["name"] if vehicle else "",
                "year": FinancialYear(loaded.row["financial_year"]).label,
            },
            link=f"/maturity/assessments/{assessment_id}",
            now=now,
        )


async def declare_review_interests(
    *, actor: Actor, assessment_id: int, data: ReviewDeclarationIn, now: datetime
) -> bool:
    """Once, before the reviewer sees the self-assessment; returns True when a declared conflict stops them (a new
    reviewer must then be named)."""
    async with operation("maturity_assessment.interests_declared", actor=actor, now=now) as op:
        loaded = await _load(actor, assessment_id)
        if not loaded.actions["declare"]:
            is_reviewer = actor.user_id is not None and actor.user_id == loaded.row["reviewer"]
            if is_reviewer and loaded.declared:
                raise Conflict("You have already declared your interests for this assessment")
            _refuse(
                loaded,
                may=is_reviewer,
                wrong_time=N_("Interests are declared while the assessment is under peer review"),
            )
        if data.conflict and not data.statement.strip():
            raise RuleBroken("Say what your conflict of interest is", field="statement")
        row = MaturityReviewDeclaration(
            assessment=assessment_id,
            user=actor.user_id,
            conflict=data.conflict,
            statement=data.statement.strip(),
            declared_at=now,
        )
        await row.save()
        _record(op, loaded, before={}, after={"conflict": data.conflict, "reviewer": actor.user_id})
        return data.conflict


def _review_gate(actor: Actor, loaded: _Loaded) -> None:
    if not loaded.actions["review"]:
        is_reviewer = actor.user_id is not None and actor.user_id == loaded.row["reviewer"]
        if is_reviewer and loaded.status is AssessmentStatus.UNDER_PEER_REVIEW:
            if loaded.conflict:
                raise Conflict("You declared a conflict of interest, so you cannot review this assessment")
            raise Conflict("Declare your interests before you review", field="conflict")
        _refuse(loaded, may=is_reviewer, wrong_time=N_("The review cannot change once the assessment is %(status)s"))


async def save_review(*, actor: Actor, assessment_id: int, data: ReviewIn, now: datetime) -> None:
    """Keep the reviewer's levels and comments so far."""
    async with operation("maturity_assessment.review_saved", actor=actor, now=now) as op:
        loaded = await _load(actor, assessment_id)
        _review_gate(actor, loaded)
        domains = await _domain_names()
        _known_domains(domains, (a.domain_id for a in data.answers))
        stored = await _answers(assessment_id)
        given = {a.domain_id: (a.level, a.comment) for a in data.answers}
        self_levels = {d: row["self_level"] for d, row in stored.items()}
        rules.refuse_if_any(
            rules.review_problems({d: domains[d] for d in given}, self_levels, given, complete=False),
            N_("Check the levels and comments you gave"),
        )
        await _put_answers(
            assessment_id,
            {d: {"review_level": level, "review_comment": comment.strip()} for d, (level, comment) in given.items()},
        )
        _record(op, loaded, before={}, after={"domains_reviewed": len(given)})


async def submit_review(*, actor: Actor, assessment_id: int, now: datetime) -> None:
    """Refused, field by field, while a domain has no level, or a different level has no comment."""
    async with operation("maturity_assessment.reviewed", actor=actor, now=now) as op:
        loaded = await _load(actor, assessment_id)
        _review_gate(actor, loaded)
        domains = await _domain_names()
        stored = await _answers(assessment_id)
        given = {d: (row["review_level"], row["review_comment"]) for d, row in stored.items()}
        self_levels = {d: row["self_level"] for d, row in stored.items()}
        rules.refuse_if_any(
            rules.review_problems(domains, self_levels, given, complete=True),
            N_("Give a level for every domain, and a comment where you propose a different one"),
        )
        rules.check_move(loaded.status, AssessmentStatus.REVIEWED)
        await MaturityAssessment.update(
            {MaturityAssessment.status: AssessmentStatus.REVIEWED.value, MaturityAssessment.reviewed_at: now}
        ).where(MaturityAssessment.id == assessment_id)
        _record(
            op,
            loaded,
            before={"status": loaded.status.value},
            after={"status": AssessmentStatus.REVIEWED.value, "levels": {str(d): v[0] for d, v in given.items()}},
        )


async def _checked_confirmation(actor: Actor, assessment_id: int, data: ConfirmationIn) -> tuple[_Loaded, dict]:
    loaded = await _load(actor, assessment_id)
    if not loaded.actions["confirm"]:
        _refuse(
            loaded,
            may=rules.can_confirm(
                role=actor.role,
                user_id=actor.user_id,
                actor_pcpg_ids=actor.pcpg_ids,
                vehicle_pcpg_ids=loaded.pcpgs,
                reviewer_id=loaded.row["reviewer"],
            ),
            wrong_time=N_("The assessment cannot be confirmed while it is %(status)s"),
        )
    domains = await _domain_names()
    _known_domains(domains, (a.domain_id for a in data.answers))
    stored = await _answers(assessment_id)
    given = {a.domain_id: (a.level, a.reason) for a in data.answers}
    review_levels = {d: row["review_level"] for d, row in stored.items()}
    rules.refuse_if_any(
        rules.confirmation_problems(domains, review_levels, given),
        N_("Confirm a level for every domain, with a reason where you differ from the peer reviewer"),
    )
    return loaded, given


async def check_confirmation(*, actor: Actor, assessment_id: int, data: ConfirmationIn) -> None:
    """The checks of `confirm_assessment` without writing: the page's check-your-answers step before the final one."""
    await _checked_confirmation(actor, assessment_id, data)


async def confirm_assessment(*, actor: Actor, assessment_id: int, data: ConfirmationIn, now: datetime) -> None:
    """The vehicle's commissioner (not its peer reviewer) confirms a level per domain: the reviewer's, or their own
    with a reason. Confirmed results are final."""
    async with operation("maturity_assessment.confirmed", actor=actor, now=now) as op:
        loaded, given = await _checked_confirmation(actor, assessment_id, data)
        rules.check_move(loaded.status, AssessmentStatus.CONFIRMED)
        await _put_answers(
            assessment_id,
            {
                d: {"confirmed_level": level, "confirmation_reason": reason.strip()}
                for d, (level, reason) in given.items()
            },
        )
        await MaturityAssessment.update(
            {
                MaturityAssessment.status: AssessmentStatus.CONFIRMED.value,
                MaturityAssessment.confirmed_at: now,
                MaturityAssessment.confirmed_by: actor.user_id,
            }
        ).where(MaturityAssessment.id == assessment_id)
        _record(
            op,
            loaded,
            before={"status": loaded.status.value},
            after={"status": AssessmentStatus.CONFIRMED.value, "levels": {str(d): v[0] for d, v in given.items()}},
        )
