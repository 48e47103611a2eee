"""Needs, plan priorities and engagements for the tests of the needs domain (services, API, pages, access), made
through the app's own services."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from accounts.actor import Actor
from commissioning.schemas import PlanIn, PlanPriorityIn
from commissioning.services import plans
from needs.rules import NeedPriority, NeedSource
from needs.schemas import EngagementIn, NeedIn, NeedOut
from needs.services import engagements, needs
from organisations.tables import Pcpg
from tests import factories

NOW = datetime(2027, 5, 10, 9, 0, tzinfo=UTC)
HELD_ON = date(2027, 4, 20)


async def pcpg_id(name: str = "Cardiff") -> int:
    return await factories.reference_id(Pcpg, name)


async def need_in(pcpg: str = "Cardiff", clusters: tuple[str, ...] = ("Cardiff North",), **changes: Any) -> NeedIn:
    values: dict[str, Any] = {
        "pcpg_id": await pcpg_id(pcpg),
        "title": "Adult obesity",
        "description": "More adults live with obesity than the Wales average.",
        "source": NeedSource.PNA,
        "pna_title": "Cardiff and Vale Population Needs Assessment",
        "pna_year": 2022,
        "pna_section": "Chapter 4",
        "cluster_ids": await factories.cluster_ids(*clusters),
        "priority": NeedPriority.HIGH,
    }
    return NeedIn(**{**values, **changes})


async def need(actor: Actor, **changes: Any) -> NeedOut:
    return await needs.record_need(actor=actor, data=await need_in(**changes), now=NOW)


async def priority(actor: Actor, pcpg: str = "Cardiff", title: str = "Reduce adult obesity") -> int:
    """A plan of the PCPG with one priority, added by its commissioner; the priority's id."""
    plan_id = await plans.create_plan(
        actor=actor, data=PlanIn(pcpg_id=await pcpg_id(pcpg), first_financial_year=2027, title=f"{pcpg} plan"), now=NOW
    )
    clusters = {"Cardiff": ("Cardiff North",), "Swansea Bay": ("CityHealth",)}[pcpg]
    return await plans.add_priority(
        actor=actor,
        plan_id=plan_id,
        data=PlanPriorityIn(title=title, need="A need", cluster_ids=await factories.cluster_ids(*clusters)),
        now=NOW,
    )


def engagement_in(**changes: Any) -> EngagementIn:
    values: dict[str, Any] = {
        "kind": "focus_group",
        "held_on": HELD_ON,
        "people_reached": 14,
        "groups_reached": "Carers",
        "what_they_said": "Evening sessions, please",
        "what_changed": "Evening sessions added",
    }
    return EngagementIn(**{**values, **changes})


async def engagement(actor: Actor, **changes: Any) -> Any:
    return await engagements.record_engagement(actor=actor, data=engagement_in(**changes), now=NOW)
