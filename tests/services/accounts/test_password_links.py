"""One-time password links: issued by a national administrator, used once by the user, within 24 hours."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from accounts import queries
from accounts.services.passwords import issue_password_link, set_password_with_link
from accounts.services.sign_in import SignInRefused, issue_token, sign_in
from accounts.tables import PasswordLink, User
from audit.tables import AuditEvent
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from tests import factories
from tests.conftest import PASSWORD, make_actor

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
NEW = "a-brand-new-password"


async def _set(token: str, password: str = NEW, confirmation: str | None = None):
    return await set_password_with_link(
        token=token, password=password, confirmation=password if confirmation is None else confirmation, now=NOW
    )


async def test_a_reset_lets_the_user_set_a_new_password_once_and_signs_out_their_old_sessions_and_tokens():
    admin = await make_actor("national_admin")
    user = await make_actor("evaluator", full_name="Rhys Evans")
    session, _ = await sign_in(username=user.username, password=PASSWORD, now=NOW)
    token, _ = await issue_token(username=user.username, password=PASSWORD, now=NOW)
    link, expires_at = await issue_password_link(actor=admin, user_id=user.user_id, now=NOW)
    assert timedelta(hours=23, minutes=59) < expires_at - datetime.now(UTC) <= timedelta(hours=24)
    _, still = await sign_in(username=user.username, password=PASSWORD, now=NOW)
    assert still == user.user_id, "the old password works until a new one is set"

    owner = await _set(link)

    assert owner.user_id == user.user_id
    assert await queries.actor_for_session(session) is None
    assert await queries.actor_for_token(token) is None
    with pytest.raises(SignInRefused):
        await sign_in(username=user.username, password=PASSWORD, now=NOW)
    _, signed_in = await sign_in(username=user.username, password=NEW, now=NOW)
    assert signed_in == user.user_id
    with pytest.raises(NotFound):
        await _set(link, "yet-another-password")
    events = await AuditEvent.select().where(
        AuditEvent.action.is_in(["user.password_link_issued", "user.password_set"])
    )
    assert [(e["action"], e["actor_username"], e["entity_id"]) for e in events] == [
        ("user.password_link_issued", admin.username, str(user.user_id)),
        ("user.password_set", user.username, str(user.user_id)),
    ]
    assert link not in json.dumps([e["after"] for e in events])


async def test_a_link_is_useless_after_it_expires():
    admin = await make_actor("national_admin")
    user = await make_actor("evaluator")
    link, _ = await issue_password_link(actor=admin, user_id=user.user_id, now=NOW)
    await PasswordLink.update({PasswordLink.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        PasswordLink.user == user.user_id
    )
    with pytest.raises(NotFound) as refused:
        await _set(link)
    assert "expired" in refused.value.message
    _, signed_in = await sign_in(username=user.username, password=PASSWORD, now=NOW)
    assert signed_in == user.user_id


async def test_a_new_link_replaces_the_one_before():
    admin = await make_actor("national_admin")
    user = await make_actor("evaluator")
    first, _ = await issue_password_link(actor=admin, user_id=user.user_id, now=NOW)
    second, _ = await issue_password_link(actor=admin, user_id=user.user_id, now=NOW)
    with pytest.raises(NotFound):
        await _set(first)
    await _set(second)


async def test_a_short_or_mistyped_password_is_refused_and_the_link_still_works():
    admin = await make_actor("national_admin")
    user = await make_actor("evaluator")
    link, _ = await issue_password_link(actor=admin, user_id=user.user_id, now=NOW)
    stored = await User.select(User.password_hash).where(User.id == user.user_id).first()
    with pytest.raises(RuleBroken) as short:
        await _set(link, "short")
    assert (short.value.field, short.value.params["length"]) == ("password", 12)
    with pytest.raises(RuleBroken) as mistyped:
        await _set(link, NEW, "a-brand-new-passwort")
    assert mistyped.value.field == "confirmation"
    assert await User.select(User.password_hash).where(User.id == user.user_id).first() == stored
    assert await queries.usable_password_link(link) is not None
    await _set(link)


async def test_an_unknown_token_is_not_found():
    for token in ("", "not-a-token", "x\x00y"):
        with pytest.raises(NotFound):
            await _set(token)


async def test_only_a_national_administrator_issues_links_and_not_for_a_deactivated_or_unknown_account():
    user = await make_actor("evaluator")
    for role in ("commissioner", "evaluator", "provider", "finance_director"):
        with pytest.raises(NotAllowed):
            await issue_password_link(actor=await make_actor(role), user_id=user.user_id, now=NOW)
    admin = await make_actor("national_admin")
    gone = await factories.create_user(role=factories.Role.EVALUATOR, active=False)
    with pytest.raises(Conflict):
        await issue_password_link(actor=admin, user_id=gone.id, now=NOW)
    with pytest.raises(NotFound):
        await issue_password_link(actor=admin, user_id=999_999, now=NOW)
    assert await PasswordLink.count() == 0
