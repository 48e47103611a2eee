"""One-time password links: a national administrator issues one (for a new user, or one who forgot their password)
and gives it to the person, who sets their own password with it, once, within a day."""

from __future__ import annotations

import secrets
from datetime import datetime

from accounts import queries, rules
from accounts.actor import Actor
from accounts.services.sign_in import hash_password, real_now, token_digest
from accounts.services.sign_ins import end_every_sign_in
from accounts.tables import PasswordLink, SignInFailure, User
from audit.operation import operation
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from core.i18n import N_


async def new_password_link(*, user_id: int, now: datetime) -> tuple[str, datetime]:
    """Inside an operation: a fresh link for the user (any earlier unused one stops working); its token and end.
    Links run on real time, like sessions, so moving the training clock neither expires nor revives them."""
    del now  # the operation's time is the audit's; the link's life is real time
    await PasswordLink.delete().where((PasswordLink.user == user_id) & PasswordLink.used_at.is_null())
    token = secrets.token_urlsafe(32)
    created_at = real_now()
    expires_at = created_at + rules.PASSWORD_LINK_LIFETIME
    await PasswordLink(
        token_hash=token_digest(token), user=user_id, created_at=created_at, expires_at=expires_at
    ).save()
    return token, expires_at


async def issue_password_link(*, actor: Actor, user_id: int, now: datetime) -> tuple[str, datetime]:
    """Reset a password: the user keeps their current one until they set a new one with the link, but is signed out
    everywhere at once (every session and API token stops working), in case someone else holds one of them."""
    if not rules.can_manage_users(actor):
        raise NotAllowed("Only a national administrator manages users")
    async with operation("user.password_link_issued", actor=actor, now=now) as op:
        user = (
            await User.select(User.full_name, User.active).where(User.id == user_id).first()
            if 1 <= user_id <= rules.MAX_USER_ID
            else None
        )
        if user is None:
            raise NotFound("No such user")
        if not user["active"]:
            raise Conflict("This account is deactivated")
        token, expires_at = await new_password_link(user_id=user_id, now=now)
        ended = await end_every_sign_in(user_id)
        op.record(
            "User",
            user_id,
            after={
                "full_name": user["full_name"],
                "link_expires_at": expires_at,
                "sign_ins_ended": sum(ended.values()),
            },
        )
    return token, expires_at


EXPIRED = N_("This link has expired or has already been used. Ask a national administrator for a new one")


async def _owner(token: str, *, locked: bool) -> Actor:
    link = await queries.usable_password_link(token, locked=locked)
    if link is None:
        raise NotFound(EXPIRED)
    return link.owner


async def set_password_with_link(*, token: str, password: str, confirmation: str, now: datetime) -> Actor:
    """The link's owner sets their password; the link is then used up, and every session and API token they had
    stops working (whoever held them must sign in with the new password)."""
    problem = rules.passwords_problem(password, confirmation)
    new_hash = "" if problem else await hash_password(password)  # slow on purpose: in a thread, not in the transaction
    async with operation("user.password_set", actor=await _owner(token, locked=False), now=now) as op:
        owner = await _owner(token, locked=True)  # again, locked: a link works once, even when used twice at once
        if problem:
            raise RuleBroken(problem[1], field=problem[0], length=rules.MIN_PASSWORD_LENGTH)
        assert owner.user_id is not None
        await PasswordLink.update({PasswordLink.used_at: real_now()}).where(
            PasswordLink.token_hash == token_digest(token)
        )
        await User.update({User.password_hash: new_hash}).where(User.id == owner.user_id)
        # The owner has shown who they are: their username's failed sign-ins no longer make them wait.
        await SignInFailure.delete().where(SignInFailure.key_hash == rules.failure_key("username", owner.username))
        await end_every_sign_in(owner.user_id)
        op.record("User", owner.user_id, after={"full_name": owner.full_name, "password_set": True})
    return owner
