"""Managing users: which part of a scope each role keeps, who may be deactivated, when a password link works."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.actor import Actor, Role
from accounts.rules import (
    PASSWORD_LINK_LIFETIME,
    UserScope,
    UserStatus,
    can_manage_users,
    deactivation_refusal,
    full_name_problem,
    hash_password,
    is_password_link_usable,
    is_username,
    password_matches,
    passwords_problem,
    scope_for,
    scope_problem,
    user_actions,
    user_status,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ADMIN = Actor(user_id=1, username="admin", role=Role.NATIONAL_ADMIN)


def _refusal(
    actor: Actor = ADMIN, *, user_id: int = 2, role: Role = Role.EVALUATOR, active: bool = True, admins: int = 2
):
    return deactivation_refusal(actor, user_id=user_id, role=role, active=active, active_national_admins=admins)


def test_only_a_national_administrator_manages_users():
    assert can_manage_users(ADMIN)
    for role in set(Role) - {Role.NATIONAL_ADMIN}:
        assert not can_manage_users(Actor(user_id=1, username="x", role=role))
    assert not can_manage_users(Actor(user_id=None, username="system", role=None))


def test_each_role_keeps_only_its_own_part_of_a_scope():
    given = {"pcpg_ids": (3, 1, 3), "health_board_id": 7, "delivery_vehicle_id": 9}
    assert scope_for(Role.COMMISSIONER, **given) == UserScope(pcpg_ids=(1, 3))
    assert scope_for(Role.FINANCE_DIRECTOR, **given) == UserScope(health_board_id=7)
    assert scope_for(Role.PROVIDER, **given) == UserScope(delivery_vehicle_id=9)
    assert scope_for(Role.EVALUATOR, **given) == UserScope()
    assert scope_for(Role.NATIONAL_ADMIN, **given) == UserScope()


def test_a_commissioner_needs_a_pcpg_and_a_finance_director_a_health_board_but_a_provider_may_start_without_a_vehicle():
    assert scope_problem(Role.COMMISSIONER, UserScope())[0] == "pcpg_ids"
    assert scope_problem(Role.COMMISSIONER, UserScope(pcpg_ids=(1,))) is None
    assert scope_problem(Role.FINANCE_DIRECTOR, UserScope())[0] == "health_board_id"
    assert scope_problem(Role.FINANCE_DIRECTOR, UserScope(health_board_id=1)) is None
    assert scope_problem(Role.PROVIDER, UserScope()) is None
    assert scope_problem(Role.EVALUATOR, UserScope()) is None
    assert scope_problem(Role.NATIONAL_ADMIN, UserScope()) is None


def test_the_last_active_national_administrator_cannot_deactivate_themselves():
    refusal = _refusal(user_id=ADMIN.user_id, role=Role.NATIONAL_ADMIN, admins=1)
    assert refusal == "You are the last active national administrator, so you cannot deactivate your own account"


def test_a_national_administrator_may_deactivate_themselves_while_another_stays_active():
    assert _refusal(user_id=ADMIN.user_id, role=Role.NATIONAL_ADMIN, admins=2) is None


def test_nobody_may_deactivate_the_last_active_national_administrator():
    system = Actor(user_id=None, username="system", role=None)
    assert _refusal(system, user_id=5, role=Role.NATIONAL_ADMIN, admins=1) == (
        "This is the last active national administrator, so the account cannot be deactivated"
    )
    assert _refusal(system, user_id=5, role=Role.NATIONAL_ADMIN, admins=0) is not None


def test_any_other_active_account_may_be_deactivated_even_with_one_national_administrator():
    for role in set(Role) - {Role.NATIONAL_ADMIN}:
        assert _refusal(role=role, admins=1) is None


def test_an_account_already_deactivated_is_not_deactivated_twice():
    assert _refusal(active=False) == "This account is already deactivated"
    assert _refusal(active=False, role=Role.NATIONAL_ADMIN, admins=1) == "This account is already deactivated"


def test_a_password_link_works_until_it_expires_once_unused_and_for_an_active_account():
    expires_at = NOW + PASSWORD_LINK_LIFETIME
    assert PASSWORD_LINK_LIFETIME == timedelta(hours=24)
    assert is_password_link_usable(expires_at=expires_at, used_at=None, active=True, now=NOW)
    assert is_password_link_usable(
        expires_at=expires_at, used_at=None, active=True, now=expires_at - timedelta(microseconds=1)
    )
    assert not is_password_link_usable(expires_at=expires_at, used_at=None, active=True, now=expires_at)
    assert not is_password_link_usable(expires_at=expires_at, used_at=NOW, active=True, now=NOW)
    assert not is_password_link_usable(expires_at=expires_at, used_at=None, active=False, now=NOW)


def test_a_new_password_is_long_enough_and_typed_the_same_twice():
    assert passwords_problem("", "") == ("password", "Enter a new password")
    assert passwords_problem("short", "short") == ("password", "Password must be at least %(length)s characters")
    assert passwords_problem("x" * 11, "x" * 11)[0] == "password"
    assert passwords_problem("x" * 12, "x" * 12) is None
    assert passwords_problem("x" * 12, "y" * 12) == ("confirmation", "The passwords do not match")
    assert passwords_problem("x" * 12, "") == ("confirmation", "The passwords do not match")


def test_a_full_name_is_required_and_at_most_120_characters():
    assert full_name_problem("") == "Enter the person's full name"
    assert full_name_problem("   ") == "Enter the person's full name"
    assert full_name_problem("Siân Davies") is None
    assert full_name_problem("a" * 120) is None
    assert full_name_problem("a" * 121) == "Full name must be 120 characters or fewer"


@pytest.mark.parametrize("name", ["ab", "rhian", "rhian.evans", "r_evans-2", "rhian@example.org", "A" * 80])
def test_usernames_of_letters_digits_and_a_few_marks_are_accepted(name):
    assert is_username(name)


@pytest.mark.parametrize("name", ["", "a", "-rhian", ".rhian", "rhian evans", "rhian/evans", "A" * 81, "rhîan"])
def test_other_usernames_are_refused(name):
    assert not is_username(name)


def test_a_user_with_no_password_yet_matches_no_password_not_even_the_dummy_one():
    assert not password_matches("", "no-such-user-password")
    assert not password_matches(None, "no-such-user-password")
    assert not password_matches("", "")
    assert password_matches(hash_password("a-long-enough-password"), "a-long-enough-password")


def test_an_account_is_active_until_deactivated():
    assert user_status(True) is UserStatus.ACTIVE
    assert user_status(False) is UserStatus.DEACTIVATED
    assert (UserStatus.ACTIVE.label, UserStatus.DEACTIVATED.label) == ("Active", "Deactivated")
    assert (UserStatus.ACTIVE.colour, UserStatus.DEACTIVATED.colour) == ("green", "grey")


def test_the_user_page_offers_what_the_rules_allow():
    commissioner = user_actions(ADMIN, user_id=2, role=Role.COMMISSIONER, active=True, active_national_admins=1)
    assert (commissioner.can_change_scope, commissioner.can_deactivate, commissioner.can_issue_password_link) == (
        True,
        True,
        True,
    )
    evaluator = user_actions(ADMIN, user_id=2, role=Role.EVALUATOR, active=True, active_national_admins=1)
    assert not evaluator.can_change_scope, "an evaluator acts for no organisation"
    deactivated = user_actions(ADMIN, user_id=2, role=Role.PROVIDER, active=False, active_national_admins=1)
    assert (deactivated.can_change_scope, deactivated.can_deactivate, deactivated.can_issue_password_link) == (
        False,
        False,
        False,
    )
    assert deactivated.cannot_deactivate_because is None
    myself = user_actions(ADMIN, user_id=1, role=Role.NATIONAL_ADMIN, active=True, active_national_admins=1)
    assert not myself.can_deactivate
    assert myself.cannot_deactivate_because == (
        "You are the last active national administrator, so you cannot deactivate your own account"
    )
    commissioner_actor = Actor(user_id=3, username="c", role=Role.COMMISSIONER)
    offered = user_actions(commissioner_actor, user_id=2, role=Role.PROVIDER, active=True, active_national_admins=1)
    assert offered == type(offered)(can_change_scope=False, can_deactivate=False, can_issue_password_link=False)
