from datetime import UTC, datetime, timedelta

import pytest

from accounts.rules import (
    LOCKOUT,
    MAX_FAILED_SIGN_INS,
    SESSION_LIFETIME,
    TOKEN_LIFETIME,
    after_failed_sign_in,
    hash_password,
    is_locked,
    password_matches,
    password_problem,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_the_account_locks_for_15_minutes_on_the_fifth_failure_in_a_row():
    assert MAX_FAILED_SIGN_INS == 5
    count, locked_until = 0, None
    for _ in range(4):
        count, locked_until = after_failed_sign_in(count, NOW)
        assert locked_until is None
    assert count == 4
    assert after_failed_sign_in(count, NOW) == (0, NOW + timedelta(minutes=15))
    assert timedelta(minutes=15) == LOCKOUT


def test_a_failure_count_already_past_the_limit_still_locks():
    assert after_failed_sign_in(7, NOW) == (0, NOW + LOCKOUT)


def test_an_account_is_locked_until_the_lock_ends_and_not_after():
    until = NOW + LOCKOUT
    assert is_locked(until, NOW)
    assert is_locked(until, until - timedelta(seconds=1))
    assert not is_locked(until, until)
    assert not is_locked(until, until + timedelta(seconds=1))
    assert not is_locked(None, NOW)


def test_the_right_password_matches_its_hash_and_a_wrong_one_does_not():
    stored = hash_password("correct horse battery")
    assert stored != "correct horse battery"
    assert password_matches(stored, "correct horse battery")
    assert not password_matches(stored, "correct horse batterY")
    assert not password_matches(stored, "")


def test_a_user_without_a_password_hash_never_matches_even_the_placeholder_password():
    assert not password_matches(None, "no-such-user-password")
    assert not password_matches(None, "")


def test_a_damaged_password_hash_does_not_match_instead_of_failing():
    assert not password_matches("not-an-argon2-hash", "anything")


def test_the_same_password_hashes_differently_each_time():
    assert hash_password("correct horse battery") != hash_password("correct horse battery")


@pytest.mark.parametrize(("password", "refused"), [("", True), ("x" * 11, True), ("x" * 12, False), ("x" * 64, False)])
def test_a_password_shorter_than_12_characters_is_refused(password, refused):
    problem = password_problem(password)
    assert (problem == "Password must be at least %(length)s characters") is refused
    assert (problem is None) is not refused


def test_a_web_session_lasts_12_hours_and_an_api_token_8_hours():
    assert timedelta(hours=12) == SESSION_LIFETIME
    assert timedelta(hours=8) == TOKEN_LIFETIME


def test_the_failure_count_goes_up_by_one_below_the_limit():
    assert after_failed_sign_in(0, NOW) == (1, None)
    assert after_failed_sign_in(3, NOW) == (4, None)


def test_an_account_locked_until_a_moment_from_now_is_locked():
    assert is_locked(NOW + timedelta(microseconds=1), NOW)
    assert not is_locked(NOW - timedelta(microseconds=1), NOW)
