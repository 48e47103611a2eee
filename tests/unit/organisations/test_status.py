"""A delivery vehicle's status: the allowed moves, the reader's words for it, and what each reader is offered."""

from __future__ import annotations

import pytest

from accounts.actor import Actor, Role
from core.i18n import translations
from organisations.rules import (
    TRANSITIONS,
    DeliveryVehicleStatus,
    can_decide_now,
    can_move,
    is_waiting_for_own_review,
    lists_delivery_vehicles,
    vehicle_scope,
)

PENDING, APPROVED, REJECTED = (
    DeliveryVehicleStatus.PENDING,
    DeliveryVehicleStatus.APPROVED,
    DeliveryVehicleStatus.REJECTED,
)
ALLOWED = {(PENDING, APPROVED), (PENDING, REJECTED)}


def _actor(role: Role | None, **scope) -> Actor:
    return Actor(user_id=1, username="someone", role=role, **scope)


@pytest.mark.parametrize(("current", "to"), sorted(ALLOWED))
def test_a_waiting_registration_may_be_approved_or_rejected(current, to):
    assert can_move(current, to)


@pytest.mark.parametrize(
    ("current", "to"),
    [(a, b) for a in DeliveryVehicleStatus for b in DeliveryVehicleStatus if (a, b) not in ALLOWED],
)
def test_every_other_move_is_refused_so_a_decision_is_never_changed(current, to):
    assert not can_move(current, to)


def test_the_table_names_every_status():
    assert set(TRANSITIONS) == set(DeliveryVehicleStatus)


def test_the_stored_values_stay_the_strings_the_database_holds():
    assert [status.value for status in DeliveryVehicleStatus] == ["pending", "approved", "rejected"]


@pytest.mark.parametrize("status", list(DeliveryVehicleStatus))
def test_each_status_has_a_label_in_english_and_welsh_and_never_shows_its_code(status):
    assert status.label != status.value
    assert translations("cy").gettext(status.label) != status.label, "the Welsh catalogue translates it"
    assert status.colour in ("yellow", "green", "red")


def test_approve_and_reject_are_offered_only_while_waiting_and_only_to_deciders():
    commissioner = _actor(Role.COMMISSIONER, pcpg_ids=(10,))
    assert can_decide_now(commissioner, status=PENDING, pcpg_ids=[10])
    assert not can_decide_now(commissioner, status=APPROVED, pcpg_ids=[10])
    assert not can_decide_now(commissioner, status=REJECTED, pcpg_ids=[10])
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
