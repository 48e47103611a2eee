from datetime import UTC, datetime, timedelta

import pytest

from accounts.rules import (
    ADDRESS_THROTTLE,
    SESSION_LIFETIME,
    TOKEN_LIFETIME,
    USERNAME_THROTTLE,
    SignInWait,
    Throttle,
    failure_key,
    hash_password,
    password_matches,
    password_problem,
    retry_after_minutes,
    retry_after_seconds,
    sign_in_wait,
    throttle_message,
    throttle_wait,
    wait_left,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


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


MINUTE = timedelta(minutes=1)


def test_five_failures_at_a_username_are_free_then_each_doubles_the_wait_up_to_15_minutes():
    waits = [throttle_wait(USERNAME_THROTTLE, failures) for failures in range(12)]
    assert waits == [timedelta(0)] * 5 + [MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE] + [15 * MINUTE] * 3


def test_an_address_gets_thirty_free_failures_then_waits_that_double_up_to_an_hour():
    assert throttle_wait(ADDRESS_THROTTLE, 29) == timedelta(0)
    assert throttle_wait(ADDRESS_THROTTLE, 30) == MINUTE
    assert throttle_wait(ADDRESS_THROTTLE, 35) == 32 * MINUTE
    assert throttle_wait(ADDRESS_THROTTLE, 36) == timedelta(hours=1)
    assert throttle_wait(ADDRESS_THROTTLE, 10_000) == timedelta(hours=1), "however many, the wait is capped"


def test_one_address_cannot_fail_often_enough_to_keep_a_usernames_wait_going():
    """The design's promise (accounts.rules): keeping a username waiting takes a failure every longest wait; one
    address, at its own longest wait, fails less often than that, so the owner's wait lapses."""
    assert ADDRESS_THROTTLE.longest_wait > USERNAME_THROTTLE.longest_wait
    per_day = timedelta(days=1)
    assert ADDRESS_THROTTLE.free_failures + per_day / ADDRESS_THROTTLE.longest_wait < per_day / (
        USERNAME_THROTTLE.longest_wait
    )


def test_the_wait_runs_from_the_latest_failure_and_ends_by_itself():
    last = NOW - 90 * timedelta(seconds=1)
    assert wait_left(USERNAME_THROTTLE, failures=6, last_failed_at=last, now=NOW) == timedelta(seconds=30)
    assert wait_left(USERNAME_THROTTLE, failures=6, last_failed_at=last, now=last + 2 * MINUTE) == timedelta(0)
    assert wait_left(USERNAME_THROTTLE, failures=4, last_failed_at=NOW, now=NOW) == timedelta(0)
    assert wait_left(USERNAME_THROTTLE, failures=0, last_failed_at=None, now=NOW) == timedelta(0)


def test_a_clock_moved_back_never_makes_the_wait_longer_than_the_longest():
    later = NOW + timedelta(days=30)
    assert wait_left(USERNAME_THROTTLE, failures=50, last_failed_at=later, now=NOW) == 15 * MINUTE


def test_the_longer_of_the_username_and_address_waits_applies():
    by_username = SignInWait(username_failures=6, username_last_failed_at=NOW)
    assert sign_in_wait(by_username, NOW) == 2 * MINUTE
    by_address = SignInWait(
        username_failures=1, username_last_failed_at=NOW, address_failures=33, address_last_failed_at=NOW
    )
    assert sign_in_wait(by_address, NOW) == 8 * MINUTE
    assert sign_in_wait(SignInWait(), NOW) == timedelta(0)


def test_a_wait_is_told_in_whole_minutes_and_seconds_rounded_up():
    assert (retry_after_minutes(timedelta(seconds=1)), retry_after_seconds(timedelta(seconds=1))) == (1, 1)
    assert (retry_after_minutes(timedelta(seconds=61)), retry_after_seconds(timedelta(seconds=60.2))) == (2, 61)
    assert throttle_message(timedelta(seconds=59)).endswith("Try again in 1 minute")
    assert throttle_message(timedelta(minutes=14)).endswith("Try again in %(minutes)s minutes")


def test_a_failure_is_counted_under_a_digest_never_the_words_typed():
    key = failure_key("username", "correct horse battery")
    assert len(key) == 64 and "horse" not in key
    assert key != failure_key("address", "correct horse battery")
    assert failure_key("address", "\udcff") == failure_key("address", "\udcff"), "any text at all can be counted"


def test_a_throttle_of_any_shape_never_waits_longer_than_its_longest():
    throttle = Throttle(free_failures=0, first_wait=timedelta(seconds=1), longest_wait=timedelta(seconds=5))
    assert [throttle_wait(throttle, n).total_seconds() for n in range(5)] == [1, 2, 4, 5, 5]
