"""Reads about users: who a session or token belongs to, as an Actor with its scope (one query, then cached); the
users a national administrator manages; people's full names for pages that show who acted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec

from accounts import rules
from accounts.actor import Actor, Role
from accounts.schemas import ScopeItem, SignInSummary, UserOut, UserSummary
from accounts.services.sign_in import token_digest
from accounts.services.sign_ins import TABLES as SIGN_IN_TABLES
from accounts.services.sign_ins import record_use
from accounts.tables import PasswordLink, User, UserPcpg
from core.cache import cached_read
from core.db import for_update
from core.errors import NotAllowed, NotFound
from core.i18n import N_, gettext, in_reading_language, order_in_reading_language
from core.pagination import Page, check_window
from organisations.tables import DeliveryVehicle, HealthBoard

SYSTEM_NAME = N_("The service (automatic)")

# One statement finds the user behind a session or token with their PCPGs (one row per PCPG, or one row
# with NULL): the same SQL on SQLite and PostgreSQL.
_ACTOR_SQL = """
SELECT u.id, u.username, u.full_name, u.role, u.language, u.delivery_vehicle, u.health_board, {sign_in}
       p.pcpg AS pcpg_id
FROM {source}
LEFT JOIN user_pcpg p ON p."user" = u.id
WHERE {match} AND u.active = {{}}
ORDER BY p.pcpg
"""
_SIGN_IN_COLUMNS = "{0}.id AS sign_in_id, {0}.created_at, {0}.expires_at, {0}.last_used_at,"
_BY_USER = _ACTOR_SQL.format(sign_in="", source="app_user u", match="u.id = {}")
_BY_SESSION = _ACTOR_SQL.format(
    sign_in=_SIGN_IN_COLUMNS.format("s"),
    source='web_session s JOIN app_user u ON u.id = s."user"',
    match="s.key_hash = {}",
)
_BY_TOKEN = _ACTOR_SQL.format(
    sign_in=_SIGN_IN_COLUMNS.format("t"),
    source='api_token t JOIN app_user u ON u.id = t."user"',
    match="t.token_hash = {}",
)
_ACTOR_TABLES = ("app_user", "user_pcpg", "web_session", "api_token")


class SignedIn(msgspec.Struct, frozen=True):
    """Who a session or token signs in, and which sign-in it is (so a page can say "this browser")."""

    actor: Actor
    kind: rules.SignInKind
    sign_in_id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


def _actor_of(user: dict[str, Any], rows: list[dict[str, Any]]) -> Actor:
    return Actor(
        user_id=user["id"],
        username=user["username"],
        full_name=user["full_name"],
        role=Role(user["role"]),
        language=user["language"],
        pcpg_ids=tuple(row["pcpg_id"] for row in rows if row["pcpg_id"] is not None),
        delivery_vehicle_id=user["delivery_vehicle"],
        health_board_id=user["health_board"],
    )


async def actor_for_user(user_id: int) -> Actor | None:
    rows = await User.raw(_BY_USER, user_id, True)
    return _actor_of(rows[0], rows) if rows else None


@cached_read(*_ACTOR_TABLES, max_entries=1024)
async def _actor_by_digest(kind: rules.SignInKind, digest: str) -> SignedIn | None:
    """Keyed by the SHA-256 of the cookie or token, never the secret itself; any write to a user, their PCPGs,
    sessions or tokens in this process drops every entry (sign-out, deactivation, a role or language change),
    and an entry lives at most a second for changes made by other processes."""
    rows = await User.raw(_BY_SESSION if kind is rules.SignInKind.SESSION else _BY_TOKEN, digest, True)
    if not rows:
        return None
    first = rows[0]
    return SignedIn(
        actor=_actor_of(first, rows),
        kind=kind,
        sign_in_id=int(first["sign_in_id"]),
        created_at=first["created_at"],
        expires_at=first["expires_at"],
        last_used_at=first["last_used_at"],
    )


async def signed_in(kind: rules.SignInKind, secret: str) -> SignedIn | None:
    """The live sign-in behind a cookie or token: unexpired and not idle too long (accounts.rules). Its use is
    noted, at most once a minute, which is what keeps it from going idle."""
    found = await _actor_by_digest(kind, token_digest(secret))
    now = datetime.now(UTC)
    if found is None or not rules.is_sign_in_live(
        created_at=found.created_at, expires_at=found.expires_at, last_used_at=found.last_used_at, now=now
    ):
        return None
    if rules.needs_recording_use(created_at=found.created_at, last_used_at=found.last_used_at, now=now):
        await record_use(kind, found.sign_in_id, now)
    return found


async def actor_for_session(session_key: str) -> Actor | None:
    found = await signed_in(rules.SignInKind.SESSION, session_key)
    return found.actor if found else None


async def actor_for_token(token: str) -> Actor | None:
    found = await signed_in(rules.SignInKind.TOKEN, token)
    return found.actor if found else None


async def list_sign_ins(
    *, actor: Actor, user_id: int, current: tuple[rules.SignInKind, int] | None = None
) -> list[SignInSummary]:
    """A user's live sessions and API tokens, most recently used first; `current` is the one this request came
    with. The user's own, or anyone's for a national administrator; other people's are missing."""
    if not rules.can_end_sign_ins(actor, user_id) or not 1 <= user_id <= rules.MAX_USER_ID:
        raise NotFound("No such user")
    if not await User.exists().where(User.id == user_id):
        raise NotFound("No such user")
    now = datetime.now(UTC)
    idle_since = now - rules.IDLE_LIMIT
    found: list[SignInSummary] = []
    for kind, table in SIGN_IN_TABLES.items():
        rows = await table.select(table.id, table.created_at, table.expires_at, table.last_used_at).where(
            (table.user == user_id)
            & (table.expires_at > now)
            & ((table.last_used_at > idle_since) | (table.last_used_at.is_null() & (table.created_at > idle_since)))
        )
        for row in rows:
            found.append(
                SignInSummary(
                    kind=kind,
                    id=row["id"],
                    kind_label=gettext(kind.label),
                    created_at=row["created_at"],
                    last_used_at=rules.last_active_at(row["created_at"], row["last_used_at"]),
                    expires_at=row["expires_at"],
                    ends_at=rules.sign_in_ends_at(
                        created_at=row["created_at"], expires_at=row["expires_at"], last_used_at=row["last_used_at"]
                    ),
                    current=current == (kind, row["id"]),
                )
            )
    return sorted(found, key=lambda item: (item.last_used_at, item.kind.value, item.id), reverse=True)


async def full_name(user_id: int) -> str:
    row = await User.select(User.full_name).where(User.id == user_id).first()
    return row["full_name"] if row else ""


# --- Users, as a national administrator manages them ---


def _require_manager(actor: Actor) -> None:
    if not rules.can_manage_users(actor):
        raise NotAllowed()


async def active_national_admins() -> int:
    return await User.count().where((User.role == Role.NATIONAL_ADMIN.value) & (User.active == True))  # noqa: E712


def _role_label(role: Role) -> str:
    return gettext(rules.ROLE_LABELS[role])


async def _scopes(user_ids: list[int], rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each user's PCPGs, health board and vehicle by name, read for the whole window in three statements."""
    if not user_ids:
        return {}
    pcpgs: dict[int, list[ScopeItem]] = {}
    for row in (
        await UserPcpg.select(
            UserPcpg.user,
            UserPcpg.pcpg.id.as_alias("id"),
            UserPcpg.pcpg.name.as_alias("name"),
            UserPcpg.pcpg.name_cy.as_alias("name_cy"),
            in_reading_language(UserPcpg.pcpg.name, UserPcpg.pcpg.name_cy, alias="name_shown"),
        )
        .where(UserPcpg.user.is_in(user_ids))
        .order_by(order_in_reading_language(UserPcpg.pcpg.name, UserPcpg.pcpg.name_cy))
    ):
        pcpgs.setdefault(row["user"], []).append(
            ScopeItem(id=row["id"], name=row["name"], name_cy=row["name_cy"], name_shown=row["name_shown"])
        )
    board_ids = sorted({row["health_board"] for row in rows if row["health_board"] is not None})
    boards = {
        row["id"]: ScopeItem(id=row["id"], name=row["name"], name_cy=row["name_cy"], name_shown=row["name_shown"])
        for row in (
            await HealthBoard.select(
                HealthBoard.id,
                HealthBoard.name,
                HealthBoard.name_cy,
                in_reading_language(HealthBoard.name, HealthBoard.name_cy, alias="name_shown"),
            ).where(HealthBoard.id.is_in(board_ids))
            if board_ids
            else []
        )
    }
    vehicle_ids = sorted({row["delivery_vehicle"] for row in rows if row["delivery_vehicle"] is not None})
    vehicles = {
        row["id"]: ScopeItem(id=row["id"], name=row["name"], name_shown=row["name"])
        for row in (
            await DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(
                DeliveryVehicle.id.is_in(vehicle_ids)
            )
            if vehicle_ids
            else []
        )
    }
    return {
        row["id"]: {
            "pcpgs": pcpgs.get(row["id"], []),
            "health_board": boards.get(row["health_board"]),
            "delivery_vehicle": vehicles.get(row["delivery_vehicle"]),
        }
        for row in rows
    }


def _flat(scope: dict[str, Any]) -> list[ScopeItem]:
    return [
        *scope["pcpgs"],
        *([scope["health_board"]] if scope["health_board"] else []),
        *([scope["delivery_vehicle"]] if scope["delivery_vehicle"] else []),
    ]


_USER_COLUMNS = (
    User.id,
    User.full_name,
    User.username,
    User.email,
    User.role,
    User.language,
    User.active,
    User.health_board,
    User.delivery_vehicle,
    User.created_at,
)


async def list_users(
    *, actor: Actor, role: Role | None = None, status: rules.UserStatus | None = None, limit: int = 50, offset: int = 0
) -> Page[UserSummary]:
    """Every user, by full name; filtered, counted and windowed in SQL."""
    _require_manager(actor)
    check_window(limit, offset)
    query = User.select(*_USER_COLUMNS).order_by(User.full_name).order_by(User.id)
    count = User.count()
    conditions = []
    if role is not None:
        conditions.append(User.role == role.value)
    if status is not None:
        conditions.append(User.active == (status is rules.UserStatus.ACTIVE))
    for condition in conditions:
        query, count = query.where(condition), count.where(condition)
    rows = await query.limit(limit).offset(offset)
    scopes = await _scopes([row["id"] for row in rows], rows)
    items = []
    for row in rows:
        role_of, state = Role(row["role"]), rules.user_status(row["active"])
        scope = scopes[row["id"]]
        items.append(
            UserSummary(
                id=row["id"],
                full_name=row["full_name"],
                username=row["username"],
                role=role_of,
                role_label=_role_label(role_of),
                active=row["active"],
                status_label=gettext(state.label),
                status_colour=state.colour,
                scope=_flat(scope),
            )
        )
    return Page(items=items, total=await count, limit=limit, offset=offset)


async def get_user(*, actor: Actor, user_id: int) -> UserOut:
    _require_manager(actor)
    row = (
        await User.select(*_USER_COLUMNS).where(User.id == user_id).first()
        if 1 <= user_id <= rules.MAX_USER_ID
        else None
    )
    if row is None:
        raise NotFound("No such user")
    role, state = Role(row["role"]), rules.user_status(row["active"])
    scope = (await _scopes([row["id"]], [row]))[row["id"]]
    actions = rules.user_actions(
        actor, user_id=row["id"], role=role, active=row["active"], active_national_admins=await active_national_admins()
    )
    return UserOut(
        id=row["id"],
        full_name=row["full_name"],
        username=row["username"],
        email=row["email"],
        role=role,
        role_label=_role_label(role),
        language=row["language"],
        active=row["active"],
        status_label=gettext(state.label),
        status_colour=state.colour,
        pcpgs=scope["pcpgs"],
        health_board=scope["health_board"],
        delivery_vehicle=scope["delivery_vehicle"],
        created_at=row["created_at"],
        scope_field=rules.SCOPE_FIELD.get(role),
        scope_label=gettext(rules.SCOPE_LABELS[rules.SCOPE_FIELD[role]]) if rules.has_scope(role) else None,
        scope=_flat(scope),
        can_change_scope=actions.can_change_scope,
        can_deactivate=actions.can_deactivate,
        can_issue_password_link=actions.can_issue_password_link,
        cannot_deactivate_because=gettext(actions.cannot_deactivate_because)
        if actions.cannot_deactivate_because
        else None,
    )


async def full_names(usernames: Iterable[str]) -> dict[str, str]:
    """Full names by username, in one statement, for records that keep who acted by username (menu versions,
    vehicle decisions, budget lines): pages show the person's name."""
    wanted = sorted({name for name in usernames if name})
    if not wanted:
        return {}
    rows = await User.select(User.username, User.full_name).where(User.username.is_in(wanted))
    return {row["username"]: row["full_name"] or row["username"] for row in rows}


def person(username: str, names: dict[str, str]) -> str:
    """Who acted, in the reader's words: their full name; the service itself for loaders and the command line."""
    if username in names:
        return names[username]
    if username in ("", "system"):
        return gettext(SYSTEM_NAME)
    return username


class UsablePasswordLink(msgspec.Struct, frozen=True):
    """A password link that still works: whose it is and until when."""

    owner: Actor
    expires_at: datetime


async def usable_password_link(token: str, *, locked: bool = False) -> UsablePasswordLink | None:
    """The link with this token if it still works (unused, unexpired, its account active); None otherwise, with
    no hint which. `locked` (inside a write): the row stays locked until commit, so a link works only once."""
    if not token or "\x00" in token:
        return None
    query = PasswordLink.select(
        PasswordLink.user,
        PasswordLink.expires_at,
        PasswordLink.used_at,
        PasswordLink.user.username.as_alias("username"),
        PasswordLink.user.full_name.as_alias("full_name"),
        PasswordLink.user.role.as_alias("role"),
        PasswordLink.user.active.as_alias("active"),
    ).where(PasswordLink.token_hash == token_digest(token))
    row = await (for_update(query, of=(PasswordLink,)) if locked else query).first()  # type: ignore[union-attr]
    if row is None or not rules.is_password_link_usable(
        expires_at=row["expires_at"], used_at=row["used_at"], active=row["active"], now=datetime.now(UTC)
    ):
        return None
    owner = Actor(user_id=row["user"], username=row["username"], full_name=row["full_name"], role=Role(row["role"]))
    return UsablePasswordLink(owner=owner, expires_at=row["expires_at"])
