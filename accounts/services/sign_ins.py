"""Ending sign-ins: one page session or API token, or every one a user has ("sign out everywhere"), by the user or
by a national administrator; and noting when a sign-in was last used, so an idle one expires."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from accounts import rules
from accounts.actor import Actor
from accounts.tables import ApiToken, User, WebSession
from audit.operation import Recorder, operation
from core.db import write_transaction
from core.errors import NotFound
from core.i18n import N_

TABLES: dict[rules.SignInKind, Any] = {  # Any: mypy cannot see the `id` Piccolo adds to each table
    rules.SignInKind.SESSION: WebSession,
    rules.SignInKind.TOKEN: ApiToken,
}
NO_SUCH_SIGN_IN = N_("No such sign-in")


async def record_use(kind: rules.SignInKind, sign_in_id: int, now: datetime) -> None:
    """Note that a sign-in was used (accounts.rules.needs_recording_use says when: at most once a minute).

    Bookkeeping, like the sign-in's own expiry, not a change anyone made: not audited, and its own short write
    (under the same per-process lock as every write on SQLite)."""
    table = TABLES[kind]
    async with write_transaction():
        await table.update({table.last_used_at: now}).where(table.id == sign_in_id)


async def end_every_sign_in(user_id: int) -> dict[str, int]:
    """Inside an operation: every session and API token of the user stops working (deactivation, a new password, a
    password reset, signing out everywhere). How many of each, for the audit trail."""
    ended = {
        "sessions": await WebSession.count().where(WebSession.user == user_id),
        "tokens": await ApiToken.count().where(ApiToken.user == user_id),
    }
    await WebSession.delete().where(WebSession.user == user_id)
    await ApiToken.delete().where(ApiToken.user == user_id)
    return ended


async def _owner_name(user_id: int) -> str:
    row = (
        await User.select(User.full_name).where(User.id == user_id).first()
        if 1 <= user_id <= rules.MAX_USER_ID
        else None
    )
    if row is None:
        raise NotFound("No such user")
    return str(row["full_name"])


def _check(actor: Actor, user_id: int) -> None:
    """Someone else's sign-ins are missing, not forbidden, to all but a national administrator."""
    if not rules.can_end_sign_ins(actor, user_id):
        raise NotFound(NO_SUCH_SIGN_IN)


async def end_sign_in(*, actor: Actor, user_id: int, kind: rules.SignInKind, sign_in_id: int, now: datetime) -> None:
    """One browser is signed out, or one API token stops working, at once (its holder must sign in again)."""
    _check(actor, user_id)
    table = TABLES[kind]
    action = "api_token.revoked" if kind is rules.SignInKind.TOKEN else "web_session.revoked"
    async with operation(action, actor=actor, now=now) as op:
        name = await _owner_name(user_id)
        found = (
            await table.select(table.id).where((table.id == sign_in_id) & (table.user == user_id)).first()
            if 1 <= sign_in_id <= rules.MAX_USER_ID
            else None
        )
        if found is None:
            raise NotFound(NO_SUCH_SIGN_IN)
        await table.delete().where(table.id == sign_in_id)
        _record(op, actor, user_id, name, {"kind": kind.value})


async def sign_out_everywhere(*, actor: Actor, user_id: int, now: datetime) -> dict[str, int]:
    """Every session and API token of the user stops working, the one in use included."""
    _check(actor, user_id)
    async with operation("user.signed_out_everywhere", actor=actor, now=now) as op:
        name = await _owner_name(user_id)
        ended = await end_every_sign_in(user_id)
        _record(op, actor, user_id, name, ended)
    return ended


def _record(op: Recorder, actor: Actor, user_id: int, name: str, facts: Mapping[str, object]) -> None:
    op.record("User", user_id, before={"full_name": name}, after={**facts, "by_owner": actor.user_id == user_id})
