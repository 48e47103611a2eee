"""Deactivating a user: no more sign-in, their sessions, tokens and password links stop working at once; the last
active national administrator stays."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from accounts import queries
from accounts.services.passwords import issue_password_link
from accounts.services.sign_in import SignInRefused, issue_token, sign_in
from accounts.services.users import deactivate_user
from accounts.tables import User
from audit.tables import AuditEvent
from core.errors import Conflict, NotAllowed, NotFound
from tests import factories
from tests.conftest import PASSWORD, make_actor

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def test_a_deactivated_user_cannot_sign_in_and_their_session_token_and_link_stop_working():
    admin = await make_actor("national_admin")
    provider = await make_actor("provider", full_name="Dylan Hughes")
    link, _ = await issue_password_link(actor=admin, user_id=provider.user_id, now=NOW)  # signs them out everywhere
    session, _ = await sign_in(username=provider.username, password=PASSWORD, now=NOW)
    token, _ = await issue_token(username=provider.username, password=PASSWORD, now=NOW)
    assert await queries.actor_for_session(session) is not None
    assert await queries.actor_for_token(token) is not None

    await deactivate_user(actor=admin, user_id=provider.user_id, now=NOW)

    assert await queries.actor_for_session(session) is None
    assert await queries.actor_for_token(token) is None
    assert await queries.usable_password_link(link) is None
    with pytest.raises(SignInRefused):
        await sign_in(username=provider.username, password=PASSWORD, now=NOW)
    event = await AuditEvent.select().where(AuditEvent.action == "user.deactivated").first()
    assert (event["entity_id"], event["actor_username"]) == (str(provider.user_id), admin.username)
    before = json.loads(event["before"]) if isinstance(event["before"], str) else event["before"]
    assert before == {"full_name": "Dylan Hughes", "active": True}


async def _refused(actor, user_id: int, error):
    before = (await AuditEvent.count(), await User.count().where(User.active == True))  # noqa: E712
    with pytest.raises(error) as refused:
        await deactivate_user(actor=actor, user_id=user_id, now=NOW)
    assert (await AuditEvent.count(), await User.count().where(User.active == True)) == before  # noqa: E712
    return refused.value


async def test_the_last_active_national_administrator_cannot_deactivate_themselves():
    admin = await make_actor("national_admin")
    await factories.create_user(role=factories.Role.NATIONAL_ADMIN, active=False)  # a deactivated one does not count
    error = await _refused(admin, admin.user_id, Conflict)
    assert error.message == "You are the last active national administrator, so you cannot deactivate your own account"
    assert await queries.actor_for_user(admin.user_id) is not None


async def test_a_national_administrator_may_deactivate_themselves_while_another_stays():
    admin, other = await make_actor("national_admin"), await make_actor("national_admin")
    await deactivate_user(actor=admin, user_id=admin.user_id, now=NOW)
    assert await queries.actor_for_user(admin.user_id) is None
    assert await _refused(other, other.user_id, Conflict)


async def test_an_account_already_deactivated_is_refused():
    admin = await make_actor("national_admin")
    evaluator = await make_actor("evaluator")
    await deactivate_user(actor=admin, user_id=evaluator.user_id, now=NOW)
    assert (await _refused(admin, evaluator.user_id, Conflict)).message == "This account is already deactivated"


async def test_an_unknown_user_is_not_found_and_only_a_national_administrator_deactivates():
    admin = await make_actor("national_admin")
    await _refused(admin, 999_999, NotFound)
    for role in ("commissioner", "evaluator", "provider", "finance_director"):
        await _refused(await make_actor(role), admin.user_id, NotAllowed)
