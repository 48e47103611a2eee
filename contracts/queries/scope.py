"""Which contracts an actor may read or manage: the one place contracts are scoped, as query conditions."""

from __future__ import annotations

from typing import Any

from accounts.actor import Actor, Role
from contracts.tables import Contract


def read_scope(actor: Actor) -> Any:
    """A provider reads its own vehicle's contracts, a commissioner its PCPGs', a finance director its health
    board's, a national administrator all; anyone else none. None means no condition."""
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    if actor.role is Role.FINANCE_DIRECTOR:
        return Contract.health_board == (actor.health_board_id or -1)
    if actor.role is Role.COMMISSIONER:
        return Contract.pcpg.is_in(list(actor.pcpg_ids) or [-1])
    if actor.role is Role.PROVIDER:
        return Contract.delivery_vehicle == (actor.delivery_vehicle_id or -1)
    return Contract.id == -1


def manage_scope(actor: Actor) -> Any:
    """Commissioners manage their PCPGs' contracts (mobilise, suspend, terminate, propose variations); national
    administrators may decide variations anywhere. Everyone else manages none: such a contract is treated as
    missing when they try (404), or as read-only where they may read it (403)."""
    if actor.role is Role.COMMISSIONER:
        return Contract.pcpg.is_in(list(actor.pcpg_ids) or [-1])
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    return Contract.id == -1


def propose_scope(actor: Actor) -> Any:
    """The contracts whose variations an actor may propose: a commissioner their PCPGs' (any change); a delivery
    vehicle's user their own vehicle's (a change of the annual values, agreed at once within its earned autonomy,
    issue 15 item 5). Everyone else none."""
    if actor.role is Role.COMMISSIONER:
        return Contract.pcpg.is_in(list(actor.pcpg_ids) or [-1])
    if actor.role is Role.PROVIDER:
        return Contract.delivery_vehicle == (actor.delivery_vehicle_id or -1)
    return Contract.id == -1


def scoped(query: Any, condition: Any) -> Any:
    return query if condition is None else query.where(condition)
