"""Reads about users: who a session or token belongs to, as an Actor with its scope."""

from __future__ import annotations

from datetime import UTC, datetime

from accounts.actor import Actor, Role
from accounts.services import token_digest
from accounts.tables import ApiToken, User, UserPcpg, WebSession


async def actor_for_user(user_id: int) -> Actor | None:
    user = await User.select().where((User.id == user_id) & (User.active == True)).first()  # noqa: E712
    if user is None:
        return None
    pcpg_ids = await UserPcpg.select(UserPcpg.pcpg).where(UserPcpg.user == user_id).order_by(UserPcpg.pcpg)
    return Actor(
        user_id=user["id"],
        username=user["username"],
        role=Role(user["role"]),
        language=user["language"],
        pcpg_ids=tuple(row["pcpg"] for row in pcpg_ids),
        delivery_vehicle_id=user["delivery_vehicle"],
        health_board_id=user["health_board"],
    )


async def actor_for_session(session_key: str) -> Actor | None:
    row = (
        await WebSession.select(WebSession.user, WebSession.expires_at)
        .where(WebSession.key_hash == token_digest(session_key))
        .first()
    )
    if row is None or row["expires_at"] <= datetime.now(UTC):
        return None
    return await actor_for_user(row["user"])


async def actor_for_token(token: str) -> Actor | None:
    row = (
        await ApiToken.select(ApiToken.user, ApiToken.expires_at)
        .where(ApiToken.token_hash == token_digest(token))
        .first()
    )
    if row is None or row["expires_at"] <= datetime.now(UTC):
        return None
    return await actor_for_user(row["user"])


async def display_name(user_id: int) -> str:
    row = await User.select(User.display_name).where(User.id == user_id).first()
    return row["display_name"] if row else ""
