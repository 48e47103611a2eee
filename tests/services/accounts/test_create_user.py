import json
from datetime import UTC, datetime
from typing import Any

import pytest

from accounts.actor import SYSTEM, Role
from accounts.queries import actor_for_user
from accounts.services.sign_in import sign_in
from accounts.services.users import NewUser, create_user
from accounts.tables import User, UserPcpg
from audit.tables import AuditEvent
from core.errors import Conflict, DomainError, NotFound, RuleBroken
from organisations.tables import HealthBoard, Pcpg
from tests import factories

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
PASSWORD = "a-long-enough-password"


def _new(**changes: Any) -> NewUser:
    values: dict[str, Any] = {
        "username": "rhian",
        "full_name": "Rhian Evans",
        "password": PASSWORD,
        "role": Role.COMMISSIONER,
        "email": "rhian@example.org",
        "pcpg_names": ("Cardiff", "Vale of Glamorgan"),
    }
    return NewUser(**{**values, **changes})


async def test_a_new_commissioner_acts_for_the_pcpgs_named():
    user_id = await create_user(actor=SYSTEM, user=_new(), now=NOW)
    actor = await actor_for_user(user_id)
    assert actor is not None
    assert (actor.username, actor.role) == ("rhian", Role.COMMISSIONER)
    assert set(actor.pcpg_ids) == {
        await factories.reference_id(Pcpg, "Cardiff"),
        await factories.reference_id(Pcpg, "Vale of Glamorgan"),
    }


async def test_a_new_user_signs_in_with_the_password_given_which_is_stored_only_hashed():
    user_id = await create_user(actor=SYSTEM, user=_new(), now=NOW)
    stored = await User.select(User.password_hash).where(User.id == user_id).first()
    assert PASSWORD not in stored["password_hash"]
    _, signed_in = await sign_in(username="rhian", password=PASSWORD, now=NOW)
    assert signed_in == user_id


async def test_a_new_finance_director_is_scoped_to_their_health_board():
    user = _new(role=Role.FINANCE_DIRECTOR, pcpg_names=(), health_board_name="Swansea Bay University Health Board")
    actor = await actor_for_user(await create_user(actor=SYSTEM, user=user, now=NOW))
    assert actor is not None
    assert actor.health_board_id == await factories.reference_id(HealthBoard, "Swansea Bay University Health Board")


async def test_a_new_user_is_audited_without_the_password():
    admin = await factories.create_user(role=Role.NATIONAL_ADMIN)
    actor = await actor_for_user(admin.id)
    assert actor is not None
    since = await AuditEvent.count()
    user_id = await create_user(actor=actor, user=_new(), now=NOW)
    events = await AuditEvent.select().where(AuditEvent.sequence > since)
    assert [(event["action"], event["entity_id"], event["actor_username"]) for event in events] == [
        ("user.created", str(user_id), admin.username)
    ]
    after = events[0]["after"]
    after = json.loads(after) if isinstance(after, str) else after
    assert (after["username"], after["role"]) == ("rhian", "commissioner")
    assert PASSWORD not in json.dumps(after)


async def _refused(user: NewUser, error: type[DomainError]) -> DomainError:
    before = (await User.count(), await UserPcpg.count(), await AuditEvent.count())
    with pytest.raises(error) as refused:
        await create_user(actor=SYSTEM, user=user, now=NOW)
    assert (await User.count(), await UserPcpg.count(), await AuditEvent.count()) == before
    return refused.value


async def test_a_password_shorter_than_12_characters_is_refused():
    error = await _refused(_new(password="short-pass"), RuleBroken)
    assert (error.field, error.params) == ("password", {"length": 12})


async def test_a_language_other_than_english_or_welsh_is_refused():
    assert (await _refused(_new(language="fr"), RuleBroken)).field == "language"


async def test_a_username_already_taken_is_refused():
    await factories.create_user(role=Role.EVALUATOR, username="rhian")
    error = await _refused(_new(), Conflict)
    assert (error.status_code, error.field) == (409, "username")


async def test_a_finance_director_without_a_known_health_board_is_refused():
    for board in (None, "No Such Health Board"):
        error = await _refused(_new(role=Role.FINANCE_DIRECTOR, health_board_name=board), RuleBroken)
        assert error.field == "health_board"


async def test_a_commissioner_without_a_pcpg_is_refused():
    error = await _refused(_new(pcpg_names=()), RuleBroken)
    assert (error.field, error.message) == ("pcpg", "A commissioner needs at least one PCPG")


async def test_a_commissioner_of_an_unknown_pcpg_is_refused_naming_it():
    error = await _refused(_new(pcpg_names=("Cardiff", "Atlantis")), RuleBroken)
    assert (error.field, error.params) == ("pcpg", {"name": "Atlantis"})


async def test_a_provider_for_a_vehicle_that_does_not_exist_is_refused():
    error = await _refused(_new(role=Role.PROVIDER, pcpg_names=(), delivery_vehicle_id=999_999), NotFound)
    assert error.field == "delivery_vehicle"
