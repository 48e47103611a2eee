"""A small world for maturity tests: the seed matrix, a vehicle in Cardiff with its user and commissioner, a peer
vehicle in Swansea Bay with its user, and a Swansea Bay commissioner; plus the steps of an assessment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from accounts.actor import SYSTEM, Actor
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
from tests import factories
from tests.conftest import make_actor

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@dataclass
class World:
    vehicle_id: int
    provider: Actor
    commissioner: Actor
    peer_vehicle_id: int
    peer: Actor
    other_commissioner: Actor
    admin: Actor
    domain_ids: list[int]


async def world() -> World:
    await load_matrix(actor=SYSTEM, now=NOW)
    vehicle = await factories.create_vehicle(name="Alpha Care CIC", cluster_names=("Cardiff North",))
    peer_vehicle = await factories.create_vehicle(name="Bay Wellbeing CIC", cluster_names=("BayHealth",))
    domains = await MaturityDomain.select(MaturityDomain.id).order_by(MaturityDomain.position)
    return World(
        vehicle_id=vehicle.id,
        provider=await make_actor("provider", delivery_vehicle_id=vehicle.id, full_name="Alys Provider"),
        commissioner=await make_actor("commissioner", full_name="Carys Commissioner"),
        peer_vehicle_id=peer_vehicle.id,
        peer=await make_actor("provider", delivery_vehicle_id=peer_vehicle.id, full_name="Peredur Peer"),
        other_commissioner=await make_actor("commissioner", pcpg_names=("Swansea Bay",), full_name="Siân Swansea"),
        admin=await make_actor("national_admin", full_name="Nia Admin"),
        domain_ids=[row["id"] for row in domains],
    )


def all_answers(w: World, level: int = 2) -> SelfAssessmentIn:
    return SelfAssessmentIn(
        answers=[SelfAnswerIn(domain_id=d, level=level, evidence=f"Evidence {n}") for n, d in enumerate(w.domain_ids)]
    )


async def submitted(w: World, *, level: int = 2) -> int:
    assessment_id = await assessments.start_assessment(actor=w.provider, now=NOW)
    await assessments.save_self_assessment(
        actor=w.provider, assessment_id=assessment_id, data=all_answers(w, level), now=NOW
    )
    await assessments.submit_self_assessment(actor=w.provider, assessment_id=assessment_id, now=NOW)
    return assessment_id


async def under_review(w: World, *, level: int = 2) -> int:
    assessment_id = await submitted(w, level=level)
    await assessments.name_reviewer(
        actor=w.commissioner, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
    )
    await assessments.declare_review_interests(
        actor=w.peer, assessment_id=assessment_id, data=ReviewDeclarationIn(conflict=False), now=NOW
    )
    return assessment_id


def review_agreeing(w: World, level: int = 2) -> ReviewIn:
    return ReviewIn(answers=[ReviewAnswerIn(domain_id=d, level=level) for d in w.domain_ids])


async def reviewed(w: World, *, level: int = 2) -> int:
    assessment_id = await under_review(w, level=level)
    await assessments.save_review(actor=w.peer, assessment_id=assessment_id, data=review_agreeing(w, level), now=NOW)
    await assessments.submit_review(actor=w.peer, assessment_id=assessment_id, now=NOW)
    return assessment_id


def confirming(w: World, level: int = 2) -> ConfirmationIn:
    return ConfirmationIn(answers=[ConfirmAnswerIn(domain_id=d, level=level) for d in w.domain_ids])
