"""Signing in and out: page sessions, API tokens and the failed-attempt lockout; each one audited transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any

from accounts import rules
from accounts.actor import Actor, Role
from accounts.tables import ApiToken, User, WebSession
from audit.operation import operation
from core.db import for_update

ANONYMOUS = Actor(user_id=None, username="anonymous", role=None)


def real_now() -> datetime:
    """Sessions, tokens and lockouts run on real time, so moving the training clock signs nobody out."""
    return datetime.now(UTC)


def token_digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class SignInRefused(Exception):
    """Wrong username or password, or a locked account; the message never says which of the first two."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


async def _check_credentials(username: str, password: str, now: datetime) -> dict:
    # No username holds NUL, and PostgreSQL cannot even compare text holding it (the driver raises): unknown.
    user = None if "\x00" in username else await User.select().where(User.username == username.strip()).first()
    if user is None:
        rules.password_matches(None, password)  # same work as a real check: no timing hint that the name is unknown
        raise SignInRefused("Enter a correct username and password")
    if rules.is_locked(user["locked_until_at"], real_now()):
        raise SignInRefused(
            "This account is locked after too many failed attempts. Try again in %(minutes)s minutes",
            minutes=max(1, int((user["locked_until_at"] - real_now()).total_seconds() // 60) + 1),
        )
    if not user["active"] or not rules.password_matches(user["password_hash"], password):
        locked = await _record_failure(user, now)
        if locked:
            raise SignInRefused(
                "This account is locked after too many failed attempts. Try again in %(minutes)s minutes",
                minutes=int(rules.LOCKOUT.total_seconds() // 60),
            )
        raise SignInRefused("Enter a correct username and password")
    return user


async def _record_failure(user: dict, now: datetime) -> bool:
    """Count the failure in its own committed operation, so refusing the sign-in does not undo the count."""
    async with operation("user.sign_in_failed", actor=ANONYMOUS, now=now) as op:
        # Re-read the count locked, inside the transaction: parallel guesses must each count.
        current = await for_update(
            User.select(User.failed_sign_ins, User.locked_until_at).where(User.id == user["id"])
        ).first()
        if current is None:
            return False
        if rules.is_locked(current["locked_until_at"], real_now()):
            return True
        count, locked_until = rules.after_failed_sign_in(current["failed_sign_ins"], real_now())
        await User.update({User.failed_sign_ins: count, User.locked_until_at: locked_until}).where(
            User.id == user["id"]
        )
        op.record(
            "User",
            user["id"],
            after={"failed_sign_ins": count, "locked_until_at": locked_until},
            action="user.locked_out" if locked_until else "user.sign_in_failed",
        )
    return locked_until is not None


def _actor_of(user: dict) -> Actor:
    return Actor(user_id=user["id"], username=user["username"], full_name=user["full_name"], role=Role(user["role"]))


async def sign_in(*, username: str, password: str, now: datetime) -> tuple[str, int]:
    """A new session for the pages: returns the cookie value, a fresh id every time (no session fixation)."""
    user = await _check_credentials(username, password, now)
    key = secrets.token_urlsafe(32)
    async with operation("user.signed_in", actor=_actor_of(user), now=now) as op:
        await User.update({User.failed_sign_ins: 0, User.locked_until_at: None}).where(User.id == user["id"])
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


async def issue_token(*, username: str, password: str, now: datetime) -> tuple[str, datetime]:
    user = await _check_credentials(username, password, now)
    token = secrets.token_urlsafe(32)
    expires_at = real_now() + rules.TOKEN_LIFETIME
    async with operation("api_token.issued", actor=_actor_of(user), now=now) as op:
        await User.update({User.failed_sign_ins: 0, User.locked_until_at: None}).where(User.id == user["id"])
        await ApiToken(
            token_hash=token_digest(token), user=user["id"], created_at=real_now(), expires_at=expires_at
        ).save()
        op.record("User", user["id"], after={"token_expires_at": expires_at})
    return token, expires_at
