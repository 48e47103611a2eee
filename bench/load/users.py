"""The load test's people (bench/load/run): one provider user per approved delivery vehicle, one commissioner per
PCPG and one finance director per health board, made through the app's own service (audited, as `cdv create-user`
would), since the data made by `cdv demo --scale wales` names people who have no account. Running it again makes
nobody twice. Writes the usernames by role as JSON for the locustfile.

    DATABASE_URL=postgresql://... python bench/load/users.py bench/var/load-users.json
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("CDV_ENV", "demo")
os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PASSWORD = os.environ.get("BENCH_PASSWORD", "demo-password")


async def make_users() -> dict[str, list[str]]:
    from accounts.actor import SYSTEM, Role
    from accounts.services.users import NewUser, create_user
    from accounts.tables import User
    from core.clock import SYSTEM_CLOCK
    from organisations.rules import DeliveryVehicleStatus
    from organisations.tables import DeliveryVehicle, HealthBoard, Pcpg

    vehicles = await (
        DeliveryVehicle.select(DeliveryVehicle.id)
        .where(DeliveryVehicle.status == DeliveryVehicleStatus.APPROVED)
        .order_by(DeliveryVehicle.id)
    )
    pcpgs = await Pcpg.select(Pcpg.id, Pcpg.name).order_by(Pcpg.id)
    boards = await HealthBoard.select(HealthBoard.id, HealthBoard.name).order_by(HealthBoard.id)
    wanted: list[tuple[str, NewUser]] = []
    for row in vehicles:
        username = f"load.provider.{row['id']}"
        wanted.append(
            (
                "provider",
                NewUser(
                    username=username,
                    full_name=f"Load Provider {row['id']}",
                    password=PASSWORD,
                    role=Role.PROVIDER,
                    delivery_vehicle_id=row["id"],
                ),
            )
        )
    for row in pcpgs:
        wanted.append(
            (
                "commissioner",
                NewUser(
                    username=f"load.commissioner.{row['id']}",
                    full_name=f"Load Commissioner {row['id']}",
                    password=PASSWORD,
                    role=Role.COMMISSIONER,
                    pcpg_names=(row["name"],),
                ),
            )
        )
    for row in boards:
        wanted.append(
            (
                "finance",
                NewUser(
                    username=f"load.finance.{row['id']}",
                    full_name=f"Load Finance Director {row['id']}",
                    password=PASSWORD,
                    role=Role.FINANCE_DIRECTOR,
                    health_board_name=row["name"],
                ),
            )
        )
    made: dict[str, list[str]] = {"provider": [], "commissioner": [], "finance": []}
    for role, user in wanted:
        if not await User.exists().where(User.username == user.username):
            await create_user(actor=SYSTEM, user=user, now=SYSTEM_CLOCK.now())
        made[role].append(user.username)
    return made


async def main() -> dict[str, list[str]]:
    from core.db import engine, is_postgres

    if is_postgres():
        await engine().start_connection_pool(min_size=1, max_size=2)  # type: ignore[call-arg]
    try:
        made = await make_users()
    finally:
        if is_postgres():
            await engine().close_connection_pool()  # type: ignore[attr-defined]
    return made


def write(target: Path, made: dict[str, list[str]]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(made, indent=1))
    print(", ".join(f"{len(names)} {role} users" for role, names in made.items()), f"in {target}")


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "bench/var/load-users.json"), asyncio.run(main()))
