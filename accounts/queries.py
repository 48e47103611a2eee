"""Reads about users: who a session or token belongs to, as an Actor with its scope (one query, then cached)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from accounts.actor import Actor, Role
from accounts.services import token_digest
from accounts.tables import User
from core.cache import cached_read

# One statement finds the user behind a session or token with their PCPGs (one row per PCPG, or one row
# with NULL): the same SQL on SQLite and PostgreSQL.
_ACTOR_SQL = """
SELECT u.id, u.username, u.role, u.language, u.delivery_vehicle, u.health_board, {expires} AS expires_at,
       p.pcpg AS pcpg_id
FROM {source}
LEFT JOIN user_pcpg p ON p."user" = u.id
WHERE {match} AND u.active = {{}}
ORDER BY p.pcpg
"""
_BY_USER = _ACTOR_SQL.format(expires="NULL", source="app_user u", match="u.id = {}")
_BY_SESSION = _ACTOR_SQL.format(
    expires="s.expires_at", source='web_session s JOIN app_user u ON u.id = s."user"', match="s.key_hash = {}"
)
_BY_TOKEN = _ACTOR_SQL.format(
    expires="t.expires_at", source='api_token t JOIN app_user u ON u.id = t."user"', match="t.token_hash = {}"
)
_ACTOR_TABLES = ("app_user", "user_pcpg", "web_session", "api_token")


def _actor_from(rows: list[dict[str, Any]]) -> tuple[Actor, datetime | None] | None:
    if not rows:
        return None
    user = rows[0]
    actor = Actor(
        user_id=user["id"],
        username=user["username"],
        role=Role(user["role"]),
        language=user["language"],
        pcpg_ids=tuple(row["pcpg_id"] for row in rows if row["pcpg_id"] is not None),
        delivery_vehicle_id=user["delivery_vehicle"],
        health_board_id=user["health_board"],
    )
    return actor, user["expires_at"]


async def actor_for_user(user_id: int) -> Actor | None:
    found = _actor_from(await User.raw(_BY_USER, user_id, True))
    return found[0] if found else None


@cached_read(*_ACTOR_TABLES, max_entries=1024)
async def _actor_by_digest(kind: str, digest: str) -> tuple[Actor, datetime | None] | None:
    """Keyed by the SHA-256 of the cookie or token, never the secret itself; any write to a user, their PCPGs,
    sessions or tokens in this process drops every entry (sign-out, deactivation, a role or language change),
    and an entry lives at most a second for changes made by other processes."""
    return _actor_from(await User.raw(_BY_SESSION if kind == "session" else _BY_TOKEN, digest, True))


async def _actor_for(kind: str, secret: str) -> Actor | None:
    found = await _actor_by_digest(kind, token_digest(secret))
    if found is None or found[1] is None or found[1] <= datetime.now(UTC):
        return None
    return found[0]


async def actor_for_session(session_key: str) -> Actor | None:
    return await _actor_for("session", session_key)


async def actor_for_token(token: str) -> Actor | None:
    return await _actor_for("token", token)


async def display_name(user_id: int) -> str:
    row = await User.select(User.display_name).where(User.id == user_id).first()
    return row["display_name"] if row else ""
