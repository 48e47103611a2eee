"""Reads of maturity assessments, scoped in SQL (maturity/queries/scope.py): lists, one assessment with its answers,
the peers who may review it, and a vehicle's confirmed results over the years."""

from __future__ import annotations

from typing import Any

from accounts.actor import Actor, Role
from accounts.tables import User, UserPcpg
from core.errors import NotFound
from core.i18n import gettext, name_in_reading_language
from core.pagination import Page, check_window
from core.periods import FinancialYear
from maturity import rules
from maturity.queries.matrix import domain_out
from maturity.queries.scope import read_scope, scoped, vehicle_scope
from maturity.rules import AssessmentStatus
from maturity.schemas import (
    AnswerOut,
    AssessmentActions,
    AssessmentOut,
    AssessmentSummary,
    ReviewerCandidateOut,
    VehicleMaturityOut,
    YearLevels,
)
from maturity.tables import MaturityAnswer, MaturityAssessment, MaturityDomain, MaturityReviewDeclaration
from organisations.queries import vehicle_pcpg_ids
from organisations.tables import DeliveryVehicle

_SUMMARY_COLUMNS = (
    MaturityAssessment.id,
    MaturityAssessment.delivery_vehicle,
    MaturityAssessment.delivery_vehicle.name.as_alias("vehicle_name"),
    MaturityAssessment.financial_year,
    MaturityAssessment.status,
    MaturityAssessment.reviewer,
    MaturityAssessment.reviewer.full_name.as_alias("reviewer_name"),
)


def _summary(actor: Actor, row: dict[str, Any]) -> AssessmentSummary:
    status = AssessmentStatus(row["status"])
    return AssessmentSummary(
        id=row["id"],
        delivery_vehicle_id=row["delivery_vehicle"],
        delivery_vehicle=row["vehicle_name"],
        financial_year=row["financial_year"],
        year_label=FinancialYear(row["financial_year"]).label,
        status=status,
        status_label=gettext(status.label),
        status_colour=status.colour,
        reviewer_name=row["reviewer_name"],
        reader_is_reviewer=row["reviewer"] is not None and row["reviewer"] == actor.user_id,
    )


async def list_assessments(*, actor: Actor, limit: int = 50, offset: int = 0) -> Page[AssessmentSummary]:
    """Newest year first, then by vehicle; scoped, counted and windowed in SQL."""
    check_window(limit, offset)
    condition = read_scope(actor)
    query = (
        scoped(MaturityAssessment.select(*_SUMMARY_COLUMNS), condition)
        .order_by(MaturityAssessment.financial_year, ascending=False)
        .order_by(MaturityAssessment.delivery_vehicle.name)
        .order_by(MaturityAssessment.id)
    )
    rows = await query.limit(limit).offset(offset)
    total = await scoped(MaturityAssessment.count(), condition)
    return Page(items=[_summary(actor, row) for row in rows], total=total, limit=limit, offset=offset)


async def assessment_row(actor: Actor, assessment_id: int) -> dict[str, Any]:
    """The assessment's row if the actor may read it; absent and out of scope alike are not found."""
    row = await scoped(
        MaturityAssessment.select(
            *MaturityAssessment.all_columns(),
            MaturityAssessment.delivery_vehicle.name.as_alias("vehicle_name"),
            MaturityAssessment.reviewer.full_name.as_alias("reviewer_name"),
            MaturityAssessment.confirmed_by.full_name.as_alias("confirmed_by_name"),
        ).where(MaturityAssessment.id == assessment_id),
        read_scope(actor),
    ).first()
    if row is None:
        raise NotFound("No such assessment")
    return row


async def reviewer_declaration(assessment_id: int, user_id: int | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    return (
        await MaturityReviewDeclaration.select()
        .where((MaturityReviewDeclaration.assessment == assessment_id) & (MaturityReviewDeclaration.user == user_id))
        .first()
    )


async def answer_rows(assessment_id: int) -> list[dict[str, Any]]:
    """Every domain of the matrix with this assessment's answer to it (blank where none yet), in the matrix's
    order: two statements, whatever the number of domains."""
    domains = await MaturityDomain.select().order_by(MaturityDomain.position).order_by(MaturityDomain.id)
    answers = {
        row["domain"]: row for row in await MaturityAnswer.select().where(MaturityAnswer.assessment == assessment_id)
    }
    return [{"domain_row": domain, "answer": answers.get(domain["id"])} for domain in domains]


async def get_assessment(*, actor: Actor, assessment_id: int) -> AssessmentOut:
    row = await assessment_row(actor, assessment_id)
    status = AssessmentStatus(row["status"])
    declaration = await reviewer_declaration(assessment_id, row["reviewer"])
    declared = declaration is not None
    conflict = bool(declaration and declaration["conflict"])
    is_reviewer = row["reviewer"] is not None and row["reviewer"] == actor.user_id
    pcpgs = await vehicle_pcpg_ids(row["delivery_vehicle"])
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
    shown = rules.sees_self_assessment(is_reviewer=is_reviewer, reviewer_declared=declared, reviewer_conflict=conflict)
    answers = []
    if shown:
        for item in await answer_rows(assessment_id):
            domain = domain_out(item["domain_row"])
            answer = item["answer"] or {}
            self_level = answer.get("self_level")
            review_level = answer.get("review_level")
            answers.append(
                AnswerOut(
                    domain_id=domain.id,
                    domain=domain.name_shown,
                    levels=domain.levels,
                    self_level=self_level,
                    evidence=answer.get("evidence", ""),
                    review_level=review_level,
                    review_comment=answer.get("review_comment", ""),
                    reviewer_agrees=None if review_level is None else review_level == self_level,
                    confirmed_level=answer.get("confirmed_level"),
                    confirmation_reason=answer.get("confirmation_reason", ""),
                )
            )
    return AssessmentOut(
        id=row["id"],
        delivery_vehicle_id=row["delivery_vehicle"],
        delivery_vehicle=row["vehicle_name"],
        financial_year=row["financial_year"],
        year_label=FinancialYear(row["financial_year"]).label,
        status=status,
        status_label=gettext(status.label),
        status_colour=status.colour,
        started_at=row["started_at"],
        submitted_at=row["submitted_at"],
        reviewer_id=row["reviewer"],
        reviewer_name=row["reviewer_name"],
        reviewer_declared=declared,
        reviewer_conflict=conflict,
        reviewed_at=row["reviewed_at"],
        confirmed_at=row["confirmed_at"],
        confirmed_by_name=row["confirmed_by_name"],
        answers_shown=shown,
        answers=answers,
        actions=AssessmentActions(**actions),
        reader_is_reviewer=is_reviewer,
    )


async def reviewer_candidates(
    *, vehicle_id: int, vehicle_pcpgs: list[int], assessment_id: int
) -> list[ReviewerCandidateOut]:
    """The peers who may be named (maturity.rules.is_eligible_reviewer, in SQL): active users of another delivery
    vehicle, and active commissioners of none of the vehicle's PCPGs, leaving out anyone who declared a conflict on
    this assessment. By name."""
    conflicted = MaturityReviewDeclaration.select(MaturityReviewDeclaration.user).where(
        (MaturityReviewDeclaration.assessment == assessment_id) & (MaturityReviewDeclaration.conflict == True)  # noqa: E712
    )
    with_any_pcpg = UserPcpg.select(UserPcpg.user)
    in_vehicle_pcpgs = UserPcpg.select(UserPcpg.user).where(UserPcpg.pcpg.is_in(vehicle_pcpgs or [-1]))
    provider = (
        (User.role == Role.PROVIDER.value) & User.delivery_vehicle.is_not_null() & (User.delivery_vehicle != vehicle_id)
    )
    commissioner = (
        (User.role == Role.COMMISSIONER.value) & User.id.is_in(with_any_pcpg) & User.id.not_in(in_vehicle_pcpgs)
    )
    rows = (
        await User.select(User.id, User.full_name, User.role, User.delivery_vehicle.name.as_alias("vehicle_name"))
        .where((User.active == True) & (provider | commissioner) & User.id.not_in(conflicted))  # noqa: E712
        .order_by(User.full_name)
        .order_by(User.id)
    )
    return [
        ReviewerCandidateOut(
            user_id=row["id"],
            name=row["full_name"],
            works_for=row["vehicle_name"] if row["role"] == Role.PROVIDER.value else gettext("Commissioner"),
        )
        for row in rows
    ]


async def _confirmed_rows(vehicle_ids: list[int], *, latest_only: bool) -> list[dict[str, Any]]:
    """Confirmed levels by vehicle, year and domain, in one statement; `latest_only` keeps each vehicle's newest
    confirmed year."""
    if not vehicle_ids:
        return []
    confirmed = AssessmentStatus.CONFIRMED.value
    marks = ", ".join("{}" for _ in vehicle_ids)
    latest = (
        " AND a.financial_year = (SELECT MAX(b.financial_year) FROM maturity_assessment AS b"
        " WHERE b.delivery_vehicle = a.delivery_vehicle AND b.status = {})"
        if latest_only
        else ""
    )
    sql = (
        "SELECT a.delivery_vehicle AS vehicle_id, a.financial_year AS financial_year,"
        " ans.domain AS domain_id, ans.confirmed_level AS level"
        " FROM maturity_answer AS ans JOIN maturity_assessment AS a ON a.id = ans.assessment"
        f" WHERE a.status = {{}} AND a.delivery_vehicle IN ({marks}){latest}"
        " ORDER BY a.delivery_vehicle, a.financial_year DESC, ans.domain"
    )
    args: list[Any] = [confirmed, *vehicle_ids, *([confirmed] if latest_only else [])]
    rows: list[dict[str, Any]] = await MaturityAnswer.raw(sql, *args)
    return rows


async def confirmed_levels(vehicle_ids: list[int]) -> dict[int, dict[int, int]]:
    """Each vehicle's latest confirmed assessment, as its level per domain: vehicle id -> domain id -> level. A
    vehicle with no confirmed assessment is left out. For earned autonomy's tiers (issue 15, item 5)."""
    found: dict[int, dict[int, int]] = {}
    for row in await _confirmed_rows(sorted(set(vehicle_ids)), latest_only=True):
        if row["level"] is not None:
            found.setdefault(row["vehicle_id"], {})[row["domain_id"]] = row["level"]
    return found


async def vehicle_maturity(*, actor: Actor, delivery_vehicle_id: int) -> VehicleMaturityOut:
    """The vehicle's latest confirmed result and every earlier confirmed year, for those who may read the vehicle."""
    condition = vehicle_scope(actor)
    query = DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(
        DeliveryVehicle.id == delivery_vehicle_id
    )
    vehicle = await (query if condition is None else query.where(condition)).first()
    if vehicle is None:
        raise NotFound("No such delivery vehicle")
    domains = (
        await MaturityDomain.select(MaturityDomain.id, MaturityDomain.name, MaturityDomain.name_cy)
        .order_by(MaturityDomain.position)
        .order_by(MaturityDomain.id)
    )
    position = {row["id"]: n for n, row in enumerate(domains)}
    years: dict[int, list[int | None]] = {}
    for row in await _confirmed_rows([delivery_vehicle_id], latest_only=False):
        levels = years.setdefault(row["financial_year"], [None] * len(domains))
        if row["domain_id"] in position:
            levels[position[row["domain_id"]]] = row["level"]
    history = [
        YearLevels(financial_year=year, year_label=FinancialYear(year).label, levels=levels)
        for year, levels in sorted(years.items(), reverse=True)
    ]
    return VehicleMaturityOut(
        delivery_vehicle_id=vehicle["id"],
        delivery_vehicle=vehicle["name"],
        domains=[name_in_reading_language(row["name"], row["name_cy"]) for row in domains],
        latest=history[0] if history else None,
        history=history,
    )
