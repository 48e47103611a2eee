"""A national administrator adds a user with a role and scope; the user gets a one-time link, not a password."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from accounts import queries
from accounts.actor import Role
from accounts.rules import PASSWORD_LINK_LIFETIME
from accounts.schemas import UserIn
from accounts.services.passwords import set_password_with_link
from accounts.services.sign_in import SignInRefused, sign_in
from accounts.services.users import add_user
from accounts.tables import PasswordLink, User, UserPcpg
from audit.tables import AuditEvent
from core.errors import Conflict, DomainError, NotAllowed, RuleBroken
from organisations.tables import HealthBoard, Pcpg
from tests import factories
from tests.conftest import make_actor

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
PASSWORD = "a-long-enough-password"


def _user(**changes: Any) -> UserIn:
    values: dict[str, Any] = {"full_name": "Anna Price", "username": "anna", "role": Role.EVALUATOR}
    return UserIn(**{**values, **changes})


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def test_an_added_commissioner_acts_for_the_pcpgs_chosen_and_is_recorded_by_name():
    admin = await make_actor("national_admin")
    cardiff, vale = (
        await factories.reference_id(Pcpg, "Cardiff"),
        await factories.reference_id(Pcpg, "Vale of Glamorgan"),
    )
    user_id, token, expires_at = await add_user(
        actor=admin, data=_user(role=Role.COMMISSIONER, pcpg_ids=[vale, cardiff], health_board_id=1), now=NOW
    )
    actor = await queries.actor_for_user(user_id)
    assert actor is not None
    assert (actor.full_name, actor.role, set(actor.pcpg_ids), actor.health_board_id) == (
        "Anna Price",
        Role.COMMISSIONER,
        {cardiff, vale},
        None,  # a commissioner has no health board: the answer for another role is dropped
    )
    assert token
    assert PASSWORD_LINK_LIFETIME - timedelta(minutes=1) < expires_at - datetime.now(UTC) <= PASSWORD_LINK_LIFETIME
    (event,) = await AuditEvent.select().where(AuditEvent.action == "user.created")
    assert (event["entity_id"], event["actor_username"]) == (str(user_id), admin.username)
    assert _json(event["after"]) == {
        "full_name": "Anna Price",
        "username": "anna",
        "role": "commissioner",
        "language": "en",
        "pcpgs": ["Cardiff", "Vale of Glamorgan"],
    }
    assert token not in json.dumps(_json(event["after"]))


async def test_an_added_user_cannot_sign_in_until_they_set_a_password_with_their_link():
    admin = await make_actor("national_admin")
    user_id, token, _ = await add_user(actor=admin, data=_user(), now=NOW)
    stored = await User.select(User.password_hash).where(User.id == user_id).first()
    assert stored == {"password_hash": ""}
    for guess in ("", "no-such-user-password", PASSWORD):
        with pytest.raises(SignInRefused):
            await sign_in(username="anna", password=guess, now=NOW)
    await set_password_with_link(token=token, password=PASSWORD, confirmation=PASSWORD, now=NOW)
    _, signed_in = await sign_in(username="anna", password=PASSWORD, now=NOW)
    assert signed_in == user_id


async def test_an_added_finance_director_is_scoped_to_the_health_board_chosen():
    admin = await make_actor("national_admin")
    board = await factories.reference_id(HealthBoard, "Swansea Bay University Health Board")
    user_id, _, _ = await add_user(actor=admin, data=_user(role=Role.FINANCE_DIRECTOR, health_board_id=board), now=NOW)
    actor = await queries.actor_for_user(user_id)
    assert actor is not None and actor.health_board_id == board


async def test_an_added_provider_may_manage_a_vehicle_or_none_yet():
    admin = await make_actor("national_admin")
    vehicle = await factories.create_vehicle()
    with_vehicle, _, _ = await add_user(
        actor=admin, data=_user(role=Role.PROVIDER, delivery_vehicle_id=vehicle.id), now=NOW
    )
    without, _, _ = await add_user(actor=admin, data=_user(role=Role.PROVIDER, username="owain"), now=NOW)
    assert (await queries.actor_for_user(with_vehicle)).delivery_vehicle_id == vehicle.id
    assert (await queries.actor_for_user(without)).delivery_vehicle_id is None


async def _refused(data: UserIn, error: type[DomainError], *, role: str = "national_admin") -> DomainError:
    actor = await make_actor(role)
    before = (await User.count(), await UserPcpg.count(), await PasswordLink.count(), await AuditEvent.count())
    with pytest.raises(error) as refused:
        await add_user(actor=actor, data=data, now=NOW)
    assert (await User.count(), await UserPcpg.count(), await PasswordLink.count(), await AuditEvent.count()) == before
    return refused.value


async def test_a_commissioner_without_a_pcpg_is_refused_naming_the_field():
    error = await _refused(_user(role=Role.COMMISSIONER), RuleBroken)
    assert (error.field, error.message) == ("pcpg_ids", "Choose at least one PCPG the commissioner acts for")


async def test_a_finance_director_without_a_health_board_is_refused_naming_the_field():
    error = await _refused(_user(role=Role.FINANCE_DIRECTOR), RuleBroken)
    assert error.field == "health_board_id"


async def test_an_unknown_pcpg_health_board_or_vehicle_is_refused_naming_the_field():
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    assert (await _refused(_user(role=Role.COMMISSIONER, pcpg_ids=[cardiff, 999_999]), RuleBroken)).field == "pcpg_ids"
    assert (
        await _refused(_user(role=Role.FINANCE_DIRECTOR, health_board_id=999_999), RuleBroken)
    ).field == "health_board_id"
    assert (
        await _refused(_user(role=Role.PROVIDER, delivery_vehicle_id=999_999), RuleBroken)
    ).field == "delivery_vehicle_id"


async def test_a_blank_full_name_is_refused():
    assert (await _refused(_user(full_name="   "), RuleBroken)).field == "full_name"


async def test_a_username_already_taken_is_refused():
    await factories.create_user(role=Role.EVALUATOR, username="anna")
    error = await _refused(_user(), Conflict)
    assert (error.status_code, error.field) == (409, "username")


async def test_only_a_national_administrator_adds_users():
    for role in ("commissioner", "evaluator", "provider", "finance_director"):
        await _refused(_user(), NotAllowed, role=role)
