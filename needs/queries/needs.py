"""Reads of needs, scoped in SQL (needs/queries/scope.py): the PCPG's list, one need's page, the plan priorities a
need may be linked to, and the needs with their linked priorities for the line of sight."""

from __future__ import annotations

from typing import Any

from piccolo.querystring import QueryString

from accounts.actor import Actor
from commissioning.tables import PlanPriority
from core.bounds import MAX_ID
from core.errors import NotFound
from core.i18n import gettext, in_reading_language, order_in_reading_language
from core.pagination import Page, check_window
from needs.queries.scope import need_read_scope, scoped, writes_pcpg
from needs.rules import Collaborative, NeedPriority, NeedSource
from needs.schemas import ClusterRef, NeedLinks, NeedOut, NeedSummary, PriorityRef
from needs.tables import Need, NeedCluster, NeedPlanPriority

_NEED = Need._meta.tablename
# High first, then medium, then low: the order a commissioner reads their needs in.
BY_PRIORITY = QueryString(f"CASE \"{_NEED}\".\"priority\" WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END")


def is_possible_id(value: int | None) -> bool:
    return value is None or 1 <= value <= MAX_ID


def _collaborative(value: str) -> Collaborative | None:
    return Collaborative(value) if value else None


def _summary(row: dict[str, Any], linked: dict[int, int]) -> NeedSummary:
    source, priority, collaborative = (
        NeedSource(row["source"]),
        NeedPriority(row["priority"]),
        _collaborative(row["collaborative"]),
    )
    return NeedSummary(
        id=row["id"],
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_shown"],
        title=row["title"],
        title_cy=row["title_cy"],
        source=source,
        source_label=gettext(source.label),
        collaborative=collaborative,
        collaborative_label=gettext(collaborative.label) if collaborative else "",
        priority=priority,
        priority_label=gettext(priority.label),
        priority_tag=priority.tag,
        population_affected=row["population_affected"],
        plan_priority_count=linked.get(row["id"], 0),
    )


def _select() -> Any:
    return Need.select(*Need.all_columns(), in_reading_language(Need.pcpg.name, Need.pcpg.name_cy, alias="pcpg_shown"))


async def list_needs(
    *,
    actor: Actor,
    pcpg_id: int | None = None,
    priority: NeedPriority | None = None,
    source: NeedSource | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[NeedSummary]:
    """The needs the actor may read, high priority first; paged and counted in SQL (three statements a page)."""
    check_window(limit, offset)
    if not is_possible_id(pcpg_id):
        return Page(items=[], total=0, limit=limit, offset=offset)
    conditions = [need_read_scope(actor)]
    if pcpg_id is not None:
        conditions.append(Need.pcpg == pcpg_id)
    if priority is not None:
        conditions.append(Need.priority == priority.value)
    if source is not None:
        conditions.append(Need.source == source.value)
    query, count = _select(), Need.count()
    for condition in conditions:
        query, count = scoped(query, condition), scoped(count, condition)
    rows = await query.order_by(BY_PRIORITY).order_by(Need.title).order_by(Need.id).limit(limit).offset(offset)
    linked: dict[int, int] = {}
    if rows:
        for link in await NeedPlanPriority.select(NeedPlanPriority.need).where(
            NeedPlanPriority.need.is_in([row["id"] for row in rows])
        ):
            linked[link["need"]] = linked.get(link["need"], 0) + 1
    return Page(items=[_summary(row, linked) for row in rows], total=await count, limit=limit, offset=offset)


async def need_row(*, actor: Actor, need_id: int, condition: Any) -> dict[str, Any]:
    """The need's row if the condition (a read or write scope) lets the actor have it; otherwise not found."""
    if not is_possible_id(need_id):
        raise NotFound("No such need")
    row = await scoped(_select().where(Need.id == need_id), condition).first()
    if row is None:
        raise NotFound("No such need")
    return dict(row)


async def get_need(*, actor: Actor, need_id: int) -> NeedOut:
    row = await need_row(actor=actor, need_id=need_id, condition=need_read_scope(actor))
    clusters = await (
        NeedCluster.select(
            NeedCluster.cluster.as_alias("id"),
            NeedCluster.cluster.name.as_alias("name"),
            in_reading_language(NeedCluster.cluster.name, NeedCluster.cluster.name_cy, alias="name_shown"),
        )
        .where(NeedCluster.need == need_id)
        .order_by(order_in_reading_language(NeedCluster.cluster.name, NeedCluster.cluster.name_cy))
    )
    link: Any = NeedPlanPriority
    priorities = await (
        NeedPlanPriority.select(
            link.plan_priority.as_alias("id"),
            link.plan_priority.title.as_alias("title"),
            link.plan_priority.title_cy.as_alias("title_cy"),
            link.plan_priority.plan.as_alias("plan_id"),
            link.plan_priority.plan.title.as_alias("plan_title"),
            link.plan_priority.plan.title_cy.as_alias("plan_title_cy"),
        )
        .where(NeedPlanPriority.need == need_id)
        .order_by(link.plan_priority.plan.first_financial_year)
        .order_by(link.plan_priority.id)
    )
    source, priority = NeedSource(row["source"]), NeedPriority(row["priority"])
    collaborative = _collaborative(row["collaborative"])
    return NeedOut(
        id=row["id"],
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_shown"],
        title=row["title"],
        title_cy=row["title_cy"],
        description=row["description"],
        description_cy=row["description_cy"],
        source=source,
        source_label=gettext(source.label),
        pna_title=row["pna_title"],
        pna_year=row["pna_year"],
        pna_section=row["pna_section"],
        pna_link=row["pna_link"],
        collaborative=collaborative,
        collaborative_label=gettext(collaborative.label) if collaborative else "",
        population_affected=row["population_affected"],
        evidence=row["evidence"],
        evidence_source=row["evidence_source"],
        priority=priority,
        priority_label=gettext(priority.label),
        priority_tag=priority.tag,
        clusters=[ClusterRef(**c) for c in clusters],
        plan_priorities=[PriorityRef(**p) for p in priorities],
        can_change=writes_pcpg(actor, row["pcpg"]),
    )


async def priority_choices(pcpg_id: int) -> list[PriorityRef]:
    """The plan priorities of the PCPG's plans: those a need of that PCPG may be linked to."""
    priority: Any = PlanPriority
    rows = await (
        PlanPriority.select(
            priority.id,
            priority.title,
            priority.title_cy,
            priority.plan.as_alias("plan_id"),
            priority.plan.title.as_alias("plan_title"),
            priority.plan.title_cy.as_alias("plan_title_cy"),
        )
        .where(priority.plan.pcpg == pcpg_id)
        .order_by(priority.plan.first_financial_year)
        .order_by(priority.id)
    )
    return [PriorityRef(**row) for row in rows]


async def needs_with_priorities(pcpg_ids: list[int], cluster_id: int | None = None) -> list[NeedLinks]:
    """For the line of sight: each need of these PCPGs (concerning the cluster, when one is named) with the plan
    priorities answering it, in two statements. Unscoped: the caller has decided which PCPGs the reader may see."""
    condition = Need.pcpg.is_in(list(pcpg_ids) or [-1])
    if cluster_id is not None:
        condition &= Need.id.is_in(NeedCluster.select(NeedCluster.need).where(NeedCluster.cluster == cluster_id))
    needs = await (
        Need.select(Need.id, Need.pcpg, Need.title, Need.title_cy, Need.priority, Need.source, Need.population_affected)
        .where(condition)
        .order_by(Need.pcpg)
        .order_by(BY_PRIORITY)
        .order_by(Need.title)
        .order_by(Need.id)
    )
    links = await (
        NeedPlanPriority.select(NeedPlanPriority.need, NeedPlanPriority.plan_priority)
        .where(NeedPlanPriority.need.pcpg.is_in(list(pcpg_ids) or [-1]))
        .order_by(NeedPlanPriority.plan_priority)
    )
    by_need: dict[int, list[int]] = {}
    for link in links:
        by_need.setdefault(link["need"], []).append(link["plan_priority"])
    return [
        NeedLinks(
            id=row["id"],
            pcpg_id=row["pcpg"],
            title=row["title"],
            title_cy=row["title_cy"],
            priority=NeedPriority(row["priority"]),
            source=NeedSource(row["source"]),
            population_affected=row["population_affected"],
            plan_priority_ids=by_need.get(row["id"], []),
        )
        for row in needs
    ]
