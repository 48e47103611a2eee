"""Write operations on delivery vehicles: register (provider), approve or reject (admin or commissioner), suspend
and reinstate (national admin)."""

from __future__ import annotations

from datetime import datetime

from accounts.actor import Actor
from accounts.services.users import link_delivery_vehicle
from accounts.tables import User
from audit.operation import operation
from core.db import for_update
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from notifications.services import notify
from organisations import queries, rules
from organisations.rules import DeliveryVehicleStatus
from organisations.schemas import DeliveryVehicleDecisionIn, DeliveryVehicleIn, DeliveryVehicleOut, SuspensionIn
from organisations.tables import Cluster, DeliveryVehicle, DeliveryVehicleCluster


def _checked_details(data: DeliveryVehicleIn) -> tuple[str | None, list[int]]:
    number = rules.normalise_company_number(data.companies_house_number)
    if number is None and data.legal_form in rules.NEEDS_COMPANY_NUMBER:
        raise RuleBroken("Enter the Companies House number", field="companies_house_number")
    if number is not None and not rules.is_company_number(number):
        raise RuleBroken(
            "Enter a Companies House number of 8 characters, like 01234567 or SC123456",
            field="companies_house_number",
        )
    if not rules.is_email(data.contact_email):
        raise RuleBroken("Enter an email address in the correct format, like name@example.org", field="contact_email")
    cluster_ids = sorted(set(data.cluster_ids))
    if not cluster_ids:
        raise RuleBroken("Select at least one cluster served", field="cluster_ids")
    return number, cluster_ids


async def register_delivery_vehicle(*, actor: Actor, data: DeliveryVehicleIn, now: datetime) -> DeliveryVehicleOut:
    if not rules.can_register_delivery_vehicle(actor):
        raise NotAllowed("Only a provider user without a delivery vehicle can register one")
    number, cluster_ids = _checked_details(data)
    async with operation("delivery_vehicle.registered", actor=actor, now=now) as op:
        if actor.user_id is not None:
            # The stored scope, read locked: a double submit must not register two vehicles.
            stored = await for_update(User.select(User.delivery_vehicle).where(User.id == actor.user_id)).first()
            if stored is not None and stored["delivery_vehicle"] is not None:
                raise Conflict("You have already registered a delivery vehicle")
        known = await Cluster.select(Cluster.id).where(Cluster.id.is_in(cluster_ids))
        if len(known) != len(cluster_ids):
            raise RuleBroken("Select clusters from the list", field="cluster_ids")
        if number is not None and await DeliveryVehicle.exists().where(
            DeliveryVehicle.companies_house_number == number
        ):
            raise Conflict(
                "A delivery vehicle with Companies House number %(number)s is already registered",
                field="companies_house_number",
                number=number,
            )
        vehicle = DeliveryVehicle(
            name=data.name.strip(),
            legal_form=data.legal_form,
            companies_house_number=number,
            contact_name=data.contact_name.strip(),
            contact_email=data.contact_email.strip(),
            contact_phone=data.contact_phone.strip(),
            status=DeliveryVehicleStatus.PENDING.value,
            registered_at=now,
            registered_by_username=actor.username,
        )
        await vehicle.save()
        await DeliveryVehicleCluster.insert(
            *[DeliveryVehicleCluster(delivery_vehicle=vehicle.id, cluster=cluster_id) for cluster_id in cluster_ids]
        )
        if actor.user_id is not None:
            await link_delivery_vehicle(user_id=actor.user_id, delivery_vehicle_id=vehicle.id)
        op.record(
            "DeliveryVehicle",
            vehicle.id,
            after={
                "name": vehicle.name,
                "legal_form": vehicle.legal_form,
                "companies_house_number": number,
                "cluster_ids": cluster_ids,
                "status": DeliveryVehicleStatus.PENDING.value,
            },
        )
        scoped = Actor(
            user_id=actor.user_id,
            username=actor.username,
            role=actor.role,
            language=actor.language,
            delivery_vehicle_id=vehicle.id,
        )
        return await queries.get_delivery_vehicle(actor=scoped, delivery_vehicle_id=vehicle.id)


async def _decide(
    *,
    actor: Actor,
    delivery_vehicle_id: int,
    decision: DeliveryVehicleDecisionIn,
    status: DeliveryVehicleStatus,
    now: datetime,
) -> DeliveryVehicleOut:
    if not rules.is_possible_id(delivery_vehicle_id):
        raise NotFound("No such delivery vehicle")
    async with operation(f"delivery_vehicle.{status}", actor=actor, now=now) as op:
        row = await queries.scoped(
            DeliveryVehicle.select().where(DeliveryVehicle.id == delivery_vehicle_id), actor
        ).first()
        if row is None:
            raise NotFound("No such delivery vehicle")
        pcpg_ids = await queries.vehicle_pcpg_ids(delivery_vehicle_id)
        if not rules.can_decide_delivery_vehicle(actor, pcpg_ids=pcpg_ids):
            raise NotFound("No such delivery vehicle")
        action = rules.VehicleAction.APPROVE if status is DeliveryVehicleStatus.APPROVED else rules.VehicleAction.REJECT
        # A decision is on a waiting registration only (approving a suspended vehicle is not reinstating it).
        refusal = rules.decision_refusal(action, current=DeliveryVehicleStatus(row["status"]), reason=decision.reason)
        if refusal is not None:
            raise refusal
        await DeliveryVehicle.update(
            {
                DeliveryVehicle.status: status.value,
                DeliveryVehicle.decided_at: now,
                DeliveryVehicle.decided_by_username: actor.username,
                DeliveryVehicle.decision_reason: decision.reason.strip(),
            }
        ).where(DeliveryVehicle.id == delivery_vehicle_id)
        op.record(
            "DeliveryVehicle",
            delivery_vehicle_id,
            before={"status": row["status"]},
            after={"status": status.value, "reason": decision.reason.strip()},
            pcpg_id=pcpg_ids[0] if len(pcpg_ids) == 1 else None,
        )
    return await queries.get_delivery_vehicle(actor=actor, delivery_vehicle_id=delivery_vehicle_id)


async def approve_delivery_vehicle(
    *, actor: Actor, delivery_vehicle_id: int, decision: DeliveryVehicleDecisionIn, now: datetime
) -> DeliveryVehicleOut:
    """Approved vehicles may bid (DOMAIN.md: registered by a provider, approved before it can bid)."""
    return await _decide(
        actor=actor,
        delivery_vehicle_id=delivery_vehicle_id,
        decision=decision,
        status=DeliveryVehicleStatus.APPROVED,
        now=now,
    )


async def reject_delivery_vehicle(
    *, actor: Actor, delivery_vehicle_id: int, decision: DeliveryVehicleDecisionIn, now: datetime
) -> DeliveryVehicleOut:
    return await _decide(
        actor=actor,
        delivery_vehicle_id=delivery_vehicle_id,
        decision=decision,
        status=DeliveryVehicleStatus.REJECTED,
        now=now,
    )


async def _vehicle_users(delivery_vehicle_id: int) -> list[int]:
    return [row["id"] for row in await User.select(User.id).where(User.delivery_vehicle == delivery_vehicle_id)]


async def _suspension(
    *, actor: Actor, delivery_vehicle_id: int, action: rules.VehicleAction, reason: str, now: datetime
) -> DeliveryVehicleOut:
    """Suspend or reinstate: a national administrator's, with the reason for a suspension; the vehicle's managers
    are told in their language."""
    if not rules.can_suspend(actor):
        raise NotAllowed("Only a national administrator suspends or reinstates a delivery vehicle")
    if not rules.is_possible_id(delivery_vehicle_id):
        raise NotFound("No such delivery vehicle")
    start, to = rules.ACTION_MOVES[action]
    async with operation(
        f"delivery_vehicle.{'suspended' if to is DeliveryVehicleStatus.SUSPENDED else 'reinstated'}",
        actor=actor,
        now=now,
    ) as op:
        row = await for_update(
            DeliveryVehicle.select(
                DeliveryVehicle.name, DeliveryVehicle.status, DeliveryVehicle.suspension_reason
            ).where(DeliveryVehicle.id == delivery_vehicle_id)
        ).first()
        if row is None:
            raise NotFound("No such delivery vehicle")
        current = DeliveryVehicleStatus(row["status"])
        if not rules.can_take(action, current):
            if action is rules.VehicleAction.SUSPEND:
                raise Conflict(
                    "Only an approved delivery vehicle can be suspended: this one is %(status)s", status=current
                )
            raise Conflict(
                "Only a suspended delivery vehicle can be reinstated: this one is %(status)s", status=current
            )
        suspending = to is DeliveryVehicleStatus.SUSPENDED
        if suspending and not reason.strip():
            raise RuleBroken("Give the reason for suspending the delivery vehicle", field="reason")
        await DeliveryVehicle.update(
            {
                DeliveryVehicle.status: to.value,
                DeliveryVehicle.suspended_at: now if suspending else None,
                DeliveryVehicle.suspended_by_username: actor.username if suspending else "",
                DeliveryVehicle.suspension_reason: reason.strip() if suspending else "",
            }
        ).where(DeliveryVehicle.id == delivery_vehicle_id)
        pcpg_ids = await queries.vehicle_pcpg_ids(delivery_vehicle_id)
        op.record(
            "DeliveryVehicle",
            delivery_vehicle_id,
            before={"name": row["name"], "status": start.value},
            after={"status": to.value, **({"reason": reason.strip()} if suspending else {})},
            pcpg_id=pcpg_ids[0] if len(pcpg_ids) == 1 else None,
        )
        await notify(
            user_ids=await _vehicle_users(delivery_vehicle_id),
            kind="vehicle_suspended" if suspending else "vehicle_reinstated",
            key=f"{delivery_vehicle_id}:{now.isoformat()}",
            params={"name": row["name"], "reason": reason.strip()},
            link=f"/delivery-vehicles/{delivery_vehicle_id}",
            now=now,
        )
    return await queries.get_delivery_vehicle(actor=actor, delivery_vehicle_id=delivery_vehicle_id)


async def suspend_delivery_vehicle(
    *, actor: Actor, delivery_vehicle_id: int, data: SuspensionIn, now: datetime
) -> DeliveryVehicleOut:
    """It cannot bid (commissioning.services.bids asks organisations.rules.bidding_refusal) until reinstated."""
    return await _suspension(
        actor=actor,
        delivery_vehicle_id=delivery_vehicle_id,
        action=rules.VehicleAction.SUSPEND,
        reason=data.reason,
        now=now,
    )


async def reinstate_delivery_vehicle(*, actor: Actor, delivery_vehicle_id: int, now: datetime) -> DeliveryVehicleOut:
    return await _suspension(
        actor=actor, delivery_vehicle_id=delivery_vehicle_id, action=rules.VehicleAction.REINSTATE, reason="", now=now
    )
