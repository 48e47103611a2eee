"""Signing in and out: page sessions, API tokens and sign-in throttling (accounts.rules); each one audited
transaction. Passwords are hashed and checked in a thread of their own, never on the event loop."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.query.functions.aggregate import Count, Max

from accounts import rules
from accounts.actor import Actor, Role
from accounts.tables import ApiToken, SignInFailure, User, WebSession
from audit.operation import operation
from core.db import serialise
from core.i18n import N_

ANONYMOUS = Actor(user_id=None, username="anonymous", role=None)
REFUSED = N_("Enter a correct username and password")
_SIGN_IN_LOCK_KEY = 7_245_011  # PostgreSQL: one checker of the waits at a time (SQLite's IMMEDIATE already is)

# argon2 takes tens of milliseconds of CPU and 64 MiB a go: on the event loop, parallel guesses stall every page.
# Two threads of its own: hashing never waits behind other thread work, and guesses cannot take all the memory.
_HASHING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="password-hash")


def real_now() -> datetime:
    """Sessions and tokens run on real time, so moving the training clock signs nobody out. (Sign-in waits run
    on the app's clock, `now`: a trainer can move past one.)"""
    return datetime.now(UTC)


def token_digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


async def password_matches(password_hash: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_HASHING, rules.password_matches, password_hash, password)


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_HASHING, rules.hash_password, password)


class SignInRefused(Exception):
    """Wrong username or password, or too many attempts; the message never says which of the first two."""

    def __init__(self, message: str, *, retry_after: int | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params
        self.retry_after = retry_after  # seconds, when the attempt has to wait (answered 429 with Retry-After)


async def _remembered(username_key: str, address_key: str, now: datetime) -> rules.SignInWait:
    """The remembered failures for both keys, counted in SQL."""
    rows = await (
        SignInFailure.select(
            SignInFailure.key_hash, Count(alias="failures"), Max(SignInFailure.failed_at, alias="last_failed_at")
        )
        .where(
            SignInFailure.key_hash.is_in([username_key, address_key])
            & (SignInFailure.failed_at > now - rules.FAILURES_REMEMBERED)
        )
        .group_by(SignInFailure.key_hash)
    )
    found = {row["key_hash"]: (int(row["failures"]), _aware(row["last_failed_at"])) for row in rows}
    username = found.get(username_key, (0, None))
    address = found.get(address_key, (0, None))
    return rules.SignInWait(
        username_failures=username[0],
        username_last_failed_at=username[1],
        address_failures=address[0],
        address_last_failed_at=address[1],
    )


def _aware(value: Any) -> datetime | None:
    """MAX() of a timestamp: a datetime on PostgreSQL, its stored text on SQLite."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _record_refusal(op: Any, user: dict | None, *, throttled: bool, **after: Any) -> None:
    """An attempt at a known username is recorded against its account; one at a username that names no account,
    against the sign-in (the username typed is never kept: it may be a mistyped password)."""
    if user is not None:
        op.record(
            "User", user["id"], action="user.sign_in_throttled" if throttled else "user.sign_in_failed", after=after
        )
    else:
        action = "sign_in.throttled_unknown_username" if throttled else "sign_in.failed_unknown_username"
        op.record("SignIn", 0, action=action, after=after)


async def _take_attempt(
    username_key: str, address_key: str, user: dict | None, now: datetime
) -> tuple[timedelta, list[int]]:
    """Either the wait still to run (the attempt is refused unchecked, and audited), or the attempt counted as a
    failure before its password is checked (the ids of its two rows): so parallel guesses cannot all slip in under
    the count, and a success takes its rows back."""
    async with operation("user.sign_in_throttled", actor=ANONYMOUS, now=now) as op:
        await serialise(_SIGN_IN_LOCK_KEY)
        wait = rules.sign_in_wait(await _remembered(username_key, address_key, now), now)
        if wait > timedelta(0):
            _record_refusal(op, user, throttled=True, wait_minutes=rules.retry_after_minutes(wait))
            return wait, []
        rows = [SignInFailure(key_hash=key, failed_at=now) for key in (username_key, address_key)]
        for row in rows:
            await row.save()
        return timedelta(0), [int(row.id) for row in rows]


async def _check_credentials(username: str, password: str, client_address: str, now: datetime) -> dict:
    """The same answer, and the same work, whether or not the username names an account: one lookup, one wait
    check, one password check (a dummy hash for no account), one audited failure."""
    typed = username.strip()
    # No username holds NUL, and PostgreSQL cannot even compare text holding it (the driver raises): unknown.
    user = None if "\x00" in typed else await User.select().where(User.username == typed).first()
    username_key = rules.failure_key("username", typed)
    wait, attempt = await _take_attempt(username_key, rules.failure_key("address", client_address), user, now)
    if wait > timedelta(0):
        raise SignInRefused(
            rules.throttle_message(wait),
            retry_after=rules.retry_after_seconds(wait),
            minutes=rules.retry_after_minutes(wait),
        )
    matches = await password_matches(user["password_hash"] if user else None, password)
    if user is None or not matches or not user["active"]:
        async with operation("user.sign_in_failed", actor=ANONYMOUS, now=now) as op:
            failures = await SignInFailure.count().where(
                (SignInFailure.key_hash == username_key) & (SignInFailure.failed_at > now - rules.FAILURES_REMEMBERED)
            )
            _record_refusal(op, user, throttled=False, failed_sign_ins=failures)
        raise SignInRefused(REFUSED)
    user["_attempt"] = attempt
    user["_username_key"] = username_key
    return user


async def _forget_failures(user: dict, now: datetime) -> None:
    """Inside the success's operation: the username's failures go (NIST: consecutive failures), and this attempt's
    count against the address; the address keeps the rest (signing in to one's own account must not reset a count
    built by guessing at others). Failures past remembering are swept."""
    await SignInFailure.delete().where(
        (SignInFailure.key_hash == user["_username_key"]) | SignInFailure.id.is_in(user["_attempt"])
    )
    await SignInFailure.delete().where(SignInFailure.failed_at < now - rules.FAILURES_REMEMBERED)


def _actor_of(user: dict) -> Actor:
    return Actor(user_id=user["id"], username=user["username"], full_name=user["full_name"], role=Role(user["role"]))


async def sign_in(*, username: str, password: str, now: datetime, client_address: str = "") -> tuple[str, int]:
    """A new session for the pages: returns the cookie value, a fresh id every time (no session fixation)."""
    user = await _check_credentials(username, password, client_address, now)
    key = secrets.token_urlsafe(32)
    async with operation("user.signed_in", actor=_actor_of(user), now=now) as op:
        await _forget_failures(user, now)
        await WebSession.delete().where(WebSession.expires_at < real_now())  # nothing else sweeps them
        expires_at = real_now() + rules.SESSION_LIFETIME
        await WebSession(
            key_hash=token_digest(key), user=user["id"], created_at=real_now(), expires_at=expires_at
        ).save()
        op.record("User", user["id"], after={"session_expires_at": expires_at})
    return key, int(user["id"])


async def sign_out(*, actor: Actor, session_key: str, now: datetime) -> None:
    async with operation("user.signed_out", actor=actor, now=now) as op:
        await WebSession.delete().where(WebSession.key_hash == token_digest(session_key))
        if actor.user_id is not None:
            op.record("User", actor.user_id)


async def issue_token(*, username: str, password: str, now: datetime, client_address: str = "") -> tuple[str, datetime]:
    user = await _check_credentials(username, password, client_address, now)
    token = secrets.token_urlsafe(32)
    expires_at = real_now() + rules.TOKEN_LIFETIME
    async with operation("api_token.issued", actor=_actor_of(user), now=now) as op:
        await _forget_failures(user, now)
        await ApiToken(
            token_hash=token_digest(token), user=user["id"], created_at=real_now(), expires_at=expires_at
        ).save()
        op.record("User", user["id"], after={"token_expires_at": expires_at})
    return token, expires_at
