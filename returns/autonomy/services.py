"""Deciding a delivery vehicle's autonomy tier (issue 15, item 5): the recompute by the clock once a quarter, and a
commissioner's override with a reason, which holds until a commissioner lifts it. Every decision takes effect from
the next quarter; each is audited, told to the vehicle's users and the commissioners of its PCPGs, and reshapes the
returns of its contracts from that quarter on (returns.services.schedule)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from accounts.actor import SYSTEM, Actor, Role
from accounts.tables import User, UserPcpg
from audit.operation import operation
from contracts import autonomy_rules as rules
from contracts.autonomy_rules import AutonomyTier, Quarter, TierSource
from contracts.queries.autonomy import terms_in_force, tier_histories
from contracts.rules import ContractStatus
from contracts.schemas.autonomy import VehicleAutonomyOut
from contracts.tables import Contract, TierRecompute, VehicleTier
from core.clock import london_day
from core.db import serialise
from core.errors import Conflict, NotAllowed, NotFound
from core.periods import FinancialYear
from notifications.services import notify
from organisations.queries import scope_condition
from organisations.rules import DeliveryVehicleStatus
from organisations.tables import DeliveryVehicle, DeliveryVehicleCluster
from returns.autonomy.levels import confirmed_levels
from returns.autonomy.performance import red_free_by_vehicle
from returns.autonomy.queries import get_vehicle_autonomy
from returns.services.schedule import sync_returns

_RECOMPUTE_LOCK_KEY = 7_245_316
NOTICE = "autonomy_tier_changed"


def quarters_at(now: datetime) -> tuple[Quarter, Quarter, Quarter]:
    """The quarter before today's (the last whose results count), today's, and the next (a decision's first)."""
    current = rules.quarter_containing(london_day(now))
    return rules.previous_quarter(current), current, rules.next_quarter(current)


async def earned_tiers(vehicle_ids: Sequence[int], now: datetime) -> dict[int, tuple[AutonomyTier, int]]:
    """The tier each vehicle's confirmed levels and KPI results earn today, with its red-free quarters: three reads
    for any number of vehicles."""
    last, _, _ = quarters_at(now)
    settings = await terms_in_force()
    levels = await confirmed_levels(list(vehicle_ids))
    red_free = await red_free_by_vehicle(vehicle_ids, last)
    return {
        vehicle: (rules.tier_for(settings, levels.get(vehicle, {}), red_free.get(vehicle, 0)), red_free.get(vehicle, 0))
        for vehicle in vehicle_ids
    }


async def _recipients(vehicle_ids: Sequence[int]) -> dict[int, list[int]]:
    """Who is told of each vehicle's new tier: its active users and the commissioners of the PCPGs of the clusters it
    serves (two reads)."""
    found: dict[int, set[int]] = {vehicle: set() for vehicle in vehicle_ids}
    for user in await User.select(User.id, User.delivery_vehicle).where(
        User.delivery_vehicle.is_in(list(vehicle_ids) or [-1]) & (User.active == True)  # noqa: E712
    ):
        found[user["delivery_vehicle"]].add(int(user["id"]))
    serving = await DeliveryVehicleCluster.select(
        DeliveryVehicleCluster.delivery_vehicle, DeliveryVehicleCluster.cluster.pcpg.as_alias("pcpg")
    ).where(DeliveryVehicleCluster.delivery_vehicle.is_in(list(vehicle_ids) or [-1]))
    pcpgs: dict[int, set[int]] = {}
    for row in serving:
        pcpgs.setdefault(row["pcpg"], set()).add(row["delivery_vehicle"])
    for row in await UserPcpg.select(UserPcpg.user, UserPcpg.pcpg).where(UserPcpg.pcpg.is_in(list(pcpgs) or [-1])):
        for vehicle in pcpgs.get(row["pcpg"], ()):
            found[vehicle].add(int(row["user"]))
    return {vehicle: sorted(users) for vehicle, users in found.items()}


async def _tell(
    *, vehicle_id: int, name: str, tier: AutonomyTier, effective: Quarter, users: list[int], key: str, now: datetime
) -> None:
    terms = (await terms_in_force())[tier]
    await notify(
        user_ids=users,
        kind=NOTICE,
        key=f"{vehicle_id}:{key}",
        params={
            "name": name,
            "tier": tier,
            "quarter": effective[1],
            "year": FinancialYear(effective[0]).label,
            "frequency": terms.frequency,
        },
        link=f"/delivery-vehicles/{vehicle_id}/autonomy",
        now=now,
    )


async def _reshape_returns(actor: Actor, vehicle_ids: Sequence[int], now: datetime) -> None:
    """Each contract of the vehicles follows the new tier from the next quarter (returns under way keep theirs)."""
    contracts = await Contract.select(Contract.id).where(
        Contract.delivery_vehicle.is_in(list(vehicle_ids) or [-1])
        & Contract.status.is_in([ContractStatus.MOBILISING, ContractStatus.LIVE, ContractStatus.SUSPENDED])
    )
    for contract in contracts:
        await sync_returns(actor=actor, contract_id=int(contract["id"]), now=now)


def _facts(tier: AutonomyTier, effective: Quarter, source: TierSource, reason: str) -> dict[str, Any]:
    return {
        "tier": tier.value,
        "financial_year": effective[0],
        "quarter": effective[1],
        "source": source.value,
        "reason": reason,
    }


async def recompute_tiers(*, now: datetime) -> int:
    """The clock's quarterly decision: for every approved (or suspended) vehicle, the tier its results earn, from the
    next quarter, unless a commissioner's override holds it. Once a quarter: a second run in the same quarter finds
    it done and changes nothing. Returns how many vehicles' tiers changed."""
    last, current, deciding = quarters_at(now)
    done = TierRecompute.exists().where(
        (TierRecompute.financial_year == current[0]) & (TierRecompute.quarter == current[1])
    )
    if await done:
        return 0  # the hourly look takes no writer's lock once the quarter is done
    async with operation("autonomy.tiers_recomputed", actor=SYSTEM, now=now) as op:
        await serialise(_RECOMPUTE_LOCK_KEY)
        if await TierRecompute.exists().where(
            (TierRecompute.financial_year == current[0]) & (TierRecompute.quarter == current[1])
        ):
            return 0
        vehicles = {
            int(row["id"]): row["name"]
            for row in await DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(
                DeliveryVehicle.status.is_in(
                    [DeliveryVehicleStatus.APPROVED.value, DeliveryVehicleStatus.SUSPENDED.value]
                )
            )
        }
        histories = await tier_histories(list(vehicles))
        earned = await earned_tiers(list(vehicles), now)
        changes: dict[int, AutonomyTier] = {}
        for vehicle in vehicles:
            decided = rules.recomputed_tier(histories.get(vehicle, []), deciding, earned[vehicle][0])
            if decided is not None:
                changes[vehicle] = decided
        if changes:
            await VehicleTier.insert(
                *[
                    VehicleTier(
                        delivery_vehicle=vehicle,
                        tier=tier.value,
                        financial_year=deciding[0],
                        quarter=deciding[1],
                        source=TierSource.COMPUTED.value,
                        reason="",
                        decided_at=now,
                        decided_by_username="",
                    )
                    for vehicle, tier in changes.items()
                ]
            )
            recipients = await _recipients(list(changes))
            for vehicle, tier in changes.items():
                before = rules.tier_in_force(histories.get(vehicle, []), deciding)
                op.record(
                    "DeliveryVehicle",
                    vehicle,
                    before={"tier": before.value},
                    after={**_facts(tier, deciding, TierSource.COMPUTED, ""), "red_free_quarters": earned[vehicle][1]},
                    action="autonomy.tier_recomputed",
                )
                await _tell(
                    vehicle_id=vehicle,
                    name=vehicles[vehicle],
                    tier=tier,
                    effective=deciding,
                    users=recipients.get(vehicle, []),
                    key=f"{deciding[0]}-{deciding[1]}:computed",
                    now=now,
                )
            await _reshape_returns(SYSTEM, list(changes), now)
        marker = TierRecompute(financial_year=current[0], quarter=current[1], ran_at=now, changed=len(changes))
        await marker.save()
        op.record(
            "TierRecompute",
            marker.id,
            after={
                "quarter": rules.quarter_label(current),
                "last_counted": rules.quarter_label(last),
                "changed": len(changes),
            },
        )
    return len(changes)


async def _managed_vehicle(actor: Actor, vehicle_id: int) -> dict[str, Any]:
    """The vehicle, if the actor may set its tier: a national administrator any, a commissioner one serving a
    cluster of their PCPGs (organisations' scope); otherwise not found, as an absent one."""
    if actor.role not in (Role.COMMISSIONER, Role.NATIONAL_ADMIN):
        raise NotAllowed("Only a commissioner or a national administrator sets a delivery vehicle's tier")
    query = DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(DeliveryVehicle.id == vehicle_id)
    condition = scope_condition(actor)
    row = await (query if condition is None else query.where(condition)).first()
    if row is None:
        raise NotFound("No such delivery vehicle")
    return dict(row)


async def set_tier_override(
    *, actor: Actor, delivery_vehicle_id: int, tier: AutonomyTier, reason: str, now: datetime
) -> VehicleAutonomyOut:
    """A commissioner's tier from the next quarter on, whatever the recompute would give, until lifted."""
    vehicle = await _managed_vehicle(actor, delivery_vehicle_id)
    refusal = rules.override_refusal(reason)
    if refusal is not None:
        raise refusal
    _, _, deciding = quarters_at(now)
    async with operation("autonomy.tier_overridden", actor=actor, now=now) as op:
        history = (await tier_histories([delivery_vehicle_id]))[delivery_vehicle_id]
        before = rules.tier_in_force(history, deciding)
        row = VehicleTier(
            delivery_vehicle=delivery_vehicle_id,
            tier=AutonomyTier(tier).value,
            financial_year=deciding[0],
            quarter=deciding[1],
            source=TierSource.OVERRIDE.value,
            reason=reason.strip(),
            decided_at=now,
            decided_by_username=actor.username,
        )
        await row.save()
        op.record(
            "DeliveryVehicle",
            delivery_vehicle_id,
            before={"tier": before.value},
            after=_facts(AutonomyTier(tier), deciding, TierSource.OVERRIDE, reason.strip()),
        )
        users = (await _recipients([delivery_vehicle_id]))[delivery_vehicle_id]
        await _tell(
            vehicle_id=delivery_vehicle_id,
            name=vehicle["name"],
            tier=AutonomyTier(tier),
            effective=deciding,
            users=users,
            key=f"override:{row.id}",
            now=now,
        )
        await _reshape_returns(actor, [delivery_vehicle_id], now)
    return await get_vehicle_autonomy(actor=actor, delivery_vehicle_id=delivery_vehicle_id, now=now)


async def lift_tier_override(
    *, actor: Actor, delivery_vehicle_id: int, reason: str, now: datetime
) -> VehicleAutonomyOut:
    """Ends the override: from the next quarter the vehicle has the tier its results earn today, and the recompute
    decides it again each quarter."""
    vehicle = await _managed_vehicle(actor, delivery_vehicle_id)
    refusal = rules.override_refusal(reason)
    if refusal is not None:
        raise refusal
    _, _, deciding = quarters_at(now)
    async with operation("autonomy.override_lifted", actor=actor, now=now) as op:
        history = (await tier_histories([delivery_vehicle_id]))[delivery_vehicle_id]
        governing = rules.latest_decision(history)
        if governing is None or governing.source is not TierSource.OVERRIDE:
            raise Conflict("The delivery vehicle's tier is not overridden", field="reason")
        tier, red_free = (await earned_tiers([delivery_vehicle_id], now))[delivery_vehicle_id]
        before = rules.tier_in_force(history, deciding)
        row = VehicleTier(
            delivery_vehicle=delivery_vehicle_id,
            tier=tier.value,
            financial_year=deciding[0],
            quarter=deciding[1],
            source=TierSource.COMPUTED.value,
            reason=reason.strip(),
            decided_at=now,
            decided_by_username=actor.username,
        )
        await row.save()
        op.record(
            "DeliveryVehicle",
            delivery_vehicle_id,
            before={"tier": before.value, "source": TierSource.OVERRIDE.value},
            after={**_facts(tier, deciding, TierSource.COMPUTED, reason.strip()), "red_free_quarters": red_free},
        )
        users = (await _recipients([delivery_vehicle_id]))[delivery_vehicle_id]
        await _tell(
            vehicle_id=delivery_vehicle_id,
            name=vehicle["name"],
            tier=tier,
            effective=deciding,
            users=users,
            key=f"lifted:{row.id}",
            now=now,
        )
        await _reshape_returns(actor, [delivery_vehicle_id], now)
    return await get_vehicle_autonomy(actor=actor, delivery_vehicle_id=delivery_vehicle_id, now=now)
