"""A national administrator changes where a commissioner, finance director or provider acts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from accounts import queries
from accounts.schemas import UserScopeIn
from accounts.services.users import change_user_scope
from audit.tables import AuditEvent
from core.errors import Conflict, DomainError, NotAllowed, NotFound, RuleBroken
from organisations.tables import HealthBoard, Pcpg
from tests import factories
from tests.conftest import make_actor

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def test_a_commissioner_moves_to_other_pcpgs_and_acts_for_them_on_their_next_request():
    admin = await make_actor("national_admin")
    commissioner = await make_actor("commissioner", full_name="Gareth Price")
    swansea = await factories.reference_id(Pcpg, "Swansea Bay")
    await change_user_scope(actor=admin, user_id=commissioner.user_id, data=UserScopeIn(pcpg_ids=[swansea]), now=NOW)
    assert (await queries.actor_for_user(commissioner.user_id)).pcpg_ids == (swansea,)
    (event,) = await AuditEvent.select().where(AuditEvent.action == "user.scope_changed")
    assert (event["entity_id"], event["actor_username"]) == (str(commissioner.user_id), admin.username)
    assert (_json(event["before"]), _json(event["after"])) == (
        {"full_name": "Gareth Price", "pcpgs": ["Cardiff"]},
        {"full_name": "Gareth Price", "pcpgs": ["Swansea Bay"]},
    )


async def test_a_finance_director_moves_to_another_health_board():
    admin = await make_actor("national_admin")
    finance = await make_actor("finance_director")
    board = await factories.reference_id(HealthBoard, "Swansea Bay University Health Board")
    await change_user_scope(actor=admin, user_id=finance.user_id, data=UserScopeIn(health_board_id=board), now=NOW)
    assert (await queries.actor_for_user(finance.user_id)).health_board_id == board


async def test_a_provider_is_given_a_vehicle_and_then_none():
    admin = await make_actor("national_admin")
    provider = await make_actor("provider")
    vehicle = await factories.create_vehicle(name="Bay Health CIC")
    await change_user_scope(
        actor=admin, user_id=provider.user_id, data=UserScopeIn(delivery_vehicle_id=vehicle.id), now=NOW
    )
    assert (await queries.actor_for_user(provider.user_id)).delivery_vehicle_id == vehicle.id
    await change_user_scope(actor=admin, user_id=provider.user_id, data=UserScopeIn(), now=NOW)
    assert (await queries.actor_for_user(provider.user_id)).delivery_vehicle_id is None
    events = await AuditEvent.select(AuditEvent.after).where(AuditEvent.action == "user.scope_changed")
    assert [_json(e["after"]) for e in events] == [
        {"full_name": provider.full_name, "delivery_vehicle": "Bay Health CIC"},
        {"full_name": provider.full_name},
    ]


async def _refused(user_id: int, data: UserScopeIn, error: type[DomainError], *, role: str = "national_admin"):
    actor = await make_actor(role)
    before = await AuditEvent.count()
    with pytest.raises(error) as refused:
        await change_user_scope(actor=actor, user_id=user_id, data=data, now=NOW)
    assert await AuditEvent.count() == before
    return refused.value


async def test_a_commissioner_left_without_a_pcpg_is_refused_and_keeps_their_pcpgs():
    commissioner = await make_actor("commissioner")
    error = await _refused(commissioner.user_id, UserScopeIn(pcpg_ids=[]), RuleBroken)
    assert error.field == "pcpg_ids"
    assert (await queries.actor_for_user(commissioner.user_id)).pcpg_ids == commissioner.pcpg_ids


async def test_the_same_scope_again_is_refused_as_no_change():
    commissioner = await make_actor("commissioner")
    error = await _refused(commissioner.user_id, UserScopeIn(pcpg_ids=list(commissioner.pcpg_ids)), RuleBroken)
    assert (error.field, error.message) == ("pcpg_ids", "Nothing has changed")


async def test_an_evaluator_or_national_administrator_has_no_scope_to_change():
    for role in ("evaluator", "national_admin"):
        user = await make_actor(role)
        await _refused(user.user_id, UserScopeIn(pcpg_ids=[1]), Conflict)


async def test_a_deactivated_users_scope_is_not_changed():
    commissioner = await factories.create_user(role=factories.Role.COMMISSIONER, pcpg_names=("Cardiff",), active=False)
    swansea = await factories.reference_id(Pcpg, "Swansea Bay")
    await _refused(commissioner.id, UserScopeIn(pcpg_ids=[swansea]), Conflict)


async def test_an_unknown_user_is_not_found_and_only_a_national_administrator_changes_a_scope():
    await _refused(999_999, UserScopeIn(), NotFound)
    await _refused(2**40, UserScopeIn(), NotFound)
    finance = await make_actor("finance_director")
    for role in ("commissioner", "evaluator", "provider", "finance_director"):
        await _refused(finance.user_id, UserScopeIn(health_board_id=1), NotAllowed, role=role)
