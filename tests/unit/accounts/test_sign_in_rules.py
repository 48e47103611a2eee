"""How long a page session or API token signs someone in, and who may end one (accounts.rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from accounts import rules
from accounts.actor import Actor, Role

MADE = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
EIGHT_HOURS = MADE + rules.TOKEN_LIFETIME


def _live(now: datetime, last_used_at: datetime | None = None, expires_at: datetime = EIGHT_HOURS) -> bool:
    return rules.is_sign_in_live(created_at=MADE, expires_at=expires_at, last_used_at=last_used_at, now=now)


def test_the_idle_limit_is_thirty_minutes_as_asvs_level_two_asks():
    assert rules.IDLE_LIMIT == timedelta(minutes=30)
    assert rules.TOKEN_LIFETIME == timedelta(hours=8)


def test_a_sign_in_never_used_works_for_thirty_minutes_from_when_it_was_made():
    assert _live(MADE + timedelta(minutes=29, seconds=59))
    assert not _live(MADE + timedelta(minutes=30))


def test_each_use_keeps_it_going_for_another_thirty_minutes():
    used = MADE + timedelta(hours=3)
    assert _live(used + timedelta(minutes=29), last_used_at=used)
    assert not _live(used + timedelta(minutes=30), last_used_at=used)


def test_however_busy_it_ends_with_its_lifetime():
    used = EIGHT_HOURS - timedelta(minutes=1)
    assert _live(EIGHT_HOURS - timedelta(seconds=1), last_used_at=used)
    assert not _live(EIGHT_HOURS, last_used_at=used)
    ends = rules.sign_in_ends_at(created_at=MADE, expires_at=EIGHT_HOURS, last_used_at=used)
    assert ends == EIGHT_HOURS


def test_it_ends_when_idle_or_at_its_lifetime_whichever_comes_first():
    used = MADE + timedelta(hours=1)
    assert rules.sign_in_ends_at(created_at=MADE, expires_at=EIGHT_HOURS, last_used_at=used) == used + timedelta(
        minutes=30
    )
    assert rules.sign_in_ends_at(created_at=MADE, expires_at=EIGHT_HOURS, last_used_at=None) == MADE + timedelta(
        minutes=30
    )


def test_a_recorded_use_before_it_was_made_counts_as_made():
    assert rules.last_active_at(MADE, MADE - timedelta(days=1)) == MADE
    assert rules.last_active_at(MADE, None) == MADE


def test_its_use_is_written_down_at_most_once_a_minute():
    assert not rules.needs_recording_use(created_at=MADE, last_used_at=None, now=MADE + timedelta(seconds=59))
    assert rules.needs_recording_use(created_at=MADE, last_used_at=None, now=MADE + timedelta(minutes=1))
    used = MADE + timedelta(minutes=10)
    assert not rules.needs_recording_use(created_at=MADE, last_used_at=used, now=used + timedelta(seconds=30))
    assert rules.needs_recording_use(created_at=MADE, last_used_at=used, now=used + timedelta(seconds=61))


def _actor(user_id: int, role: Role) -> Actor:
    return Actor(user_id=user_id, username=f"user{user_id}", role=role)


def test_users_end_their_own_sign_ins_and_a_national_administrator_ends_anyones():
    assert rules.can_end_sign_ins(_actor(4, Role.PROVIDER), 4)
    assert not rules.can_end_sign_ins(_actor(4, Role.PROVIDER), 5)
    assert not rules.can_end_sign_ins(_actor(4, Role.COMMISSIONER), 5)
    assert rules.can_end_sign_ins(_actor(1, Role.NATIONAL_ADMIN), 5)


def test_each_kind_of_sign_in_has_words():
    assert {kind.label for kind in rules.SignInKind} == {"Browser", "API token"}
