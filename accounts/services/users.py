"""Users and where they act: added (by `cdv create-user` and the demo with a password, by a national administrator
with a one-time link instead), their scope changed, deactivated; and a user's own language choice.

Audit events name people and organisations by name (not id), so the trail reads as a record for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts import rules
from accounts.actor import Actor, Role
from accounts.schemas import UserIn, UserScopeIn
from accounts.services.passwords import new_password_link
from accounts.services.sign_in import hash_password
from accounts.services.sign_ins import end_every_sign_in
from accounts.tables import PasswordLink, User, UserPcpg
from audit.operation import Recorder, operation
from core.db import serialise
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from core.i18n import LANGUAGES
from organisations.tables import DeliveryVehicle, HealthBoard, Pcpg

# Deactivations take this lock on PostgreSQL (SQLite's IMMEDIATE transaction already serialises writers), so two
# national administrators deactivating each other at once cannot leave the service with none.
_NATIONAL_ADMINS_LOCK_KEY = 7_245_002


@dataclass(frozen=True)
class NewUser:
    """A user made from the command line or the demo: organisations by name, a password given."""

    username: str
    full_name: str
    password: str
    role: Role
    email: str = ""
    language: str = "en"
    pcpg_names: tuple[str, ...] = ()
    delivery_vehicle_id: int | None = None
    health_board_name: str | None = None


def _check_person(full_name: str, username: str, language: str) -> None:
    problem = rules.full_name_problem(full_name)
    if problem:
        raise RuleBroken(problem, field="full_name")
    if not rules.is_username(username.strip()):
        raise RuleBroken(
            "Enter a username of 2 to 80 letters, digits, dots, hyphens, underscores or @", field="username"
        )
    if language not in LANGUAGES:
        raise RuleBroken("Choose English or Welsh", field="language")


async def _scope_names(scope: rules.UserScope) -> dict[str, Any]:
    """The scope in words for the audit trail: PCPG, health board and vehicle names; raises when one is unknown."""
    names: dict[str, Any] = {}
    if scope.pcpg_ids:
        rows = await Pcpg.select(Pcpg.id, Pcpg.name).where(Pcpg.id.is_in(list(scope.pcpg_ids))).order_by(Pcpg.name)
        if len(rows) != len(scope.pcpg_ids):
            raise RuleBroken("Choose PCPGs from the list", field="pcpg_ids")
        names["pcpgs"] = [row["name"] for row in rows]
    if scope.health_board_id is not None:
        board = await HealthBoard.select(HealthBoard.name).where(HealthBoard.id == scope.health_board_id).first()
        if board is None:
            raise RuleBroken("Choose a health board from the list", field="health_board_id")
        names["health_board"] = board["name"]
    if scope.delivery_vehicle_id is not None:
        vehicle = (
            await DeliveryVehicle.select(DeliveryVehicle.name)
            .where(DeliveryVehicle.id == scope.delivery_vehicle_id)
            .first()
        )
        if vehicle is None:
            raise RuleBroken("Choose a delivery vehicle from the list", field="delivery_vehicle_id")
        names["delivery_vehicle"] = vehicle["name"]
    return names


async def _insert_user(
    op: Recorder,
    *,
    full_name: str,
    username: str,
    email: str,
    role: Role,
    language: str,
    scope: rules.UserScope,
    password_hash: str,
) -> int:
    """Save a user with their scope and record it (in words); the username must be new."""
    if await User.exists().where(User.username == username):
        raise Conflict("A user with that username already exists", field="username")
    scope_names = await _scope_names(scope)
    row = User(
        username=username,
        full_name=full_name,
        email=email,
        password_hash=password_hash,
        role=role.value,
        language=language,
        delivery_vehicle=scope.delivery_vehicle_id,
        health_board=scope.health_board_id,
        created_at=op.now,
    )
    await row.save()
    if scope.pcpg_ids:
        await UserPcpg.insert(*[UserPcpg(user=row.id, pcpg=pcpg_id) for pcpg_id in scope.pcpg_ids])
    op.record(
        "User",
        row.id,
        after={"full_name": full_name, "username": username, "role": role.value, "language": language, **scope_names},
    )
    return int(row.id)


async def create_user(*, actor: Actor, user: NewUser, now: datetime) -> int:
    """A user with a password, organisations named (`cdv create-user`, the demo)."""
    problem = rules.password_problem(user.password)
    if problem:
        raise RuleBroken(problem, field="password", length=rules.MIN_PASSWORD_LENGTH)
    _check_person(user.full_name, user.username, user.language)
    password_hash = await hash_password(user.password)  # slow on purpose: in a thread, not in the transaction
    async with operation("user.created", actor=actor, now=now) as op:
        health_board_id = None
        if user.role is Role.FINANCE_DIRECTOR:
            board = await HealthBoard.select(HealthBoard.id).where(HealthBoard.name == user.health_board_name).first()
            if board is None:
                raise RuleBroken("A finance director needs a health board", field="health_board")
            health_board_id = board["id"]
        pcpg_ids: list[int] = []
        if user.role is Role.COMMISSIONER:
            for name in user.pcpg_names:
                pcpg = await Pcpg.select(Pcpg.id).where(Pcpg.name == name).first()
                if pcpg is None:
                    raise RuleBroken("No PCPG is called %(name)s", field="pcpg", name=name)
                pcpg_ids.append(pcpg["id"])
            if not pcpg_ids:
                raise RuleBroken("A commissioner needs at least one PCPG", field="pcpg")
        if user.delivery_vehicle_id is not None and not await DeliveryVehicle.exists().where(
            DeliveryVehicle.id == user.delivery_vehicle_id
        ):
            raise NotFound("No such delivery vehicle", field="delivery_vehicle")
        return await _insert_user(
            op,
            full_name=user.full_name.strip(),
            username=user.username.strip(),
            email=user.email,
            role=user.role,
            language=user.language,
            scope=rules.UserScope(
                pcpg_ids=tuple(pcpg_ids),
                health_board_id=health_board_id,
                delivery_vehicle_id=user.delivery_vehicle_id,
            ),
            password_hash=password_hash,
        )


def _check_manager(actor: Actor) -> None:
    if not rules.can_manage_users(actor):
        raise NotAllowed("Only a national administrator manages users")


async def add_user(*, actor: Actor, data: UserIn, now: datetime) -> tuple[int, str, datetime]:
    """A national administrator adds a user with their role and scope. No password is chosen for them: the answer
    is a one-time link (its token and when it expires) for the user to set their own."""
    _check_manager(actor)
    _check_person(data.full_name, data.username, data.language)
    scope = rules.scope_for(
        data.role,
        pcpg_ids=tuple(data.pcpg_ids),
        health_board_id=data.health_board_id,
        delivery_vehicle_id=data.delivery_vehicle_id,
    )
    problem = rules.scope_problem(data.role, scope)
    if problem:
        raise RuleBroken(problem[1], field=problem[0])
    async with operation("user.created", actor=actor, now=now) as op:
        user_id = await _insert_user(
            op,
            full_name=data.full_name.strip(),
            username=data.username.strip(),
            email=data.email.strip(),
            role=data.role,
            language=data.language,
            scope=scope,
            password_hash="",  # matches no password until the user sets one with the link
        )
        token, expires_at = await new_password_link(user_id=user_id, now=now)
    return user_id, token, expires_at


async def _user_row(user_id: int, *, locked: bool = False) -> dict[str, Any]:
    row = (
        await User.select(User.id, User.full_name, User.role, User.active, User.health_board, User.delivery_vehicle)
        .where(User.id == user_id)
        .first()
        if 1 <= user_id <= rules.MAX_USER_ID
        else None
    )
    if row is None:
        raise NotFound("No such user")
    return row


async def change_user_scope(*, actor: Actor, user_id: int, data: UserScopeIn, now: datetime) -> None:
    """Where a commissioner, finance director or provider acts from now on; takes effect on their next request."""
    _check_manager(actor)
    async with operation("user.scope_changed", actor=actor, now=now) as op:
        user = await _user_row(user_id)
        role = Role(user["role"])
        if not rules.has_scope(role):
            raise Conflict("This user's role acts for no PCPG, health board or delivery vehicle")
        if not user["active"]:
            raise Conflict("This account is deactivated")
        scope = rules.scope_for(
            role,
            pcpg_ids=tuple(data.pcpg_ids),
            health_board_id=data.health_board_id,
            delivery_vehicle_id=data.delivery_vehicle_id,
        )
        problem = rules.scope_problem(role, scope)
        if problem:
            raise RuleBroken(problem[1], field=problem[0])
        current_pcpgs = tuple(
            sorted(row["pcpg"] for row in await UserPcpg.select(UserPcpg.pcpg).where(UserPcpg.user == user_id))
        )
        before = rules.scope_for(
            role,
            pcpg_ids=current_pcpgs,
            health_board_id=user["health_board"],
            delivery_vehicle_id=user["delivery_vehicle"],
        )
        if before == scope:
            raise RuleBroken("Nothing has changed", field=rules.SCOPE_FIELD[role])
        before_names, after_names = await _scope_names(before), await _scope_names(scope)
        if role is Role.COMMISSIONER:
            await UserPcpg.delete().where(UserPcpg.user == user_id)
            await UserPcpg.insert(*[UserPcpg(user=user_id, pcpg=pcpg_id) for pcpg_id in scope.pcpg_ids])
        else:
            await User.update(
                {User.health_board: scope.health_board_id, User.delivery_vehicle: scope.delivery_vehicle_id}
            ).where(User.id == user_id)
        op.record(
            "User",
            user_id,
            before={"full_name": user["full_name"], **before_names},
            after={"full_name": user["full_name"], **after_names},
        )


async def deactivate_user(*, actor: Actor, user_id: int, now: datetime) -> None:
    """The user can no longer sign in, and their sessions, API tokens and unused password links stop working at
    once. At least one national administrator stays active (accounts.rules.deactivation_refusal)."""
    _check_manager(actor)
    async with operation("user.deactivated", actor=actor, now=now) as op:
        await serialise(_NATIONAL_ADMINS_LOCK_KEY)
        user = await _user_row(user_id)
        admins = await User.count().where((User.role == Role.NATIONAL_ADMIN.value) & (User.active == True))  # noqa: E712
        refusal = rules.deactivation_refusal(
            actor, user_id=user_id, role=Role(user["role"]), active=user["active"], active_national_admins=admins
        )
        if refusal:
            raise Conflict(refusal)
        await User.update({User.active: False}).where(User.id == user_id)
        await end_every_sign_in(user_id)
        await PasswordLink.delete().where((PasswordLink.user == user_id) & PasswordLink.used_at.is_null())
        op.record("User", user_id, before={"full_name": user["full_name"], "active": True}, after={"active": False})


async def set_language(*, actor: Actor, language: str, now: datetime) -> None:
    """Remember the choice, so notices and documents reach this user in it too (Welsh Language Standards)."""
    if language not in LANGUAGES:
        raise RuleBroken("Choose English or Welsh", field="language")
    if actor.user_id is None:
        return
    async with operation("user.language_set", actor=actor, now=now) as op:
        current = await User.select(User.language).where(User.id == actor.user_id).first()
        if current is None:
            raise NotFound()
        if current["language"] != language:
            await User.update({User.language: language}).where(User.id == actor.user_id)
            op.record("User", actor.user_id, before={"language": current["language"]}, after={"language": language})


async def link_delivery_vehicle(*, user_id: int, delivery_vehicle_id: int) -> None:
    """Scope a provider user to the vehicle they registered; called inside the registration operation."""
    await User.update({User.delivery_vehicle: delivery_vehicle_id}).where(User.id == user_id)
