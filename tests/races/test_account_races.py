"""Parallel requests cannot get round sign-in throttling or register two vehicles for one provider (real commits)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from accounts.actor import Role
from accounts.services import sign_in as services
from accounts.tables import SignInFailure, User
from core.errors import DomainError
from organisations.schemas import DeliveryVehicleIn
from organisations.services import register_delivery_vehicle
from organisations.tables import DeliveryVehicle
from tests import factories
from tests.conftest import make_actor

pytestmark = pytest.mark.races
NOW = datetime.now(UTC)


async def test_twenty_parallel_wrong_passwords_get_five_checks_and_the_rest_wait():
    """Each attempt is counted before its password is checked, so parallel guesses cannot all slip in under the
    count: five are checked, fifteen are told to wait, and so is the right password after them."""
    await factories.create_user(role=Role.EVALUATOR, username="guessed")

    async def guess() -> int | None:
        try:
            await services.sign_in(username="guessed", password="wrong-password", now=NOW, client_address="192.0.2.1")
        except services.SignInRefused as refused:
            return refused.retry_after
        raise AssertionError("a wrong password signed in")

    answers = await asyncio.gather(*[guess() for _ in range(20)])
    assert sorted(answers, key=lambda wait: wait or 0) == [None] * 5 + [60] * 15
    with pytest.raises(services.SignInRefused) as refused:
        await services.sign_in(username="guessed", password=factories.PASSWORD, now=NOW, client_address="192.0.2.2")
    assert refused.value.retry_after == 60
    assert await SignInFailure.count() == 10, "five failures, each counted at the username and at the address"


async def test_a_double_submitted_registration_makes_one_delivery_vehicle():
    provider = await make_actor(Role.PROVIDER)
    data = DeliveryVehicleIn(
        name="Double Click CIC",
        legal_form="cic",
        companies_house_number=None,
        cluster_ids=await factories.cluster_ids("Cardiff North"),
        contact_name="A Person",
        contact_email="a@example.org",
    )

    async def register(number: str) -> bool:
        try:
            await register_delivery_vehicle(
                actor=provider,
                data=DeliveryVehicleIn(
                    **{**{f: getattr(data, f) for f in data.__struct_fields__}, "companies_house_number": number}
                ),
                now=NOW,
            )
        except DomainError:
            return False
        return True

    results = await asyncio.gather(register("12345678"), register("87654321"))
    assert sorted(results) == [False, True]
    assert await DeliveryVehicle.count().where(DeliveryVehicle.name == "Double Click CIC") == 1


async def test_national_admins_deactivating_each_other_at_once_leave_one_active():
    """Six admins, each deactivating the next at the same moment: whatever the order, one stays active."""
    from accounts.services.users import deactivate_user

    admins = [await make_actor(Role.NATIONAL_ADMIN) for _ in range(6)]

    async def deactivate(actor, user_id: int) -> bool:
        try:
            await deactivate_user(actor=actor, user_id=user_id, now=NOW)
        except DomainError:
            return False
        return True

    pairs = [(admin, admins[(n + 1) % len(admins)].user_id) for n, admin in enumerate(admins)]
    results = await asyncio.gather(*[deactivate(actor, user_id) for actor, user_id in pairs])
    active = await User.count().where((User.role == Role.NATIONAL_ADMIN.value) & (User.active == True))  # noqa: E712
    assert active == 1
    assert sum(results) == len(admins) - 1


async def test_a_password_link_used_six_times_at_once_sets_one_password():
    from accounts.services.passwords import issue_password_link, set_password_with_link
    from audit.tables import AuditEvent

    admin, user = await make_actor(Role.NATIONAL_ADMIN), await make_actor(Role.EVALUATOR)
    token, _ = await issue_password_link(actor=admin, user_id=user.user_id, now=NOW)

    async def use(password: str) -> bool:
        try:
            await set_password_with_link(token=token, password=password, confirmation=password, now=NOW)
        except DomainError:
            return False
        return True

    results = await asyncio.gather(*[use(f"new-password-number-{n}") for n in range(6)])
    assert sum(results) == 1
    assert await AuditEvent.count().where(AuditEvent.action == "user.password_set") == 1
