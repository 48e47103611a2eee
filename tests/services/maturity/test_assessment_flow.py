"""The yearly maturity assessment through its steps (issue 15, item 4): each step one audited operation, each
refusal writing nothing."""

from __future__ import annotations

import pytest

from audit.tables import AuditEvent
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from maturity.queries.assessments import confirmed_levels, get_assessment
from maturity.rules import AssessmentStatus
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
from maturity.tables import MaturityAnswer, MaturityAssessment, MaturityReviewDeclaration
from tests.maturity_support import (
    NOW,
    all_answers,
    confirming,
    review_agreeing,
    reviewed,
    submitted,
    under_review,
    world,
)


async def _actions() -> list[str]:
    return [row["action"] for row in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.sequence)]


async def test_the_seed_matrix_is_loaded_once_with_an_event_per_domain():
    w = await world()
    assert len(w.domain_ids) == 7
    assert await _actions() == ["maturity_domain.seeded"] * 7
    from accounts.actor import SYSTEM
    from maturity.matrix import load_matrix

    assert await load_matrix(actor=SYSTEM, now=NOW) == 0
    assert len(await _actions()) == 7


async def test_the_whole_flow_ends_confirmed_with_each_step_audited_and_readable_by_confirmed_levels():
    w = await world()
    assessment_id = await reviewed(w, level=3)
    await assessments.confirm_assessment(
        actor=w.commissioner, assessment_id=assessment_id, data=confirming(w, 3), now=NOW
    )

    shown = await get_assessment(actor=w.provider, assessment_id=assessment_id)
    assert shown.status is AssessmentStatus.CONFIRMED
    assert shown.financial_year == 2026 and shown.year_label == "2026-27"
    assert {a.confirmed_level for a in shown.answers} == {3}
    assert (await _actions())[7:] == [
        "maturity_assessment.started",
        "maturity_assessment.saved",
        "maturity_assessment.submitted",
        "maturity_assessment.reviewer_named",
        "maturity_assessment.interests_declared",
        "maturity_assessment.review_saved",
        "maturity_assessment.reviewed",
        "maturity_assessment.confirmed",
    ]
    levels = await confirmed_levels([w.vehicle_id, w.peer_vehicle_id])
    assert levels == {w.vehicle_id: dict.fromkeys(w.domain_ids, 3)}


async def test_one_assessment_per_vehicle_and_financial_year():
    w = await world()
    await assessments.start_assessment(actor=w.provider, now=NOW)
    with pytest.raises(Conflict):
        await assessments.start_assessment(actor=w.provider, now=NOW)
    assert await MaturityAssessment.count() == 1


async def test_submitting_is_refused_field_by_field_while_a_domain_lacks_a_level_or_evidence_and_writes_nothing():
    w = await world()
    assessment_id = await assessments.start_assessment(actor=w.provider, now=NOW)
    first, second = w.domain_ids[:2]
    partial = SelfAssessmentIn(
        answers=[SelfAnswerIn(domain_id=first, level=2, evidence="Minutes"), SelfAnswerIn(domain_id=second, level=3)]
    )
    await assessments.save_self_assessment(actor=w.provider, assessment_id=assessment_id, data=partial, now=NOW)
    before = await AuditEvent.count()
    with pytest.raises(RuleBroken) as refused:
        await assessments.submit_self_assessment(actor=w.provider, assessment_id=assessment_id, now=NOW)
    problems = refused.value.params["problems"]
    assert f"level-{first}" not in problems and f"evidence-{first}" not in problems
    assert f"evidence-{second}" in problems and f"level-{second}" not in problems
    assert f"level-{w.domain_ids[2]}" in problems and f"evidence-{w.domain_ids[2]}" in problems
    assert "Governance" in problems.get(f"level-{first}", "Governance")
    row = await MaturityAssessment.select(MaturityAssessment.status).first()
    assert row is not None and row["status"] == "draft"
    assert await AuditEvent.count() == before


async def test_only_the_vehicles_own_users_answer_its_self_assessment():
    w = await world()
    assessment_id = await assessments.start_assessment(actor=w.provider, now=NOW)
    with pytest.raises(NotFound):  # another vehicle's user cannot even see a draft
        await assessments.save_self_assessment(actor=w.peer, assessment_id=assessment_id, data=all_answers(w), now=NOW)
    with pytest.raises(NotFound):  # nor the commissioner, until it is submitted
        await assessments.save_self_assessment(
            actor=w.commissioner, assessment_id=assessment_id, data=all_answers(w), now=NOW
        )
    assert await MaturityAnswer.count() == 0


async def test_a_reviewer_must_be_a_peer_the_field_named_and_nothing_written():
    w = await world()
    assessment_id = await submitted(w)
    for not_a_peer in (w.provider, w.commissioner, w.admin):  # own vehicle, own PCPG, not a peer role
        with pytest.raises(RuleBroken) as refused:
            await assessments.name_reviewer(
                actor=w.commissioner,
                assessment_id=assessment_id,
                data=ReviewerIn(reviewer_id=not_a_peer.user_id or 0),
                now=NOW,
            )
        assert refused.value.field == "reviewer_id"
    row = await MaturityAssessment.select(MaturityAssessment.status, MaturityAssessment.reviewer).first()
    assert row == {"status": "submitted", "reviewer": None}
    await assessments.name_reviewer(
        actor=w.commissioner,
        assessment_id=assessment_id,
        data=ReviewerIn(reviewer_id=w.other_commissioner.user_id or 0),
        now=NOW,
    )
    row = await MaturityAssessment.select(MaturityAssessment.status, MaturityAssessment.reviewer).first()
    assert row == {"status": "under_peer_review", "reviewer": w.other_commissioner.user_id}
    from notifications.tables import Notification

    notices = await Notification.select(Notification.user, Notification.subject)
    assert notices == [
        {"user": w.other_commissioner.user_id, "subject": "You are named to peer review the maturity of Alpha Care CIC"}
    ]


async def test_only_a_commissioner_of_the_vehicles_pcpg_or_an_admin_names_the_reviewer():
    w = await world()
    assessment_id = await submitted(w)
    with pytest.raises(NotFound):  # a Swansea Bay commissioner does not see a Cardiff vehicle's assessment
        await assessments.name_reviewer(
            actor=w.other_commissioner,
            assessment_id=assessment_id,
            data=ReviewerIn(reviewer_id=w.peer.user_id or 0),
            now=NOW,
        )
    with pytest.raises(NotAllowed):  # the vehicle itself cannot choose its reviewer
        await assessments.name_reviewer(
            actor=w.provider, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
        )
    await assessments.name_reviewer(
        actor=w.admin, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
    )


async def test_a_declared_conflict_stops_the_review_until_a_new_reviewer_is_named():
    w = await world()
    assessment_id = await submitted(w)
    await assessments.name_reviewer(
        actor=w.commissioner, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
    )
    with pytest.raises(RuleBroken) as refused:
        await assessments.declare_review_interests(
            actor=w.peer, assessment_id=assessment_id, data=ReviewDeclarationIn(conflict=True), now=NOW
        )
    assert refused.value.field == "statement"
    stopped = await assessments.declare_review_interests(
        actor=w.peer,
        assessment_id=assessment_id,
        data=ReviewDeclarationIn(conflict=True, statement="I was its chair until March"),
        now=NOW,
    )
    assert stopped is True
    shown = await get_assessment(actor=w.peer, assessment_id=assessment_id)
    assert shown.answers == [] and not shown.answers_shown and not shown.actions.review
    with pytest.raises(Conflict):
        await assessments.save_review(actor=w.peer, assessment_id=assessment_id, data=review_agreeing(w), now=NOW)
    with pytest.raises(RuleBroken) as again:  # the one who declared a conflict cannot be named again
        await assessments.name_reviewer(
            actor=w.commissioner, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
        )
    assert again.value.field == "reviewer_id"
    await assessments.name_reviewer(
        actor=w.commissioner,
        assessment_id=assessment_id,
        data=ReviewerIn(reviewer_id=w.other_commissioner.user_id or 0),
        now=NOW,
    )
    with pytest.raises(NotFound):  # the replaced reviewer no longer sees it
        await get_assessment(actor=w.peer, assessment_id=assessment_id)
    assert await MaturityReviewDeclaration.count() == 1


async def test_the_reviewer_sees_the_answers_only_after_declaring_no_conflict():
    w = await world()
    assessment_id = await submitted(w)
    await assessments.name_reviewer(
        actor=w.commissioner, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
    )
    before = await get_assessment(actor=w.peer, assessment_id=assessment_id)
    assert before.answers == [] and before.actions.declare
    await assessments.declare_review_interests(
        actor=w.peer, assessment_id=assessment_id, data=ReviewDeclarationIn(conflict=False), now=NOW
    )
    after = await get_assessment(actor=w.peer, assessment_id=assessment_id)
    assert len(after.answers) == 7 and after.actions.review


async def test_a_different_level_needs_a_comment_and_submitting_the_review_needs_every_domain():
    w = await world()
    assessment_id = await under_review(w, level=2)
    first = w.domain_ids[0]
    with pytest.raises(RuleBroken) as refused:
        await assessments.save_review(
            actor=w.peer,
            assessment_id=assessment_id,
            data=ReviewIn(answers=[ReviewAnswerIn(domain_id=first, level=3)]),
            now=NOW,
        )
    assert list(refused.value.params["problems"]) == [f"comment-{first}"]
    await assessments.save_review(
        actor=w.peer,
        assessment_id=assessment_id,
        data=ReviewIn(answers=[ReviewAnswerIn(domain_id=first, level=3, comment="Minutes show no risk register")]),
        now=NOW,
    )
    with pytest.raises(RuleBroken) as incomplete:
        await assessments.submit_review(actor=w.peer, assessment_id=assessment_id, now=NOW)
    assert f"level-{w.domain_ids[1]}" in incomplete.value.params["problems"]
    assert f"level-{first}" not in incomplete.value.params["problems"]


async def test_the_confirmer_is_the_vehicles_commissioner_not_the_reviewer_and_differing_needs_a_reason():
    w = await world()
    assessment_id = await submitted(w)
    # A Cardiff commissioner cannot review (own PCPG), so the reviewer is a Swansea Bay commissioner.
    await assessments.name_reviewer(
        actor=w.admin,
        assessment_id=assessment_id,
        data=ReviewerIn(reviewer_id=w.other_commissioner.user_id or 0),
        now=NOW,
    )
    await assessments.declare_review_interests(
        actor=w.other_commissioner, assessment_id=assessment_id, data=ReviewDeclarationIn(conflict=False), now=NOW
    )
    await assessments.save_review(
        actor=w.other_commissioner, assessment_id=assessment_id, data=review_agreeing(w), now=NOW
    )
    await assessments.submit_review(actor=w.other_commissioner, assessment_id=assessment_id, now=NOW)
    for not_confirmer in (w.other_commissioner, w.provider, w.admin):
        with pytest.raises(NotAllowed):
            await assessments.confirm_assessment(
                actor=not_confirmer, assessment_id=assessment_id, data=confirming(w), now=NOW
            )
    first = w.domain_ids[0]
    differing = ConfirmationIn(
        answers=[ConfirmAnswerIn(domain_id=d, level=4 if d == first else 2) for d in w.domain_ids]
    )
    with pytest.raises(RuleBroken) as refused:
        await assessments.confirm_assessment(actor=w.commissioner, assessment_id=assessment_id, data=differing, now=NOW)
    assert list(refused.value.params["problems"]) == [f"reason-{first}"]
    assert await MaturityAnswer.count().where(MaturityAnswer.confirmed_level.is_not_null()) == 0
    differing.answers[0].reason = "Independent audit found outstanding governance"
    await assessments.confirm_assessment(actor=w.commissioner, assessment_id=assessment_id, data=differing, now=NOW)
    assert (await confirmed_levels([w.vehicle_id]))[w.vehicle_id][first] == 4
    with pytest.raises(Conflict):  # confirmed results are final
        await assessments.confirm_assessment(
            actor=w.commissioner, assessment_id=assessment_id, data=confirming(w), now=NOW
        )


async def test_confirmed_levels_reads_each_vehicles_latest_confirmed_year_only():
    from datetime import timedelta

    w = await world()
    last_year = NOW - timedelta(days=365)
    for when, level in ((last_year, 1), (NOW, 3)):
        assessment_id = await assessments.start_assessment(actor=w.provider, now=when)
        await assessments.save_self_assessment(
            actor=w.provider, assessment_id=assessment_id, data=all_answers(w, level), now=when
        )
        await assessments.submit_self_assessment(actor=w.provider, assessment_id=assessment_id, now=when)
        await assessments.name_reviewer(
            actor=w.commissioner,
            assessment_id=assessment_id,
            data=ReviewerIn(reviewer_id=w.peer.user_id or 0),
            now=when,
        )
        await assessments.declare_review_interests(
            actor=w.peer, assessment_id=assessment_id, data=ReviewDeclarationIn(conflict=False), now=when
        )
        await assessments.save_review(
            actor=w.peer, assessment_id=assessment_id, data=review_agreeing(w, level), now=when
        )
        await assessments.submit_review(actor=w.peer, assessment_id=assessment_id, now=when)
        if level == 1:
            await assessments.confirm_assessment(
                actor=w.commissioner, assessment_id=assessment_id, data=confirming(w, level), now=when
            )
    assert set((await confirmed_levels([w.vehicle_id]))[w.vehicle_id].values()) == {1}  # this year not yet confirmed
    await assessments.confirm_assessment(
        actor=w.commissioner, assessment_id=assessment_id, data=confirming(w, 3), now=NOW
    )
    assert set((await confirmed_levels([w.vehicle_id]))[w.vehicle_id].values()) == {3}
    assert await confirmed_levels([]) == {}
