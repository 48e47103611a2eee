"""The maturity rules with plain values: who may review and confirm, when answers are complete, the lifecycle, and
the radar chart's text."""

from __future__ import annotations

import itertools
import re

import pytest

from accounts.actor import Role
from core.errors import Conflict, RuleBroken
from maturity import rules
from maturity.radar import RadarSeries, radar_svg
from maturity.rules import AssessmentStatus

VEHICLE = 10
CARDIFF, SWANSEA = 1, 2
DOMAINS = {1: "Governance", 2: "Finance"}


def _eligible(**changes):
    values = {
        "role": Role.PROVIDER,
        "active": True,
        "reviewer_vehicle_id": 11,
        "reviewer_pcpg_ids": (),
        "vehicle_id": VEHICLE,
        "vehicle_pcpg_ids": (CARDIFF,),
    } | changes
    return rules.is_eligible_reviewer(**values)


def test_a_peer_is_a_user_of_another_vehicle_or_a_commissioner_of_another_pcpg():
    assert _eligible()
    assert not _eligible(reviewer_vehicle_id=VEHICLE)  # the vehicle's own user
    assert not _eligible(reviewer_vehicle_id=None)  # a provider with no vehicle
    assert _eligible(role=Role.COMMISSIONER, reviewer_vehicle_id=None, reviewer_pcpg_ids=(SWANSEA,))
    assert not _eligible(role=Role.COMMISSIONER, reviewer_vehicle_id=None, reviewer_pcpg_ids=(SWANSEA, CARDIFF))
    assert not _eligible(role=Role.COMMISSIONER, reviewer_vehicle_id=None, reviewer_pcpg_ids=())
    for role in (Role.NATIONAL_ADMIN, Role.EVALUATOR, Role.FINANCE_DIRECTOR, None):
        assert not _eligible(role=role)
    assert not _eligible(active=False)
    assert not _eligible(declared_conflict=True)


def test_the_confirmer_is_a_commissioner_of_the_vehicles_pcpg_who_is_not_its_reviewer():
    def confirms(role, user_id=5, pcpgs=(CARDIFF,), reviewer=7):
        return rules.can_confirm(
            role=role, user_id=user_id, actor_pcpg_ids=pcpgs, vehicle_pcpg_ids=(CARDIFF,), reviewer_id=reviewer
        )

    assert confirms(Role.COMMISSIONER)
    assert not confirms(Role.COMMISSIONER, reviewer=5)
    assert not confirms(Role.COMMISSIONER, pcpgs=(SWANSEA,))
    assert not confirms(Role.NATIONAL_ADMIN)
    assert not confirms(Role.PROVIDER)


def test_naming_a_reviewer_is_for_a_commissioner_of_the_vehicle_or_a_national_admin():
    assert rules.can_name_reviewer(Role.NATIONAL_ADMIN, (), (CARDIFF,))
    assert rules.can_name_reviewer(Role.COMMISSIONER, (CARDIFF,), (CARDIFF,))
    assert not rules.can_name_reviewer(Role.COMMISSIONER, (SWANSEA,), (CARDIFF,))
    assert not rules.can_name_reviewer(Role.PROVIDER, (), (CARDIFF,))


def test_a_submission_needs_a_level_and_evidence_for_every_domain_a_draft_does_not():
    answers = {1: (3, "Minutes"), 2: (None, " ")}
    assert rules.self_assessment_problems(DOMAINS, answers, complete=False) == {}
    assert set(rules.self_assessment_problems(DOMAINS, answers, complete=True)) == {"level-2", "evidence-2"}
    assert rules.self_assessment_problems(DOMAINS, {1: (3, "a"), 2: (1, "b")}, complete=True) == {}
    assert set(rules.self_assessment_problems(DOMAINS, {1: (5, "a")}, complete=False)) == {"level-1"}
    assert "Finance" in rules.self_assessment_problems(DOMAINS, {}, complete=True)["level-2"]


def test_a_reviewer_agrees_with_the_same_level_and_must_comment_on_a_different_one():
    self_levels = {1: 2, 2: 3}
    assert rules.review_problems(DOMAINS, self_levels, {1: (2, ""), 2: (3, "")}, complete=True) == {}
    assert set(rules.review_problems(DOMAINS, self_levels, {1: (4, ""), 2: (3, "")}, complete=True)) == {"comment-1"}
    assert rules.review_problems(DOMAINS, self_levels, {1: (4, "No risk register")}, complete=False) == {}
    assert set(rules.review_problems(DOMAINS, self_levels, {1: (2, "")}, complete=True)) == {"level-2"}


def test_the_commissioner_needs_a_reason_only_where_they_differ_from_the_reviewer():
    review = {1: 2, 2: 3}
    assert rules.confirmation_problems(DOMAINS, review, {1: (2, ""), 2: (3, "")}) == {}
    assert set(rules.confirmation_problems(DOMAINS, review, {1: (1, ""), 2: (3, "")})) == {"reason-1"}
    assert set(rules.confirmation_problems(DOMAINS, review, {1: (2, "")})) == {"level-2"}


def test_problems_are_refused_all_at_once_each_on_its_field():
    with pytest.raises(RuleBroken) as refused:
        rules.refuse_if_any({"level-1": "a", "evidence-2": "b"}, "Check")
    assert refused.value.field == "level-1" and list(refused.value.params["problems"]) == ["level-1", "evidence-2"]
    rules.refuse_if_any({}, "Check")


def test_the_lifecycle_moves_forward_only_and_a_confirmed_assessment_is_final():
    order = list(AssessmentStatus)
    for current, following in itertools.pairwise(order):
        rules.check_move(current, following)
    for status in AssessmentStatus:
        with pytest.raises(Conflict):
            rules.check_move(AssessmentStatus.CONFIRMED, status)
    with pytest.raises(Conflict):
        rules.check_move(AssessmentStatus.DRAFT, AssessmentStatus.CONFIRMED)
    assert {status.label for status in AssessmentStatus} == {
        "Draft",
        "Submitted",
        "Under peer review",
        "Reviewed",
        "Confirmed",
    }


def test_the_reviewer_is_offered_to_declare_then_to_review_and_a_conflict_offers_a_new_name():
    def actions(**changes):
        values = {
            "status": AssessmentStatus.UNDER_PEER_REVIEW,
            "role": Role.PROVIDER,
            "user_id": 7,
            "actor_vehicle_id": 11,
            "actor_pcpg_ids": (),
            "vehicle_id": VEHICLE,
            "vehicle_pcpg_ids": (CARDIFF,),
            "reviewer_id": 7,
            "reviewer_declared": False,
            "reviewer_conflict": False,
        } | changes
        return {name for name, offered in rules.assessment_actions(**values).items() if offered}

    assert actions() == {"declare"}
    assert actions(reviewer_declared=True) == {"review"}
    assert actions(reviewer_declared=True, reviewer_conflict=True) == set()
    commissioner = {"role": Role.COMMISSIONER, "user_id": 5, "actor_vehicle_id": None, "actor_pcpg_ids": (CARDIFF,)}
    assert actions(**commissioner, reviewer_declared=True, reviewer_conflict=True) == {"name_reviewer"}
    assert actions(**commissioner, reviewer_declared=True) == set()
    assert actions(**commissioner, status=AssessmentStatus.REVIEWED) == {"confirm"}
    assert not rules.sees_self_assessment(is_reviewer=True, reviewer_declared=False, reviewer_conflict=False)
    assert rules.sees_self_assessment(is_reviewer=False, reviewer_declared=False, reviewer_conflict=False)


def test_the_radar_chart_writes_each_domain_and_level_as_text_and_names_itself():
    svg = str(
        radar_svg(
            identifier="c",
            title="Maturity <levels>",
            description="Levels",
            domains=["Governance", "Data and reporting", "Patient engagement"],
            series=[RadarSeries("2026-27", [3, 4, None]), RadarSeries("2025-26", [1, 2, 2])],
        )
    )
    assert 'role="img"' in svg and "Maturity &lt;levels&gt;" in svg
    texts = re.findall(r">([^<>]+)</(?:text|tspan)>", svg)
    assert {"Governance", "Data and", "reporting", "3", "4", "2026-27", "2025-26"} <= set(texts)
    assert "stroke-dasharray" in svg  # the earlier year is dashed, not told apart by colour alone
    assert "<script" not in svg
