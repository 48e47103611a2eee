import threading
from datetime import UTC, datetime, timedelta

import pytest

from accounts import rules
from accounts.actor import Role
from accounts.queries import actor_for_session, actor_for_token
from accounts.services.sign_in import SignInRefused, issue_token, sign_in, token_digest
from accounts.tables import ApiToken, SignInFailure, User, WebSession
from audit.tables import AuditEvent
from core.clock import Clock
from tests import factories

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
WRONG = "wrong-password-123"
REFUSED = "Enter a correct username and password"
WAIT = "Too many failed attempts to sign in. Try again in %(minutes)s minutes"
WAIT_A_MINUTE = "Too many failed attempts to sign in. Try again in 1 minute"
ATTACKER, OWNER = "198.51.100.7", "203.0.113.5"


async def _user(**values) -> User:
    return await factories.create_user(role=Role.NATIONAL_ADMIN, **values)


async def _refused(username: str, password: str, now: datetime = NOW, address: str = ATTACKER) -> SignInRefused:
    with pytest.raises(SignInRefused) as refused:
        await sign_in(username=username, password=password, now=now, client_address=address)
    return refused.value


async def _fail(username: str, times: int, now: datetime = NOW, address: str = ATTACKER) -> datetime:
    """`times` counted failures, each as soon as the wait before it allows; the time of the last."""
    for _ in range(times):
        refused = await _refused(username, WRONG, now=now, address=address)
        while refused.retry_after is not None:
            now += timedelta(seconds=refused.retry_after)
            refused = await _refused(username, WRONG, now=now, address=address)
    return now


async def _failures(username: str) -> int:
    return await SignInFailure.count().where(SignInFailure.key_hash == rules.failure_key("username", username))


async def _actions(since: int) -> list[str]:
    rows = await AuditEvent.select(AuditEvent.action).where(AuditEvent.sequence > since).order_by(AuditEvent.sequence)
    return [row["action"] for row in rows]


async def test_signing_in_opens_a_session_that_identifies_the_user():
    user = await _user()
    key, user_id = await sign_in(username=user.username, password=factories.PASSWORD, now=NOW)
    assert user_id == user.id
    session = await WebSession.select().where(WebSession.key_hash == token_digest(key)).first()
    assert session is not None
    assert timedelta(hours=11, minutes=59) < session["expires_at"] - datetime.now(UTC) <= timedelta(hours=12)
    actor = await actor_for_session(key)
    assert actor is not None
    assert (actor.user_id, actor.username) == (user.id, user.username)


async def test_each_sign_in_gets_a_new_session_key():
    user = await _user()
    first, _ = await sign_in(username=user.username, password=factories.PASSWORD, now=NOW)
    second, _ = await sign_in(username=user.username, password=factories.PASSWORD, now=NOW)
    assert first != second
    assert await WebSession.count().where(WebSession.user == user.id) == 2


async def test_signing_in_is_audited_and_clears_earlier_failures():
    user = await _user()
    for _ in range(3):
        await _refused(user.username, WRONG)
    since = await AuditEvent.count()
    await sign_in(username=user.username, password=factories.PASSWORD, now=NOW, client_address=ATTACKER)
    assert await _failures(user.username) == 0
    assert await _actions(since) == ["user.signed_in"]


async def test_a_wrong_password_is_refused_counted_and_audited():
    user = await _user()
    since = await AuditEvent.count()
    refused = await _refused(user.username, WRONG)
    assert (refused.message, refused.retry_after) == (REFUSED, None)
    assert await _failures(user.username) == 1
    assert await _actions(since) == ["user.sign_in_failed"]
    assert await WebSession.count() == 0


async def test_an_unknown_username_is_refused_with_the_same_message_counted_and_audited_without_the_name():
    user = await _user()
    wrong_password = await _refused(user.username, WRONG)
    since = await AuditEvent.count()
    unknown = await _refused("nobody-by-that-name", factories.PASSWORD)
    assert (unknown.message, unknown.params, unknown.retry_after) == (
        wrong_password.message,
        wrong_password.params,
        wrong_password.retry_after,
    )
    assert await _failures("nobody-by-that-name") == 1
    assert await _actions(since) == ["sign_in.failed_unknown_username"]
    events = await AuditEvent.select(AuditEvent.entity_type, AuditEvent.before, AuditEvent.after).where(
        AuditEvent.sequence > since
    )
    assert "nobody-by-that-name" not in str(events), "a username typed may be a password: it is never kept"


async def test_an_unknown_username_is_checked_against_the_dummy_hash_in_a_thread(monkeypatch):
    """Same work for an unknown username as for a known one: a real argon2 check, of the dummy hash."""
    checked: list[tuple[str, str]] = []
    real = rules._hasher

    class Spy:
        def verify(self, password_hash: str, password: str) -> bool:
            checked.append((password_hash, threading.current_thread().name))
            return real.verify(password_hash, password)

    monkeypatch.setattr(rules, "_hasher", Spy())
    await _refused("nobody-by-that-name", factories.PASSWORD)
    assert [password_hash for password_hash, _ in checked] == [rules._DUMMY_HASH]
    assert checked[0][1] != threading.main_thread().name and checked[0][1].startswith("password-hash")


async def test_after_five_failures_the_next_attempt_waits_unchecked_even_with_the_right_password():
    user = await _user()
    since = await AuditEvent.count()
    for _ in range(rules.USERNAME_THROTTLE.free_failures):
        assert (await _refused(user.username, WRONG)).message == REFUSED
    waiting = await _refused(user.username, factories.PASSWORD, address=OWNER)
    assert (waiting.message, waiting.params, waiting.retry_after) == (WAIT_A_MINUTE, {"minutes": 1}, 60)
    assert await WebSession.count() == 0
    assert await _actions(since) == ["user.sign_in_failed"] * 5 + ["user.sign_in_throttled"]
    assert await _failures(user.username) == 5, "an attempt turned away unchecked is not counted"


async def test_once_the_wait_has_passed_on_the_clock_the_right_password_signs_in():
    user = await _user()
    last = await _fail(user.username, 9, now=Clock().now())
    wait = rules.USERNAME_THROTTLE.longest_wait
    assert (await _refused(user.username, factories.PASSWORD, now=last + wait - timedelta(seconds=5))).retry_after
    # The training clock, moved on to just past the longest wait after the latest failure.
    moved = Clock(offset=last + wait + timedelta(seconds=1) - Clock().now())
    key, _ = await sign_in(username=user.username, password=factories.PASSWORD, now=moved.now(), client_address=OWNER)
    assert await actor_for_session(key) is not None


async def test_one_attacker_who_keeps_failing_cannot_keep_the_owner_out():
    """For a day of the app's clock the attacker fails the moment each wait ends. Their address soon waits longer
    than a username ever does, so the username's wait lapses before the attacker may try again: the owner, coming
    then from their own address, signs in with the right password."""
    user = await _user()
    now = last_failure = NOW
    failures, wait = 0, timedelta(0)
    while now < NOW + timedelta(days=1):
        try:
            await sign_in(username=user.username, password=WRONG, now=now, client_address=ATTACKER)
        except SignInRefused as refused:
            if refused.retry_after is None:
                failures, last_failure = failures + 1, now
                continue
            wait = timedelta(seconds=refused.retry_after)
            now += wait
    assert failures < 24 * 4, "fewer failures than it takes to keep a username waiting all day"
    assert wait > rules.USERNAME_THROTTLE.longest_wait, "the attacker's address waits longer than a username"
    owner_comes_at = last_failure + rules.USERNAME_THROTTLE.longest_wait
    assert owner_comes_at < now, "before the attacker may try again"
    with pytest.raises(SignInRefused) as at_the_attackers_address:
        await sign_in(username=user.username, password=factories.PASSWORD, now=owner_comes_at, client_address=ATTACKER)
    assert at_the_attackers_address.value.retry_after is not None
    key, _ = await sign_in(
        username=user.username, password=factories.PASSWORD, now=owner_comes_at, client_address=OWNER
    )
    assert await actor_for_session(key) is not None


async def test_waiting_attempts_neither_count_nor_make_the_wait_longer():
    user = await _user()
    last = await _fail(user.username, 6)
    for seconds in (0, 1, 30, 90, 119):
        assert (
            await _refused(user.username, WRONG, now=last + timedelta(seconds=seconds))
        ).retry_after == 120 - seconds
    assert await _failures(user.username) == 6


async def test_a_username_that_names_no_account_waits_exactly_like_one_that_does():
    user = await _user()
    answers = []
    for username in (user.username, "nobody-by-that-name"):
        last = await _fail(username, 6, address=f"address-of-{username}")
        waiting = await _refused(username, WRONG, now=last + timedelta(seconds=30), address=f"address-of-{username}")
        answers.append((waiting.message, waiting.params, waiting.retry_after))
    assert answers[0] == answers[1] == (WAIT, {"minutes": 2}, 90)


async def test_thirty_failures_from_one_address_make_it_wait_whatever_the_username():
    for n in range(rules.ADDRESS_THROTTLE.free_failures):
        assert (await _refused(f"guess-{n}", WRONG)).retry_after is None
    waiting = await _refused("anyone-at-all", factories.PASSWORD)
    assert waiting.retry_after == 60
    user = await _user()
    key, _ = await sign_in(username=user.username, password=factories.PASSWORD, now=NOW, client_address=OWNER)
    assert await actor_for_session(key) is not None, "other addresses are not held back"


async def test_signing_in_does_not_reset_what_an_address_has_failed():
    user = await _user()
    for n in range(rules.ADDRESS_THROTTLE.free_failures - 1):
        await _refused(f"guess-{n}", WRONG)
    await sign_in(username=user.username, password=factories.PASSWORD, now=NOW, client_address=ATTACKER)
    await _refused("guess-last", WRONG)
    assert (await _refused(user.username, factories.PASSWORD)).retry_after == 60


async def test_a_deactivated_user_is_refused_even_with_the_right_password():
    user = await _user(active=False)
    assert (await _refused(user.username, factories.PASSWORD)).message == REFUSED
    assert await WebSession.count() == 0


async def test_an_api_token_identifies_the_user_for_eight_hours():
    user = await _user()
    since = await AuditEvent.count()
    token, expires_at = await issue_token(username=user.username, password=factories.PASSWORD, now=NOW)
    assert timedelta(hours=7, minutes=59) < expires_at - datetime.now(UTC) <= timedelta(hours=8)
    actor = await actor_for_token(token)
    assert actor is not None
    assert actor.user_id == user.id
    assert await _actions(since) == ["api_token.issued"]


async def test_an_api_token_is_stored_only_as_its_digest():
    user = await _user()
    token, _ = await issue_token(username=user.username, password=factories.PASSWORD, now=NOW)
    rows = await ApiToken.select(ApiToken.token_hash)
    assert rows == [{"token_hash": token_digest(token)}]


async def test_an_api_token_is_refused_for_a_wrong_password_and_the_failure_counted():
    user = await _user()
    with pytest.raises(SignInRefused) as refused:
        await issue_token(username=user.username, password=WRONG, now=NOW, client_address=ATTACKER)
    assert refused.value.message == REFUSED
    assert await _failures(user.username) == 1
    assert await ApiToken.count() == 0
