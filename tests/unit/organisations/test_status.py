"""A delivery vehicle's status: the allowed moves, the reader's words for it, and what each reader is offered."""

from __future__ import annotations

import pytest

from accounts.actor import Actor, Role
from core.errors import Conflict, RuleBroken
from core.i18n import translations
from organisations.rules import (
    ACTION_MOVES,
    DECISIONS,
    TRANSITIONS,
    DeliveryVehicleStatus,
    VehicleAction,
    bidding_refusal,
    can_decide_now,
    can_move,
    can_reinstate_now,
    can_suspend,
    can_suspend_now,
    can_take,
    decision_refusal,
    is_waiting_for_own_review,
    lists_delivery_vehicles,
    may_bid,
    vehicle_scope,
)

PENDING, APPROVED, REJECTED, SUSPENDED = (
    DeliveryVehicleStatus.PENDING,
    DeliveryVehicleStatus.APPROVED,
    DeliveryVehicleStatus.REJECTED,
    DeliveryVehicleStatus.SUSPENDED,
)
ALLOWED = {(PENDING, APPROVED), (PENDING, REJECTED), (APPROVED, SUSPENDED), (SUSPENDED, APPROVED)}


def _actor(role: Role | None, **scope) -> Actor:
    return Actor(user_id=1, username="someone", role=role, **scope)


@pytest.mark.parametrize(("current", "to"), sorted(ALLOWED))
def test_a_waiting_registration_is_approved_or_rejected_and_an_approved_vehicle_suspended_and_reinstated(current, to):
    assert can_move(current, to)


@pytest.mark.parametrize(
    ("current", "to"),
    [(a, b) for a in DeliveryVehicleStatus for b in DeliveryVehicleStatus if (a, b) not in ALLOWED],
)
def test_every_other_move_is_refused_so_a_decision_is_never_changed(current, to):
    """Among them: a rejected vehicle is never suspended or approved, a suspended one never rejected, a waiting one
    never suspended, and nothing goes back to waiting."""
    assert not can_move(current, to)


@pytest.mark.parametrize(
    ("action", "current"),
    [(action, status) for action in VehicleAction for status in DeliveryVehicleStatus],
)
def test_each_action_applies_only_from_its_own_starting_status(action, current):
    expected = {
        (VehicleAction.APPROVE, PENDING),
        (VehicleAction.REJECT, PENDING),
        (VehicleAction.SUSPEND, APPROVED),
        (VehicleAction.REINSTATE, SUSPENDED),
    }
    assert can_take(action, current) is ((action, current) in expected)


def test_approving_a_suspended_vehicle_is_not_reinstating_it():
    assert can_move(SUSPENDED, APPROVED)
    assert not can_take(VehicleAction.APPROVE, SUSPENDED)
    assert can_take(VehicleAction.REINSTATE, SUSPENDED)


def test_the_actions_make_exactly_the_allowed_moves_and_the_decisions_are_approve_and_reject():
    assert set(ACTION_MOVES.values()) == ALLOWED
    assert DECISIONS == {"approve": APPROVED, "reject": REJECTED}


@pytest.mark.parametrize("status", list(DeliveryVehicleStatus))
def test_only_an_approved_vehicle_bids_and_a_suspended_one_is_told_why_not(status):
    assert may_bid(status) is (status is APPROVED)
    refusal = bidding_refusal(status)
    if status is APPROVED:
        assert refusal is None
    elif status is SUSPENDED:
        assert refusal == (
            "Your delivery vehicle is suspended, so it cannot bid until a national administrator reinstates it"
        )
    else:
        assert refusal == "Your delivery vehicle must be approved before it can bid"


def test_only_a_national_administrator_suspends_or_reinstates():
    admin = _actor(Role.NATIONAL_ADMIN)
    assert can_suspend(admin)
    assert can_suspend_now(admin, status=APPROVED)
    assert can_reinstate_now(admin, status=SUSPENDED)
    for status in (PENDING, REJECTED, SUSPENDED):
        assert not can_suspend_now(admin, status=status)
    for status in (PENDING, REJECTED, APPROVED):
        assert not can_reinstate_now(admin, status=status)
    for role in (Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER, Role.EVALUATOR, None):
        other = _actor(role, pcpg_ids=(10,))
        assert not can_suspend(other)
        assert not can_suspend_now(other, status=APPROVED)
        assert not can_reinstate_now(other, status=SUSPENDED)


def test_the_table_names_every_status():
    assert set(TRANSITIONS) == set(DeliveryVehicleStatus)


def test_the_stored_values_stay_the_strings_the_database_holds():
    assert [status.value for status in DeliveryVehicleStatus] == ["pending", "approved", "rejected", "suspended"]


@pytest.mark.parametrize("status", list(DeliveryVehicleStatus))
def test_each_status_has_a_label_in_english_and_welsh_and_never_shows_its_code(status):
    assert status.label != status.value
    assert translations("cy").gettext(status.label) != status.label, "the Welsh catalogue translates it"
    assert status.colour in ("yellow", "green", "red", "orange")


def test_approve_and_reject_are_offered_only_while_waiting_and_only_to_deciders():
    commissioner = _actor(Role.COMMISSIONER, pcpg_ids=(10,))
    assert can_decide_now(commissioner, status=PENDING, pcpg_ids=[10])
    assert not can_decide_now(commissioner, status=APPROVED, pcpg_ids=[10])
    assert not can_decide_now(commissioner, status=REJECTED, pcpg_ids=[10])
    assert not can_decide_now(commissioner, status=SUSPENDED, pcpg_ids=[10])
    assert not can_decide_now(commissioner, status=PENDING, pcpg_ids=[11]), "another PCPG's vehicle"
    assert can_decide_now(_actor(Role.NATIONAL_ADMIN), status=PENDING, pcpg_ids=[])
    for role in (Role.FINANCE_DIRECTOR, Role.PROVIDER, Role.EVALUATOR):
        assert not can_decide_now(_actor(role, health_board_id=2, delivery_vehicle_id=4), status=PENDING, pcpg_ids=[10])


def test_only_the_provider_of_a_waiting_vehicle_is_told_it_waits_for_review():
    mine = _actor(Role.PROVIDER, delivery_vehicle_id=4)
    assert is_waiting_for_own_review(mine, status=PENDING, delivery_vehicle_id=4)
    assert not is_waiting_for_own_review(mine, status=APPROVED, delivery_vehicle_id=4)
    assert not is_waiting_for_own_review(mine, status=PENDING, delivery_vehicle_id=5)
    assert not is_waiting_for_own_review(
        _actor(Role.COMMISSIONER, pcpg_ids=(10,)), status=PENDING, delivery_vehicle_id=4
    )


def test_providers_are_sent_to_their_vehicle_rather_than_shown_a_list():
    assert not lists_delivery_vehicles(_actor(Role.PROVIDER, delivery_vehicle_id=4))
    assert not lists_delivery_vehicles(_actor(Role.EVALUATOR))
    for role in (Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR):
        assert lists_delivery_vehicles(_actor(role))


def test_the_scope_names_what_each_reader_may_see():
    assert vehicle_scope(_actor(Role.NATIONAL_ADMIN)).every
    assert vehicle_scope(_actor(Role.PROVIDER, delivery_vehicle_id=4)).ids == (4,)
    assert vehicle_scope(_actor(Role.COMMISSIONER, pcpg_ids=(10, 11))).ids == (10, 11)
    assert vehicle_scope(_actor(Role.FINANCE_DIRECTOR, health_board_id=2)).by == "health_board"
    for nobody in (_actor(Role.PROVIDER), _actor(Role.EVALUATOR), _actor(None), _actor(Role.FINANCE_DIRECTOR)):
        scope = vehicle_scope(nobody)
        assert not scope.every and scope.ids == (), nobody


@pytest.mark.parametrize("action", [VehicleAction.APPROVE, VehicleAction.REJECT])
@pytest.mark.parametrize("current", [APPROVED, REJECTED, SUSPENDED])
def test_a_registration_already_decided_is_not_decided_again(action, current):
    refusal = decision_refusal(action, current=current, reason="Reason given")
    assert isinstance(refusal, Conflict) and refusal.params == {"status": current.value}


def test_a_rejection_needs_a_reason_and_an_approval_does_not():
    refusal = decision_refusal(VehicleAction.REJECT, current=PENDING, reason="  ")
    assert isinstance(refusal, RuleBroken) and refusal.field == "reason"
    assert decision_refusal(VehicleAction.REJECT, current=PENDING, reason="No insurance") is None
    assert decision_refusal(VehicleAction.APPROVE, current=PENDING, reason="") is None
