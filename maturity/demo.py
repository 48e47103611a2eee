"""Demo maturity assessments, made through the real services (so they are audited): each approved demo vehicle has
two confirmed years with levels that differ between vehicles and years, and one vehicle's assessment for this year
is submitted and waits for a peer reviewer to be named."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from accounts.actor import SYSTEM, Actor
from accounts.queries import actor_for_user
from accounts.tables import User
from core.clock import LONDON, SYSTEM_CLOCK, london_day
from core.periods import FinancialYear
from maturity.matrix import load_matrix
from maturity.schemas import (
    ConfirmAnswerIn,
    ConfirmationIn,
    ReviewAnswerIn,
    ReviewDeclarationIn,
    ReviewerIn,
    ReviewIn,
    SelfAnswerIn,
    SelfAssessmentIn,
)
from maturity.services import assessments
from maturity.tables import MaturityAssessment, MaturityDomain

EVIDENCE = (
    "Board minutes for the year, the scheme of delegation and the register of interests",
    "Management accounts reported quarterly, the audited accounts and the reserves policy",
    "Workforce plan, training records and appraisal completion for every member of staff",
    "Quarterly delivery returns and KPI results against each specification",
    "Cluster meeting notes and joint plans with the local authority and third sector",
    "Return timeliness, data-quality checks and the dashboards used between returns",
    "Patient feedback, complaints answered and the 'you said, we did' summary",
)

# Per vehicle (its user's username): the self-assessed levels by year (years back from this one), the peer reviewer
# (a user of another vehicle, or a commissioner of another PCPG), and the reviewer's own view of one domain.
PLANS: tuple[tuple[str, str, dict[int, list[int]], bool], ...] = (
    ("provider", "provider2", {1: [2, 2, 1, 2, 2, 1, 1], 0: [3, 2, 2, 3, 3, 2, 2]}, False),
    (
        "provider2",
        "commissioner2",
        {2: [1, 2, 1, 1, 2, 1, 1], 1: [2, 3, 2, 2, 2, 2, 1], 0: [3, 3, 2, 3, 2, 2, 2]},
        True,
    ),
)


async def _actor(username: str) -> Actor | None:
    row = await User.select(User.id).where(User.username == username).first()
    return await actor_for_user(row["id"]) if row else None


def _in_year(years_back: int, now: datetime) -> datetime:
    """Noon on a day inside the financial year `years_back` before this one (this year: now itself)."""
    if years_back == 0:
        return now
    first_day = FinancialYear.containing(london_day(now)).first_day
    day = first_day - timedelta(days=30 + 365 * (years_back - 1))
    return datetime.combine(day, time(12), tzinfo=LONDON)


async def make_maturity_demo() -> None:
    """Idempotent: does nothing once any assessment exists."""
    now = SYSTEM_CLOCK.now()
    await load_matrix(actor=SYSTEM, now=now)
    if await MaturityAssessment.exists():
        return
    domains = [row["id"] for row in await MaturityDomain.select(MaturityDomain.id).order_by(MaturityDomain.position)]
    commissioner = await _actor("commissioner")
    for provider_name, reviewer_name, years, current_in_progress in PLANS:
        provider, reviewer = await _actor(provider_name), await _actor(reviewer_name)
        if provider is None or reviewer is None or commissioner is None or provider.delivery_vehicle_id is None:
            continue
        for years_back, levels in sorted(years.items(), reverse=True):
            when = _in_year(years_back, now)
            answers = [
                SelfAnswerIn(domain_id=d, level=level, evidence=EVIDENCE[n % len(EVIDENCE)])
                for n, (d, level) in enumerate(zip(domains, levels, strict=False))
            ]
            assessment_id = await assessments.start_assessment(actor=provider, now=when)
            await assessments.save_self_assessment(
                actor=provider, assessment_id=assessment_id, data=SelfAssessmentIn(answers=answers), now=when
            )
            await assessments.submit_self_assessment(actor=provider, assessment_id=assessment_id, now=when)
            if years_back == 0 and current_in_progress:
                continue  # submitted: a commissioner names the peer reviewer next
            await _review_and_confirm(assessment_id, domains, levels, provider, reviewer, commissioner, when)


async def _review_and_confirm(
    assessment_id: int,
    domains: list[int],
    levels: list[int],
    provider: Actor,
    reviewer: Actor,
    commissioner: Actor,
    when: datetime,
) -> None:
    await assessments.name_reviewer(
        actor=commissioner, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=reviewer.user_id or 0), now=when
    )
    await assessments.declare_review_interests(
        actor=reviewer, assessment_id=assessment_id, data=ReviewDeclarationIn(conflict=False), now=when
    )
    # The reviewer agrees everywhere but the last domain, where they propose one level lower (never below 1).
    review = [
        ReviewAnswerIn(domain_id=d, level=level)
        if n < len(domains) - 1 or level == 1
        else ReviewAnswerIn(
            domain_id=d, level=level - 1, comment="The evidence shows feedback collected, not yet acted on"
        )
        for n, (d, level) in enumerate(zip(domains, levels, strict=False))
    ]
    await assessments.save_review(actor=reviewer, assessment_id=assessment_id, data=ReviewIn(answers=review), now=when)
    await assessments.submit_review(actor=reviewer, assessment_id=assessment_id, now=when)
    confirmed = ConfirmationIn(answers=[ConfirmAnswerIn(domain_id=a.domain_id, level=a.level) for a in review])
    await assessments.confirm_assessment(actor=commissioner, assessment_id=assessment_id, data=confirmed, now=when)
