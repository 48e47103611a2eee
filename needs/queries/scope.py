"""Which needs and engagements an actor may read or write: the one place this domain is scoped, as query conditions.

A commissioner reads and writes their PCPGs'; a national administrator reads every PCPG's; a finance director reads
their health board's. Everyone else reads none (their routes are refused by the guards first). A row outside the
scope is treated as missing (404), exactly as one that does not exist."""

from __future__ import annotations

from typing import Any

from accounts.actor import Actor, Role
from needs.tables import Engagement, Need


def _pcpg_condition(column: Any, pcpg_health_board: Any, actor: Actor, *, write: bool) -> Any:
    if actor.role is Role.COMMISSIONER:
        return column.is_in(list(actor.pcpg_ids) or [-1])
    if write:
        return column == -1
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    if actor.role is Role.FINANCE_DIRECTOR:
        return pcpg_health_board == (actor.health_board_id or -1)
    return column == -1


def need_read_scope(actor: Actor) -> Any:
    """None means no condition (every need)."""
    return _pcpg_condition(Need.pcpg, Need.pcpg.health_board, actor, write=False)


def need_write_scope(actor: Actor) -> Any:
    return _pcpg_condition(Need.pcpg, Need.pcpg.health_board, actor, write=True)


def engagement_read_scope(actor: Actor) -> Any:
    return _pcpg_condition(Engagement.pcpg, Engagement.pcpg.health_board, actor, write=False)


def engagement_write_scope(actor: Actor) -> Any:
    return _pcpg_condition(Engagement.pcpg, Engagement.pcpg.health_board, actor, write=True)


def writes_pcpg(actor: Actor, pcpg_id: int) -> bool:
    """Whether the actor records needs and engagement for this PCPG (a commissioner of it)."""
    return actor.role is Role.COMMISSIONER and pcpg_id in actor.pcpg_ids


def scoped(query: Any, condition: Any) -> Any:
    return query if condition is None else query.where(condition)
