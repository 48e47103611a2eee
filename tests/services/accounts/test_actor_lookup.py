"""Who a session or token belongs to: one statement, then cached until something about the user changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accounts import queries
from accounts.actor import Role
from accounts.services.sign_in import sign_out, token_digest
from accounts.services.users import set_language
from accounts.tables import ApiToken, User, UserPcpg, WebSession
from core import cache
from organisations.tables import Pcpg
from tests import factories
from tests.conftest import make_actor
from tests.query_count import count_queries


async def _token_for(user_id: int, token: str = "a-token", **values) -> str:
    await factories.save(factories.ApiTokenFactory(token_hash=token_digest(token), user=user_id, **values))
    return token


async def _session_for(user_id: int, key: str = "a-session") -> str:
    await factories.save(factories.WebSessionFactory(key_hash=token_digest(key), user=user_id))
    return key


async def test_a_commissioner_is_found_by_token_in_one_statement_with_their_pcpgs():
    actor = await make_actor(Role.COMMISSIONER, pcpg_names=("Cardiff", "Swansea Bay"))
    token = await _token_for(actor.user_id)
    with count_queries() as counted:
        found = await queries.actor_for_token(token)
    assert counted.total == 1, str(counted)
    assert found == actor
    assert len(found.pcpg_ids) == 2


async def test_a_session_is_found_in_one_statement_and_then_from_the_cache():
    actor = await make_actor(Role.PROVIDER)
    key = await _session_for(actor.user_id)
    with count_queries() as first:
        assert await queries.actor_for_session(key) == actor
    with count_queries() as again:
        assert await queries.actor_for_session(key) == actor
    assert (first.total, again.total) == (1, 0)


async def test_deactivating_a_user_is_seen_at_once():
    actor = await make_actor(Role.EVALUATOR)
    token = await _token_for(actor.user_id)
    assert await queries.actor_for_token(token) is not None
    await User.update({User.active: False}).where(User.id == actor.user_id)
    assert await queries.actor_for_token(token) is None


async def test_signing_out_is_seen_at_once():
    actor = await make_actor(Role.EVALUATOR)
    key = await _session_for(actor.user_id)
    assert await queries.actor_for_session(key) is not None
    await sign_out(actor=actor, session_key=key, now=datetime.now(UTC))
    assert await queries.actor_for_session(key) is None


async def test_a_language_or_pcpg_change_is_seen_at_once():
    actor = await make_actor(Role.COMMISSIONER)
    key = await _session_for(actor.user_id)
    assert (await queries.actor_for_session(key)).language == "en"
    await set_language(actor=actor, language="cy", now=datetime.now(UTC))
    assert (await queries.actor_for_session(key)).language == "cy"
    swansea = await factories.reference_id(Pcpg, "Swansea Bay")
    await UserPcpg(user=actor.user_id, pcpg=swansea).save()
    assert swansea in (await queries.actor_for_session(key)).pcpg_ids


async def test_an_expired_session_is_refused_even_when_cached():
    actor = await make_actor(Role.EVALUATOR)
    key = await _session_for(actor.user_id)
    assert await queries.actor_for_session(key) is not None
    await WebSession.update({WebSession.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        WebSession.user == actor.user_id
    )
    assert await queries.actor_for_session(key) is None


async def test_a_change_made_elsewhere_is_seen_once_the_entry_is_a_second_old(monkeypatch: pytest.MonkeyPatch):
    """Another process's write is not noted here: the entry's age bounds how long it is missed."""
    actor = await make_actor(Role.EVALUATOR)
    token = await _token_for(actor.user_id)
    assert await queries.actor_for_token(token) is not None
    entry = queries._actor_by_digest.entries[queries._actor_by_digest.key_of("token", token_digest(token))]
    with count_queries() as fresh:
        await queries.actor_for_token(token)
    monkeypatch.setattr(entry, "stored_at", entry.stored_at - cache.DEFAULT_TTL_SECONDS)
    with count_queries() as old:
        await queries.actor_for_token(token)
    assert fresh.total == 0
    assert old.total == 1


async def test_the_cache_is_bounded():
    cached = queries._actor_by_digest
    for n in range(cached.max_entries + 10):
        await queries.actor_for_token(f"unknown-{n}")
    assert len(cached.entries) <= cached.max_entries
    assert await ApiToken.count() == 0
