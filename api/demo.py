"""Demo data: realistic organisations and the demo users, made through the real services (so it is audited)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accounts.actor import SYSTEM, Actor, Role
from accounts.queries import actor_for_user
from accounts.services import NewUser, create_user
from accounts.tables import User
from core.clock import SYSTEM_CLOCK
from core.db import engine, is_postgres
from organisations.schemas import DeliveryVehicleDecisionIn, DeliveryVehicleIn
from organisations.services import approve_delivery_vehicle, register_delivery_vehicle
from organisations.tables import Cluster

DEMO_USERS: list[tuple[str, str, Role, dict[str, Any]]] = [
    ("admin", "Alys Morgan", Role.NATIONAL_ADMIN, {}),
    ("commissioner", "Gareth Price", Role.COMMISSIONER, {"pcpg_names": ("Cardiff",)}),
    ("commissioner2", "Siân Davies", Role.COMMISSIONER, {"pcpg_names": ("Swansea Bay",)}),
    ("evaluator", "Rhys Evans", Role.EVALUATOR, {}),
    ("evaluator2", "Nia Thomas", Role.EVALUATOR, {"language": "cy"}),
    ("provider", "Dylan Hughes", Role.PROVIDER, {}),
    ("provider2", "Ffion Jenkins", Role.PROVIDER, {}),
    ("provider3", "Owain Lewis", Role.PROVIDER, {}),
    (
        "finance",
        "Catrin Williams",
        Role.FINANCE_DIRECTOR,
        {"health_board_name": "Cardiff and Vale University Health Board"},
    ),
]

DEMO_VEHICLES = [
    (
        "provider",
        "Cardiff North and West Health Collaborative CIC",
        "cic",
        "14523687",
        ["Cardiff North", "Cardiff West", "Cardiff South West"],
        "Dylan Hughes",
        "dylan.hughes@cnwhc.example.org",
        True,
    ),
    (
        "provider2",
        "Caerdydd South and East Community Care Ltd",
        "company_limited_by_guarantee",
        "13098452",
        ["Cardiff East", "Cardiff South East", "City & Cardiff South"],
        "Ffion Jenkins",
        "ffion.jenkins@csecc.example.org",
        True,
    ),
    (
        "provider3",
        "Vale and Cardiff Wellbeing Partnership",
        "social_enterprise",
        "",
        ["Central Vale", "Eastern Vale", "Western Vale", "Cardiff West"],
        "Owain Lewis",
        "owain.lewis@vcwp.example.org",
        False,
    ),
]


async def _reset() -> None:
    from piccolo_conf import APP_REGISTRY

    if is_postgres():
        tables = [table._meta.tablename for app in APP_REGISTRY.app_configs.values() for table in app.table_classes]
        for name in [*tables, "migration"]:
            await engine().run_ddl(f'DROP TABLE IF EXISTS "{name}" CASCADE')
    else:
        path = Path(engine().path)  # type: ignore[attr-defined]
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)  # noqa: ASYNC240 - a CLI step, nothing else runs


async def make_demo(*, password: str, reset: bool) -> str:
    from api.cli import load_reference, migrate

    if reset:
        await _reset()
    await migrate()
    await load_reference()
    now = SYSTEM_CLOCK.now()
    created = 0
    for username, display_name, role, extra in DEMO_USERS:
        if await User.exists().where(User.username == username):
            continue
        await create_user(
            actor=SYSTEM,
            user=NewUser(
                username=username,
                display_name=display_name,
                password=password,
                role=role,
                email=f"{username}@demo.cdv.example.org",
                **extra,
            ),
            now=now,
        )
        created += 1
    admin = await _actor("admin")
    for username, name, legal_form, number, cluster_names, contact, email, approve in DEMO_VEHICLES:
        provider = await _actor(username)
        if provider.delivery_vehicle_id is not None:
            continue
        clusters = await Cluster.select(Cluster.id).where(Cluster.name.is_in(cluster_names))
        vehicle = await register_delivery_vehicle(
            actor=provider,
            data=DeliveryVehicleIn(
                name=name,
                legal_form=legal_form,  # type: ignore[arg-type]
                companies_house_number=number or None,
                cluster_ids=[row["id"] for row in clusters],
                contact_name=contact,
                contact_email=email,
                contact_phone="029 2000 0000",
            ),
            now=now,
        )
        if approve:
            await approve_delivery_vehicle(
                actor=admin,
                delivery_vehicle_id=vehicle.id,
                decision=DeliveryVehicleDecisionIn(reason="Demo: checked against Companies House"),
                now=now,
            )
    return f"demo ready: {created} users created; sign in with any demo user and the password given"


async def _actor(username: str) -> Actor:
    row = await User.select(User.id).where(User.username == username).first()
    assert row is not None, username
    actor = await actor_for_user(row["id"])
    assert actor is not None
    return actor
