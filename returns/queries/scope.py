"""Which delivery returns (and payments) an actor may read: the one place returns are scoped, as query conditions.
They follow their contract's scope (contracts.queries.scope): a provider its own vehicle's, a commissioner its
PCPGs', a finance director its health board's, a national administrator all."""

from __future__ import annotations

from typing import Any

from accounts.actor import Actor, Role
from returns.tables import DeliveryReturn, Payment


def read_scope(actor: Actor, table: Any = DeliveryReturn) -> Any:
    """For `DeliveryReturn` or `Payment` (both name their contract); None means no condition."""
    contract = table.contract
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    if actor.role is Role.FINANCE_DIRECTOR:
        return contract.health_board == (actor.health_board_id or -1)
    if actor.role is Role.COMMISSIONER:
        return contract.pcpg.is_in(list(actor.pcpg_ids) or [-1])
    if actor.role is Role.PROVIDER:
        return contract.delivery_vehicle == (actor.delivery_vehicle_id or -1)
    return table.id == -1


def submit_scope(actor: Actor) -> Any:
    """The returns a user fills in and submits: those of their own vehicle's contracts, for provider users only."""
    if actor.role is Role.PROVIDER:
        return DeliveryReturn.contract.delivery_vehicle == (actor.delivery_vehicle_id or -1)
    return DeliveryReturn.id == -1


def review_scope(actor: Actor) -> Any:
    """The returns a commissioner accepts or queries: their PCPGs' contracts'."""
    if actor.role is Role.COMMISSIONER:
        return DeliveryReturn.contract.pcpg.is_in(list(actor.pcpg_ids) or [-1])
    return DeliveryReturn.id == -1


def payment_scope(actor: Actor, table: Any = Payment) -> Any:
    """The payments a finance director approves or withholds: their health board's contracts'; national
    administrators none (approving spend is the health board's). For `Payment` or `ContractPayment` (the schedule
    a quarter's decision is taken on): both name their contract."""
    if actor.role is Role.FINANCE_DIRECTOR:
        return table.contract.health_board == (actor.health_board_id or -1)
    return table.id == -1


def scoped(query: Any, condition: Any) -> Any:
    return query if condition is None else query.where(condition)
