"""factory-boy factories building unsaved Piccolo rows for every table, and `save()` to store one with its parents."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import factory
from piccolo.table import Table

from accounts.actor import Role
from accounts.rules import hash_password
from accounts.tables import ApiToken, User, UserPcpg, WebSession
from administration.tables import ClockSetting
from audit.tables import AuditEvent
from organisations.tables import (
    Cluster,
    DeliveryVehicle,
    DeliveryVehicleCluster,
    HealthBoard,
    LocalAuthority,
    Pcpg,
    RegionalPartnershipBoard,
)

PASSWORD = "test-password-123"
_PASSWORD_HASH = hash_password(PASSWORD)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def save(row: Table) -> Table:
    """Save a factory-built row, saving unsaved parent rows (foreign keys holding Table instances) first."""
    for column in row._meta.foreign_key_columns:
        parent = getattr(row, column._meta.name)
        if isinstance(parent, Table):
            if not getattr(parent, "_exists_in_db", False):
                await save(parent)
            setattr(row, column._meta.name, parent.id)
    await row.save()
    return row


class HealthBoardFactory(factory.Factory):
    class Meta:
        model = HealthBoard

    name = factory.Sequence(lambda n: f"Test Health Board {n}")
    name_cy = factory.Sequence(lambda n: f"Bwrdd Iechyd Prawf {n}")
    short_name = factory.Sequence(lambda n: f"THB{n}")


class RegionalPartnershipBoardFactory(factory.Factory):
    class Meta:
        model = RegionalPartnershipBoard

    name = factory.Sequence(lambda n: f"Test RPB {n}")
    name_cy = factory.Sequence(lambda n: f"BPR Prawf {n}")
    health_board = factory.SubFactory(HealthBoardFactory)


class PcpgFactory(factory.Factory):
    class Meta:
        model = Pcpg

    name = factory.Sequence(lambda n: f"Test PCPG {n}")
    name_cy = factory.Sequence(lambda n: f"GCC Prawf {n}")
    health_board = factory.SubFactory(HealthBoardFactory)
    effective_from_on = date(2023, 4, 1)


class LocalAuthorityFactory(factory.Factory):
    class Meta:
        model = LocalAuthority

    name = factory.Sequence(lambda n: f"Test County {n}")
    name_cy = factory.Sequence(lambda n: f"Sir Prawf {n}")
    health_board = factory.SubFactory(HealthBoardFactory)
    regional_partnership_board = factory.SubFactory(RegionalPartnershipBoardFactory)
    pcpg = factory.SubFactory(PcpgFactory)


class ClusterFactory(factory.Factory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Test Cluster {n}")
    seed_number = factory.Sequence(lambda n: 1000 + n)
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    pcpg = factory.SubFactory(PcpgFactory)
    health_board = factory.SubFactory(HealthBoardFactory)
    population = 40_000
    population_source = "test"
    effective_from_on = date(2023, 4, 1)


class DeliveryVehicleFactory(factory.Factory):
    class Meta:
        model = DeliveryVehicle

    name = factory.Sequence(lambda n: f"Test Delivery Vehicle {n} CIC")
    legal_form = "cic"
    companies_house_number = factory.Sequence(lambda n: f"{10_000_000 + n:08d}")
    contact_name = "Test Contact"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    status = "approved"
    registered_at = NOW
    registered_by_username = "provider"


class DeliveryVehicleClusterFactory(factory.Factory):
    class Meta:
        model = DeliveryVehicleCluster

    delivery_vehicle = factory.SubFactory(DeliveryVehicleFactory)
    cluster = factory.SubFactory(ClusterFactory)


class UserFactory(factory.Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Test User {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password_hash = _PASSWORD_HASH
    role = Role.NATIONAL_ADMIN.value
    language = "en"
    created_at = NOW


class UserPcpgFactory(factory.Factory):
    class Meta:
        model = UserPcpg

    user = factory.SubFactory(UserFactory, role=Role.COMMISSIONER.value)
    pcpg = factory.SubFactory(PcpgFactory)


class WebSessionFactory(factory.Factory):
    class Meta:
        model = WebSession

    key_hash = factory.Sequence(lambda n: f"{n:064d}")
    user = factory.SubFactory(UserFactory)
    created_at = NOW
    expires_at = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(hours=1))


class ApiTokenFactory(factory.Factory):
    class Meta:
        model = ApiToken

    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    user = factory.SubFactory(UserFactory)
    created_at = NOW
    expires_at = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(hours=1))


class AuditEventFactory(factory.Factory):
    """Rows for tests of verification only: real events come from `operation()`."""

    class Meta:
        model = AuditEvent

    sequence = factory.Sequence(lambda n: 1_000_000 + n)
    occurred_at = NOW
    action = "test.happened"
    entity_type = "Test"
    entity_id = "1"
    previous_hash = "0" * 64
    event_hash = factory.Sequence(lambda n: f"{n:064x}")


class ClockSettingFactory(factory.Factory):
    class Meta:
        model = ClockSetting

    offset_seconds = 86_400
    set_at = NOW
    set_by_username = "admin"


async def reference_id(table: type[Table], name: str) -> int:
    row = await table.select(table.id).where(table.name == name).first()  # type: ignore[attr-defined]
    assert row is not None, f"no {table.__name__} called {name}"
    return int(row["id"])


async def cluster_ids(*names: str) -> list[int]:
    return [await reference_id(Cluster, name) for name in names]


async def create_vehicle(*, cluster_names: tuple[str, ...] = ("Cardiff North",), **values: Any) -> DeliveryVehicle:
    vehicle = await save(DeliveryVehicleFactory(**values))
    for cluster_id in await cluster_ids(*cluster_names):
        await save(DeliveryVehicleClusterFactory(delivery_vehicle=vehicle.id, cluster=cluster_id))
    return vehicle


async def create_user(
    *,
    role: Role,
    username: str | None = None,
    pcpg_names: tuple[str, ...] = (),
    health_board_name: str | None = None,
    delivery_vehicle_id: int | None = None,
    with_vehicle: bool = False,
    **values: Any,
) -> User:
    """A saved user; a provider gets an approved vehicle serving Cardiff North unless told otherwise."""
    if role is Role.PROVIDER and delivery_vehicle_id is None and with_vehicle:
        delivery_vehicle_id = (await create_vehicle()).id
    extra: dict[str, Any] = {"role": role.value, **values}
    if username:
        extra["username"] = username
    if health_board_name:
        extra["health_board"] = await reference_id(HealthBoard, health_board_name)
    if delivery_vehicle_id is not None:
        extra["delivery_vehicle"] = delivery_vehicle_id
    user = await save(UserFactory(**extra))
    for name in pcpg_names:
        await save(UserPcpgFactory(user=user.id, pcpg=await reference_id(Pcpg, name)))
    return user
