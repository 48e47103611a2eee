"""Writes of a PCPG's needs assessment: record a need, change it, and set the plan priorities that answer it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from accounts.actor import Actor
from audit.operation import operation
from commissioning.tables import PlanPriority
from core.clock import LONDON
from core.errors import NotFound, RuleBroken
from needs import rules
from needs.queries.needs import get_need, need_row
from needs.queries.scope import need_write_scope, writes_pcpg
from needs.rules import Collaborative, NeedSource
from needs.schemas import NeedChangeIn, NeedIn, NeedOut, NeedPrioritiesIn
from needs.tables import Need, NeedCluster, NeedPlanPriority
from organisations.tables import Cluster

_SOURCE_FIELDS = ("pna_title", "pna_year", "pna_section", "pna_link", "collaborative")
_SOURCE_BLANK: dict[str, Any] = {
    "pna_title": "",
    "pna_year": None,
    "pna_section": "",
    "pna_link": "",
    "collaborative": "",
}
_AUDITED = ("title", "source", "priority", "population_affected", "cluster_ids")


async def _check_clusters(pcpg_id: int, cluster_ids: list[int]) -> list[int]:
    """At least one cluster, each of the need's PCPG."""
    wanted = sorted(set(cluster_ids))
    if not wanted:
        raise RuleBroken("Select the clusters concerned", field="cluster_ids")
    rows = await Cluster.select(Cluster.id, Cluster.pcpg).where(Cluster.id.is_in(wanted))
    if len(rows) != len(wanted) or any(row["pcpg"] != pcpg_id for row in rows):
        raise RuleBroken("Select clusters of the need's PCPG", field="cluster_ids")
    return wanted


def _values(data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The row's values from the answers, with the details of a source other than the one chosen cleared."""
    source = NeedSource(data["source"])
    collaborative = data.get("collaborative")
    rules.check_source(
        source=source,
        pna_title=data.get("pna_title") or "",
        pna_year=data.get("pna_year"),
        collaborative=Collaborative(collaborative) if collaborative else None,
        this_year=now.astimezone(LONDON).year,
    )
    kept = rules.kept_source_fields(source)
    values = {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}
    for key in _SOURCE_FIELDS:
        if key not in kept:
            values[key] = _SOURCE_BLANK[key]
    values["collaborative"] = values.get("collaborative") or ""
    return values


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    return {key: values[key] for key in _AUDITED if key in values}


async def record_need(*, actor: Actor, data: NeedIn, now: datetime) -> NeedOut:
    if not writes_pcpg(actor, data.pcpg_id):
        raise NotFound("No such PCPG")
    async with operation("need.recorded", actor=actor, now=now) as op:
        answers = msgspec.structs.asdict(data)
        cluster_ids = await _check_clusters(data.pcpg_id, answers.pop("cluster_ids"))
        values = _values(answers, now)
        pcpg_id = values.pop("pcpg_id")
        need = Need(**values, pcpg=pcpg_id, created_at=now, created_by_username=actor.username, updated_at=now)
        await need.save()
        await NeedCluster.insert(*[NeedCluster(need=need.id, cluster=c) for c in cluster_ids])
        op.record("Need", need.id, after=_audited({**values, "cluster_ids": cluster_ids}), pcpg_id=pcpg_id)
    return await get_need(actor=actor, need_id=int(need.id))


async def change_need(*, actor: Actor, need_id: int, change: NeedChangeIn, now: datetime) -> NeedOut:
    async with operation("need.changed", actor=actor, now=now) as op:
        row = await need_row(actor=actor, need_id=need_id, condition=need_write_scope(actor))
        given = {k: v for k, v in msgspec.structs.asdict(change).items() if v is not msgspec.UNSET}
        cluster_ids = given.pop("cluster_ids", None)
        before_clusters = sorted(
            r["cluster"] for r in await NeedCluster.select(NeedCluster.cluster).where(NeedCluster.need == need_id)
        )
        current = {field: row[field] for field in (*NeedChangeIn.__struct_fields__,) if field in row}
        merged = {**current, **given}
        values = _values(merged, now)
        if cluster_ids is not None:
            cluster_ids = await _check_clusters(row["pcpg"], cluster_ids)
        changed: dict[Any, Any] = {key: value for key, value in values.items() if value != row.get(key)}
        if changed:
            await Need.update({**changed, "updated_at": now}).where(Need.id == need_id)
        if cluster_ids is not None and cluster_ids != before_clusters:
            await NeedCluster.delete().where(NeedCluster.need == need_id)
            await NeedCluster.insert(*[NeedCluster(need=need_id, cluster=c) for c in cluster_ids])
        before = _audited({**row, "cluster_ids": before_clusters})
        after = _audited({**row, **values, "cluster_ids": cluster_ids if cluster_ids is not None else before_clusters})
        op.record("Need", need_id, before=before, after=after, pcpg_id=row["pcpg"])
    return await get_need(actor=actor, need_id=need_id)


async def link_plan_priorities(*, actor: Actor, need_id: int, data: NeedPrioritiesIn, now: datetime) -> NeedOut:
    """Set the plan priorities answering the need to exactly those given (each from a plan of the need's PCPG)."""
    async with operation("need.priorities_linked", actor=actor, now=now) as op:
        row = await need_row(actor=actor, need_id=need_id, condition=need_write_scope(actor))
        wanted = set(data.plan_priority_ids)
        priority: Any = PlanPriority
        allowed = {
            r["id"]
            for r in await PlanPriority.select(priority.id).where(
                priority.id.is_in(sorted(wanted) or [-1]) & (priority.plan.pcpg == row["pcpg"])
            )
        }
        problem = rules.link_problem(wanted, allowed)
        if problem is not None:
            raise problem
        before = {
            r["plan_priority"]
            for r in await NeedPlanPriority.select(NeedPlanPriority.plan_priority).where(
                NeedPlanPriority.need == need_id
            )
        }
        removed, added = sorted(before - wanted), sorted(wanted - before)
        if removed:
            await NeedPlanPriority.delete().where(
                (NeedPlanPriority.need == need_id) & NeedPlanPriority.plan_priority.is_in(removed)
            )
        if added:
            await NeedPlanPriority.insert(*[NeedPlanPriority(need=need_id, plan_priority=p) for p in added])
        op.record(
            "Need",
            need_id,
            before={"plan_priority_ids": sorted(before)},
            after={"plan_priority_ids": sorted(wanted)},
            pcpg_id=row["pcpg"],
        )
    return await get_need(actor=actor, need_id=need_id)
