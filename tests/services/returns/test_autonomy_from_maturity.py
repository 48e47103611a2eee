"""Issue 15's Done-when for earned autonomy: a delivery vehicle self-assesses against the maturity matrix, a peer
from another vehicle reviews, the commissioner confirms; at the next quarter's recompute the vehicle earns the tier
its confirmed levels and its red-free quarters meet, and its return schedule follows from the quarter after."""

from __future__ import annotations

from datetime import date

from accounts.actor import SYSTEM, Role
from contracts.autonomy_rules import AutonomyTier, ReturnFrequency
from contracts.schemas.autonomy import AutonomySettingsIn
from contracts.services.autonomy import set_autonomy_settings
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
from maturity.tables import MaturityDomain
from returns.autonomy.queries import get_vehicle_autonomy
from returns.autonomy.services import recompute_tiers
from tests import contracts_support_lifecycle as cs
from tests import factories
from tests import returns_support_autonomy as rs
from tests import returns_support_payments as ps
from tests.conftest import make_actor

IN_Q2 = cs.at(date(2027, 8, 10))
REQUIRED = ["governance", "finance", "data_and_reporting", "service_delivery"]


async def _terms(admin) -> None:
    """High autonomy after one red-free quarter and level 4 where it asks (the defaults ask for six quarters, more
    than a year's contract can show)."""
    await set_autonomy_settings(
        actor=admin,
        data=AutonomySettingsIn(
            standard_frequency=ReturnFrequency.QUARTERLY,
            standard_light=False,
            standard_variation_limit_pence=0,
            earned_frequency=ReturnFrequency.QUARTERLY,
            earned_light=False,
            earned_variation_limit_pence=5_000_00,
            earned_min_level=3,
            earned_domains=REQUIRED[:3],
            earned_red_free_quarters=1,
            high_frequency=ReturnFrequency.HALF_YEARLY,
            high_light=True,
            high_variation_limit_pence=20_000_00,
            high_min_level=4,
            high_domains=REQUIRED,
            high_red_free_quarters=1,
        ),
        now=rs.IN_Q1,
    )


async def _confirmed(v: rs.Vehicle, level: int) -> None:
    """The whole maturity flow at one level in every domain."""
    await load_matrix(actor=SYSTEM, now=rs.IN_Q1)
    domains = [row["id"] for row in await MaturityDomain.select(MaturityDomain.id).order_by(MaturityDomain.position)]
    peer_vehicle = await factories.create_vehicle(name="Bay Wellbeing CIC", cluster_names=("BayHealth",))
    peer = await make_actor(Role.PROVIDER, username="peer", delivery_vehicle_id=peer_vehicle.id)
    now = rs.IN_Q1
    assessment = await assessments.start_assessment(actor=v.manager, now=now)
    await assessments.save_self_assessment(
        actor=v.manager,
        assessment_id=assessment,
        data=SelfAssessmentIn(
            answers=[SelfAnswerIn(domain_id=d, level=level, evidence="Board minutes") for d in domains]
        ),
        now=now,
    )
    await assessments.submit_self_assessment(actor=v.manager, assessment_id=assessment, now=now)
    await assessments.name_reviewer(
        actor=v.commissioner, assessment_id=assessment, data=ReviewerIn(reviewer_id=peer.user_id or 0), now=now
    )
    await assessments.declare_review_interests(
        actor=peer, assessment_id=assessment, data=ReviewDeclarationIn(conflict=False), now=now
    )
    await assessments.save_review(
        actor=peer,
        assessment_id=assessment,
        data=ReviewIn(answers=[ReviewAnswerIn(domain_id=d, level=level) for d in domains]),
        now=now,
    )
    await assessments.submit_review(actor=peer, assessment_id=assessment, now=now)
    colleague = await make_actor(Role.COMMISSIONER, username="colleague")
    await assessments.confirm_assessment(
        actor=colleague,
        assessment_id=assessment,
        data=ConfirmationIn(answers=[ConfirmAnswerIn(domain_id=d, level=level) for d in domains]),
        now=now,
    )


async def test_confirmed_maturity_and_a_red_free_quarter_earn_high_autonomy_and_half_yearly_light_returns():
    v = await rs.vehicle()
    await _terms(await make_actor(Role.NATIONAL_ADMIN))
    await _confirmed(v, level=4)
    await ps.accept(v.contract_id, 2027, 1)  # Q1 accepted, no KPI red

    assert await recompute_tiers(now=IN_Q2) == 1
    out = await get_vehicle_autonomy(actor=v.manager, delivery_vehicle_id=v.id, now=IN_Q2)
    assert (out.tier, out.next_tier, out.earned) == (AutonomyTier.STANDARD, AutonomyTier.HIGH, AutonomyTier.HIGH)
    # Q1 was accepted and Q2 is under way at the standard tier; from Q3, one light return for the half year.
    assert await rs.returns_of(v.contract_id) == [
        (1, 1, False, "accepted"),
        (2, 1, False, "not_started"),
        (4, 2, True, "not_started"),
    ]


async def test_levels_short_of_high_earn_the_tier_they_meet_and_the_schedule_stays_quarterly():
    v = await rs.vehicle()
    await _terms(await make_actor(Role.NATIONAL_ADMIN))
    await _confirmed(v, level=3)
    await ps.accept(v.contract_id, 2027, 1)

    await recompute_tiers(now=IN_Q2)
    out = await get_vehicle_autonomy(actor=v.manager, delivery_vehicle_id=v.id, now=IN_Q2)
    assert out.earned is AutonomyTier.EARNED
    assert [(q, n, light) for q, n, light, _ in await rs.returns_of(v.contract_id)] == [
        (q, 1, False) for q in (1, 2, 3, 4)
    ]


async def test_without_a_confirmed_assessment_the_same_record_earns_standard():
    v = await rs.vehicle()
    await _terms(await make_actor(Role.NATIONAL_ADMIN))
    await ps.accept(v.contract_id, 2027, 1)
    await recompute_tiers(now=IN_Q2)
    out = await get_vehicle_autonomy(actor=v.manager, delivery_vehicle_id=v.id, now=IN_Q2)
    assert out.earned is AutonomyTier.STANDARD
