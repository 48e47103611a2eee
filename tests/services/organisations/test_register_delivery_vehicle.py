import json
from datetime import UTC, datetime
from typing import Any

import pytest

from accounts.actor import Actor
from accounts.queries import actor_for_user
from audit.tables import AuditEvent
from core.errors import Conflict, DomainError, NotAllowed, RuleBroken
from organisations.schemas import DeliveryVehicleIn
from organisations.services import register_delivery_vehicle
from organisations.tables import DeliveryVehicle, DeliveryVehicleCluster
from tests import factories
from tests.conftest import make_actor

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def _details(**changes: Any) -> DeliveryVehicleIn:
    values: dict[str, Any] = {
        "name": "Cardiff North Health CIC",
        "legal_form": "cic",
        "cluster_ids": await factories.cluster_ids("Cardiff North", "Cardiff West"),
        "contact_name": "Alys Morgan",
        "contact_email": "alys@example.org",
        "companies_house_number": "1234567",
        "contact_phone": "029 2000 0000",
    }
    return DeliveryVehicleIn(**{**values, **changes})


async def _state() -> tuple[int, int, int]:
    """What a refused registration must leave untouched: vehicles, their clusters, the audit trail."""
    return await DeliveryVehicle.count(), await DeliveryVehicleCluster.count(), await AuditEvent.count()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def test_a_provider_registers_a_vehicle_that_waits_for_approval():
    provider = await make_actor("provider")
    vehicle = await register_delivery_vehicle(actor=provider, data=await _details(), now=NOW)
    assert vehicle.status == "pending"
    assert vehicle.name == "Cardiff North Health CIC"
    assert vehicle.companies_house_number == "01234567"
    assert sorted(cluster.name for cluster in vehicle.clusters) == ["Cardiff North", "Cardiff West"]
    assert (vehicle.registered_at, vehicle.registered_by) == (NOW, provider.username)


async def test_registering_links_the_provider_user_to_the_new_vehicle():
    provider = await make_actor("provider")
    vehicle = await register_delivery_vehicle(actor=provider, data=await _details(), now=NOW)
    refreshed = await actor_for_user(provider.user_id or 0)
    assert refreshed is not None
    assert refreshed.delivery_vehicle_id == vehicle.id


async def test_registering_is_audited_with_who_did_it_and_when():
    provider = await make_actor("provider")
    vehicle = await register_delivery_vehicle(actor=provider, data=await _details(), now=NOW)
    event = await AuditEvent.select().where(AuditEvent.action == "delivery_vehicle.registered").first()
    assert event is not None
    assert (event["entity_type"], event["entity_id"]) == ("DeliveryVehicle", str(vehicle.id))
    assert (event["actor_user_id"], event["actor_username"]) == (provider.user_id, provider.username)
    assert event["occurred_at"] == NOW
    assert _json(event["after"]) == {
        "name": "Cardiff North Health CIC",
        "legal_form": "cic",
        "companies_house_number": "01234567",
        "cluster_ids": sorted(await factories.cluster_ids("Cardiff North", "Cardiff West")),
        "status": "pending",
    }


async def test_a_gp_federation_registers_without_a_company_number():
    provider = await make_actor("provider")
    data = await _details(legal_form="gp_federation", companies_house_number="  ")
    vehicle = await register_delivery_vehicle(actor=provider, data=data, now=NOW)
    assert vehicle.companies_house_number is None


async def test_a_cluster_chosen_twice_is_served_once():
    provider = await make_actor("provider")
    cardiff_north = await factories.cluster_ids("Cardiff North")
    vehicle = await register_delivery_vehicle(
        actor=provider, data=await _details(cluster_ids=cardiff_north * 2), now=NOW
    )
    assert [cluster.name for cluster in vehicle.clusters] == ["Cardiff North"]


async def _refused(actor: Actor, data: DeliveryVehicleIn, error: type[DomainError]) -> DomainError:
    before = await _state()
    with pytest.raises(error) as refused:
        await register_delivery_vehicle(actor=actor, data=data, now=NOW)
    assert await _state() == before, "a refused registration wrote something"
    if actor.user_id is not None:
        refreshed = await actor_for_user(actor.user_id)
        assert refreshed is not None
        assert refreshed.delivery_vehicle_id == actor.delivery_vehicle_id
    return refused.value


@pytest.mark.parametrize("number", ["123456789", "SC12345", "ABCDEFGH"])
async def test_registration_is_refused_with_a_company_number_of_the_wrong_shape(number):
    error = await _refused(await make_actor("provider"), await _details(companies_house_number=number), RuleBroken)
    assert error.field == "companies_house_number"
    assert error.message == "Enter a Companies House number of 8 characters, like 01234567 or SC123456"


async def test_registration_of_a_cic_is_refused_without_a_company_number():
    error = await _refused(await make_actor("provider"), await _details(companies_house_number=None), RuleBroken)
    assert (error.field, error.message) == ("companies_house_number", "Enter the Companies House number")


async def test_registration_is_refused_when_the_company_number_is_already_registered():
    await factories.create_vehicle(companies_house_number="01234567")
    error = await _refused(await make_actor("provider"), await _details(companies_house_number="1234567"), Conflict)
    assert error.status_code == 409
    assert error.field == "companies_house_number"
    assert error.params == {"number": "01234567"}


async def test_registration_is_refused_without_a_cluster():
    error = await _refused(await make_actor("provider"), await _details(cluster_ids=[]), RuleBroken)
    assert (error.field, error.message) == ("cluster_ids", "Select at least one cluster served")


async def test_registration_is_refused_for_a_cluster_that_does_not_exist():
    clusters = [*await factories.cluster_ids("Cardiff North"), 999_999]
    error = await _refused(await make_actor("provider"), await _details(cluster_ids=clusters), RuleBroken)
    assert error.field == "cluster_ids"


async def test_registration_is_refused_with_an_email_address_in_the_wrong_form():
    error = await _refused(await make_actor("provider"), await _details(contact_email="alys.example.org"), RuleBroken)
    assert error.field == "contact_email"


async def test_a_second_registration_by_the_same_provider_is_refused():
    provider = await make_actor("provider")
    await register_delivery_vehicle(actor=provider, data=await _details(), now=NOW)
    registered = await actor_for_user(provider.user_id or 0)
    assert registered is not None
    second = await _details(name="Another CIC", companies_house_number="07654321")
    await _refused(registered, second, NotAllowed)


@pytest.mark.parametrize("role", ["national_admin", "commissioner", "evaluator", "finance_director"])
async def test_registration_is_refused_for_anyone_but_a_provider(role):
    await _refused(await make_actor(role), await _details(), NotAllowed)
