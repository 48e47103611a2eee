from datetime import UTC, datetime, timedelta

import pytest

from accounts.actor import Role
from accounts.queries import actor_for_session, actor_for_token
from accounts.services.sign_in import SignInRefused, issue_token, sign_in, token_digest
from accounts.tables import ApiToken, User, WebSession
from audit.tables import AuditEvent
from tests import factories

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
WRONG = "wrong-password-123"
REFUSED = "Enter a correct username and password"
LOCKED = "This account is locked after too many failed attempts. Try again in %(minutes)s minutes"


async def _user(**values) -> User:
    return await factories.create_user(role=Role.NATIONAL_ADMIN, **values)


async def _refused(username: str, password: str) -> SignInRefused:
    with pytest.raises(SignInRefused) as refused:
        await sign_in(username=username, password=password, now=NOW)
    return refused.value


async def _failures(user: User) -> int:
    row = await User.select(User.failed_sign_ins).where(User.id == user.id).first()
    return int(row["failed_sign_ins"])


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
    user = await _user(failed_sign_ins=3)
    since = await AuditEvent.count()
    await sign_in(username=user.username, password=factories.PASSWORD, now=NOW)
    assert await _failures(user) == 0
    assert await _actions(since) == ["user.signed_in"]


async def test_a_wrong_password_is_refused_counted_and_audited():
    user = await _user()
    since = await AuditEvent.count()
    refused = await _refused(user.username, WRONG)
    assert refused.message == REFUSED
    assert await _failures(user) == 1
    assert await _actions(since) == ["user.sign_in_failed"]
    assert await WebSession.count() == 0


async def test_an_unknown_username_is_refused_with_the_same_message_as_a_wrong_password():
    user = await _user()
    wrong_password = await _refused(user.username, WRONG)
    unknown = await _refused("nobody-by-that-name", factories.PASSWORD)
    assert (unknown.message, unknown.params) == (wrong_password.message, wrong_password.params)


async def test_five_wrong_passwords_lock_the_account_even_against_the_right_one():
    user = await _user()
    since = await AuditEvent.count()
    for _ in range(4):
        assert (await _refused(user.username, WRONG)).message == REFUSED
    fifth = await _refused(user.username, WRONG)
    assert (fifth.message, fifth.params) == (LOCKED, {"minutes": 15})
    sixth = await _refused(user.username, factories.PASSWORD)
    assert (sixth.message, sixth.params) == (LOCKED, {"minutes": 15})
    assert await WebSession.count() == 0
    assert await _actions(since) == ["user.sign_in_failed"] * 4 + ["user.locked_out"]


async def test_the_lockout_is_recorded_with_when_it_ends():
    user = await _user(failed_sign_ins=4)
    await _refused(user.username, WRONG)
    row = await User.select(User.locked_until_at).where(User.id == user.id).first()
    assert timedelta(minutes=14, seconds=50) < row["locked_until_at"] - datetime.now(UTC) <= timedelta(minutes=15)


async def test_a_locked_account_signs_in_again_once_the_lock_has_ended():
    user = await _user(locked_until_at=datetime.now(UTC) - timedelta(seconds=1))
    key, _ = await sign_in(username=user.username, password=factories.PASSWORD, now=NOW)
    assert await actor_for_session(key) is not None


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
        await issue_token(username=user.username, password=WRONG, now=NOW)
    assert refused.value.message == REFUSED
    assert await _failures(user) == 1
    assert await ApiToken.count() == 0
