"""Reads of specifications. Drafts are the PCPG's; from publication on, specifications are open data."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from piccolo.query.functions.aggregate import Sum
from piccolo.querystring import QueryString

from accounts.actor import Actor, Role
from commissioning import rules
from commissioning.queries import plans as plan_queries
from commissioning.schemas import (
    CancelCheckOut,
    ClusterCovered,
    CriterionOut,
    DescriptorOut,
    EarmarkHeld,
    KpiOut,
    LedgerEffect,
    PublishCheckOut,
    PublishProblem,
    SpecificationActions,
    SpecificationOut,
    SpecificationSummary,
    YearOut,
)
from commissioning.tables import (
    EvaluationCriterion,
    PlanPriority,
    Specification,
    SpecificationCluster,
    SpecificationKpi,
    SpecificationYear,
)
from core.errors import NotFound
from core.i18n import (
    current_language,
    gettext,
    in_reading_language,
    name_in_reading_language,
    order_in_reading_language,
    period_in_words,
)
from core.pagination import Page, check_window
from core.periods import FinancialYear
from core.prepared import PreparedSelect
from finance import queries as finance_queries
from finance import rules as finance_rules
from finance.rules import budget_line_label
from finance.tables import BudgetEarmark, BudgetLine
from menu.queries import unit_shown
from organisations.tables import DeliveryVehicleCluster


def _role(actor: Actor | None) -> str | None:
    return actor.role.value if actor is not None and actor.role is not None else None


def _pcpgs(actor: Actor | None) -> tuple[int, ...]:
    return actor.pcpg_ids if actor is not None else ()


def _summary_select() -> Any:
    """What a list shows of each specification: not its descriptions, which are most of a row's bytes."""
    spec = Specification
    year = SpecificationYear._meta.tablename
    return spec.select(
        spec.id,
        spec.pcpg,
        spec.reference,
        spec.title,
        spec.title_cy,
        spec.procurement_route,
        spec.start_financial_year,
        spec.term_years,
        spec.bid_deadline_at,
        spec.status,
        spec.published_at,
        spec.pcpg.name.as_alias("pcpg_name"),
        spec.pcpg.name_cy.as_alias("pcpg_name_cy"),
        spec.pcpg.health_board.as_alias("health_board_id"),
        spec.menu_service_version.menu_service.as_alias("menu_service_id"),
        spec.menu_service_version.name.as_alias("menu_name"),
        spec.menu_service_version.name_cy.as_alias("menu_name_cy"),
        # Summed by the database, one index lookup per row (specification_year_once).
        QueryString(
            f'COALESCE((SELECT SUM("year"."max_value_pence") FROM "{year}" AS "year" '
            f'WHERE "year"."specification" = "{spec._meta.tablename}"."id"), 0)'
        ).as_alias("total_max_value_pence"),
    )


def _full_select() -> Any:
    spec: Any = Specification
    return spec.select(
        *Specification.all_columns(),
        Specification.pcpg.name.as_alias("pcpg_name"),
        Specification.pcpg.name_cy.as_alias("pcpg_name_cy"),
        Specification.pcpg.health_board.as_alias("health_board_id"),
        spec.pcpg.health_board.name.as_alias("health_board_name"),
        spec.pcpg.health_board.name_cy.as_alias("health_board_name_cy"),
        Specification.menu_service_version.menu_service.as_alias("menu_service_id"),
        Specification.menu_service_version.version.as_alias("menu_version"),
        Specification.menu_service_version.name.as_alias("menu_name"),
        Specification.menu_service_version.name_cy.as_alias("menu_name_cy"),
    )


def _newest_first(query: Any) -> Any:
    return query.order_by(Specification.id, ascending=False)


SUMMARIES = PreparedSelect(_summary_select, _newest_first)
"""The lists, newest first; the columns, joins and order compiled once (core/prepared.py)."""
SPECIFICATIONS = PreparedSelect(_full_select, _newest_first)
"""One specification whole (its parts are read apart), compiled once likewise."""


def scope_condition(actor: Actor | None) -> Any:
    """The specifications an actor may read (rules.can_see_specification, in SQL); None for all of them.

    From publication on a specification is open data; a draft is its PCPG's commissioners' and the
    national administrators'. Used by every read of specifications, so a hidden one answers as an absent one."""
    role = _role(actor)
    if role == Role.NATIONAL_ADMIN.value:
        return None
    public = Specification.status != rules.SpecificationStatus.DRAFT.value
    if role == Role.COMMISSIONER.value:
        return public | Specification.pcpg.is_in(list(_pcpgs(actor)) or [-1])
    return public


def effective_status_condition(status: str, now: datetime) -> Any:
    """rules.effective_status in SQL: a published specification whose deadline has passed is closed."""
    published = Specification.status == rules.SpecificationStatus.PUBLISHED.value
    if status == rules.SpecificationStatus.CLOSED:
        return published & (Specification.bid_deadline_at <= now)
    if status == rules.SpecificationStatus.PUBLISHED:
        return published & (Specification.bid_deadline_at.is_null() | (Specification.bid_deadline_at > now))
    return Specification.status == status


def _summary(row: dict[str, Any], now: datetime) -> SpecificationSummary:
    status = rules.effective_status(row["status"], row["bid_deadline_at"], now)
    route = rules.ProcurementRoute(row["procurement_route"])
    return SpecificationSummary(
        id=row["id"],
        reference=row["reference"],
        status=status,
        status_label=gettext(status.label),
        status_tag=status.tag,
        route_label=gettext(route.label),
        title=row["title"],
        title_cy=row["title_cy"],
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_name"],
        pcpg_cy=row["pcpg_name_cy"],
        health_board_id=row["health_board_id"],
        menu_service_id=row["menu_service_id"],
        menu_service=row["menu_name"],
        menu_service_cy=row["menu_name_cy"],
        pcpg_shown=name_in_reading_language(row["pcpg_name"], row["pcpg_name_cy"]),
        procurement_route=route,
        total_max_value_pence=int(row["total_max_value_pence"] or 0),
        start_financial_year=row["start_financial_year"],
        term_years=row["term_years"],
        bid_deadline_at=row["bid_deadline_at"],
        published_at=row["published_at"],
    )


async def list_specifications(
    *,
    actor: Actor | None,
    now: datetime,
    status: str | None = None,
    pcpg_id: int | None = None,
    pcpg_ids: tuple[int, ...] | None = None,
    health_board_id: int | None = None,
    menu_service_id: int | None = None,
    ids: list[int] | None = None,
    open_only: bool = False,
    serving_vehicle_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[SpecificationSummary]:
    """Newest first. `open_only` gives the public list of opportunities: published and before the deadline."""
    check_window(limit, offset)
    conditions = [scope_condition(actor)]
    if pcpg_id is not None:
        conditions.append(Specification.pcpg == pcpg_id)
    if pcpg_ids is not None:
        conditions.append(Specification.pcpg.is_in(list(pcpg_ids) or [-1]))
    if health_board_id is not None:
        conditions.append(Specification.pcpg.health_board == health_board_id)
    if menu_service_id is not None:
        conditions.append(Specification.menu_service_version.menu_service == menu_service_id)
    if ids is not None:
        conditions.append(Specification.id.is_in(ids or [-1]))
    if open_only:
        conditions.append(effective_status_condition(rules.SpecificationStatus.PUBLISHED, now))
    if serving_vehicle_id is not None:  # in at least one cluster the vehicle serves (rules.serves_specification)
        served = DeliveryVehicleCluster.select(DeliveryVehicleCluster.cluster).where(
            DeliveryVehicleCluster.delivery_vehicle == serving_vehicle_id
        )
        conditions.append(
            Specification.id.is_in(
                SpecificationCluster.select(SpecificationCluster.specification).where(
                    SpecificationCluster.cluster.is_in(served)
                )
            )
        )
    if status:
        if status not in set(rules.SpecificationStatus):
            return Page(items=[], total=0, limit=limit, offset=offset)
        conditions.append(effective_status_condition(status, now))
    rows = await SUMMARIES.rows(*conditions, limit=limit, offset=offset)
    count = Specification.count()
    for condition in conditions:
        if condition is not None:
            count = count.where(condition)
    return Page(items=[_summary(row, now) for row in rows], total=await count, limit=limit, offset=offset)


def manage_condition(actor: Actor | None) -> Any:
    """The specifications an actor writes, publishes, cancels and evaluates (rules.can_manage_specification, in
    SQL): its PCPGs' commissioners'."""
    if actor is not None and actor.role is Role.COMMISSIONER:
        return Specification.pcpg.is_in(list(actor.pcpg_ids) or [-1])
    return Specification.id.is_in([-1])


async def get_specification(
    *, actor: Actor | None, specification_id: int, now: datetime, managed: bool = False
) -> SpecificationOut:
    """`managed`: only one the actor manages; any other answers as an absent one."""
    found = await SPECIFICATIONS.rows(
        Specification.id == specification_id,
        scope_condition(actor),
        manage_condition(actor) if managed else None,
        limit=1,
    )
    if not found:
        raise NotFound("No such specification")
    out = await _full(found[0], now)
    out.actions = SpecificationActions(
        **rules.specification_actions(
            status=out.status,
            route=out.procurement_route,
            manages=rules.can_manage_specification(
                role=_role(actor), actor_pcpg_ids=_pcpgs(actor), pcpg_id=out.pcpg_id
            ),
            is_provider=actor is not None and actor.role is Role.PROVIDER and actor.delivery_vehicle_id is not None,
            role=_role(actor),
            serves=await _serves(actor, out),
        )
    )
    return out


async def vehicle_cluster_ids(vehicle_id: int) -> set[int]:
    """The clusters a delivery vehicle serves (what rules.serves_specification compares, for pages and bids alike)."""
    served = await DeliveryVehicleCluster.select(DeliveryVehicleCluster.cluster).where(
        DeliveryVehicleCluster.delivery_vehicle == vehicle_id
    )
    return {r["cluster"] for r in served}


async def _serves(actor: Actor | None, spec: SpecificationOut) -> bool:
    """Whether the reader's delivery vehicle serves one of the specification's clusters."""
    if actor is None or actor.delivery_vehicle_id is None:
        return False
    return rules.serves_specification(
        await vehicle_cluster_ids(actor.delivery_vehicle_id), {c.id for c in spec.clusters}
    )


async def _full(row: dict[str, Any], now: datetime) -> SpecificationOut:
    spec_id = row["id"]
    clusters = (
        await SpecificationCluster.select(
            SpecificationCluster.cluster.id.as_alias("id"),
            SpecificationCluster.cluster.name.as_alias("name"),
            SpecificationCluster.cluster.name_cy.as_alias("name_cy"),
            SpecificationCluster.cluster.population.as_alias("population"),
            SpecificationCluster.cluster.population_is_estimate.as_alias("estimate"),
            SpecificationCluster.cluster.population_source.as_alias("source"),
            SpecificationCluster.cluster.population_as_of.as_alias("as_of"),
            in_reading_language(SpecificationCluster.cluster.name, SpecificationCluster.cluster.name_cy, alias="shown"),
        )
        .where(SpecificationCluster.specification == spec_id)
        .order_by(order_in_reading_language(SpecificationCluster.cluster.name, SpecificationCluster.cluster.name_cy))
    )
    years = (
        await SpecificationYear.select(
            *SpecificationYear.all_columns(),
            SpecificationYear.budget_line.funding_stream.as_alias("stream"),
            in_reading_language(
                SpecificationYear.budget_line._.pcpg._.name,
                SpecificationYear.budget_line._.pcpg._.name_cy,
                alias="line_pcpg",
            ),
        )
        .where(SpecificationYear.specification == spec_id)
        .order_by(SpecificationYear.financial_year)
    )
    kpis = (
        await SpecificationKpi.select(
            *SpecificationKpi.all_columns(),
            in_reading_language(SpecificationKpi.name, SpecificationKpi.name_cy, alias="shown"),
        )
        .where(SpecificationKpi.specification == spec_id)
        .order_by(SpecificationKpi.position)
    )
    criteria = (
        await EvaluationCriterion.select()
        .where(EvaluationCriterion.specification == spec_id)
        .order_by(EvaluationCriterion.position)
    )
    priority = None
    if row["plan_priority"] is not None:
        priority = await PlanPriority.select().where(PlanPriority.id == row["plan_priority"]).first()
    status = rules.effective_status(row["status"], row["bid_deadline_at"], now)
    route = rules.ProcurementRoute(row["procurement_route"])
    return SpecificationOut(
        id=spec_id,
        reference=row["reference"],
        status=status,
        status_label=gettext(status.label),
        status_tag=status.tag,
        route_label=gettext(route.label),
        cancelled=status is rules.SpecificationStatus.CANCELLED,
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_name"],
        pcpg_cy=row["pcpg_name_cy"],
        health_board_id=row["health_board_id"],
        health_board=row["health_board_name"],
        health_board_cy=row["health_board_name_cy"],
        pcpg_shown=name_in_reading_language(row["pcpg_name"], row["pcpg_name_cy"]),
        health_board_shown=name_in_reading_language(row["health_board_name"], row["health_board_name_cy"]),
        menu_service_id=row["menu_service_id"],
        menu_service_version=row["menu_version"],
        menu_service_version_id=row["menu_service_version"],
        menu_service=row["menu_name"],
        menu_service_cy=row["menu_name_cy"],
        plan_priority_id=row["plan_priority"],
        plan_priority=priority["title"] if priority else "",
        plan_need=priority["need"] if priority else "",
        title=row["title"],
        title_cy=row["title_cy"],
        description=row["description"],
        description_cy=row["description_cy"],
        procurement_route=route,
        start_financial_year=row["start_financial_year"],
        term_years=row["term_years"],
        clusters=[
            ClusterCovered(
                id=c["id"],
                name=c["name"],
                name_cy=c["name_cy"],
                population=c["population"],
                population_is_estimate=c["estimate"],
                name_shown=c["shown"],
                population_source=c["source"],
                population_as_of_shown=period_in_words(c["as_of"], current_language.get()) if c["as_of"] else "",
            )
            for c in clusters
        ],
        years=[
            YearOut(
                financial_year=y["financial_year"],
                label=FinancialYear(y["financial_year"]).label,
                max_value_pence=int(y["max_value_pence"]),
                budget_line_id=y["budget_line"],
                budget_line_label=budget_line_label(
                    pcpg=y["line_pcpg"],
                    financial_year=y["financial_year"],
                    funding_stream=y["stream"],
                )
                if y["budget_line"]
                else "",
            )
            for y in years
        ],
        total_max_value_pence=sum(int(y["max_value_pence"]) for y in years),
        kpis=[
            KpiOut(
                name=k["name"],
                name_cy=k["name_cy"],
                unit=k["unit"],
                direction=k["direction"],
                baseline=k["baseline"],
                target=k["target"],
                name_shown=k["shown"],
                unit_shown=unit_shown(k["unit"]),
            )
            for k in kpis
        ],
        criteria=[
            CriterionOut(
                title=c["title"],
                title_cy=c["title_cy"],
                weight=c["weight"],
                descriptors=[DescriptorOut(en=d["en"], cy=d["cy"]) for d in _json(c["descriptors"])],
            )
            for c in criteria
        ],
        price_weight=row["price_weight"],
        bid_deadline_at=row["bid_deadline_at"],
        clarification_contact=row["clarification_contact"],
        created_at=row["created_at"],
        published_at=row["published_at"],
        cancelled_at=row["cancelled_at"],
        cancellation_reason=row["cancellation_reason"],
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def publication_problems(spec: SpecificationOut, now: datetime) -> rules.Problems:
    """What still stops a draft being published, field by field (rules.publication_problems over what is stored)."""
    clusters = await plan_queries.clusters_of([c.id for c in spec.clusters])
    lines = {
        row["id"]: row
        for row in await BudgetLine.select(BudgetLine.id, BudgetLine.pcpg, BudgetLine.financial_year).where(
            BudgetLine.id.is_in([y.budget_line_id for y in spec.years if y.budget_line_id] or [-1])
        )
    }
    return rules.publication_problems(
        route=spec.procurement_route,
        title=spec.title,
        title_cy=spec.title_cy,
        description=spec.description,
        description_cy=spec.description_cy,
        pcpg_id=spec.pcpg_id,
        cluster_pcpg_ids=[c["pcpg"] for c in clusters.values()],
        start_financial_year=spec.start_financial_year,
        term=spec.term_years,
        years=[
            rules.YearPlan(
                financial_year=y.financial_year,
                max_value_pence=y.max_value_pence,
                budget_line_id=y.budget_line_id,
                budget_line_year=lines[y.budget_line_id]["financial_year"] if y.budget_line_id in lines else None,
                budget_line_pcpg_id=lines[y.budget_line_id]["pcpg"] if y.budget_line_id in lines else None,
            )
            for y in spec.years
        ],
        kpi_count=len(spec.kpis),
        criteria=[
            rules.CriterionPlan(
                title=c.title,
                title_cy=c.title_cy,
                weight=c.weight,
                descriptor_count=len([d for d in c.descriptors if d.en and d.cy]),
            )
            for c in spec.criteria
        ],
        price_weight=spec.price_weight,
        bid_deadline_at=spec.bid_deadline_at,
        now=now,
    )


async def ledger_effect(spec: SpecificationOut) -> list[LedgerEffect]:
    """Each budget line the specification draws on: headroom now, the earmark, headroom after, and any shortfall."""
    wanted: dict[int, int] = {}
    for year in spec.years:
        if year.budget_line_id is not None:
            wanted[year.budget_line_id] = wanted.get(year.budget_line_id, 0) + year.max_value_pence
    found = await finance_queries.ledgers(list(wanted))
    lines = await _line_labels(list(wanted))
    effects = []
    for line_id, amount in sorted(wanted.items()):
        ledger = found[line_id]
        label, financial_year = lines[line_id]
        short = finance_rules.shortfall(ledger, amount)
        effects.append(
            LedgerEffect(
                budget_line_id=line_id,
                label=label,
                financial_year=financial_year,
                budget_pence=ledger.budget_pence,
                headroom_before_pence=ledger.headroom_pence,
                earmark_pence=amount,
                headroom_after_pence=ledger.headroom_pence - amount,
                fits=short == 0,
                warning=finance_rules.crosses_warning(ledger, amount),
                shortfall_pence=short,
            )
        )
    return effects


async def _line_labels(line_ids: list[int]) -> dict[int, tuple[str, int]]:
    """Each budget line's name as a person reads it ("Cardiff, 2027-28, Cluster funding") and its year."""
    rows = await BudgetLine.select(
        BudgetLine.id,
        BudgetLine.financial_year,
        BudgetLine.funding_stream,
        BudgetLine.pcpg.name.as_alias("pcpg"),
        BudgetLine.pcpg.name_cy.as_alias("pcpg_cy"),
    ).where(BudgetLine.id.is_in(line_ids or [-1]))
    return {
        row["id"]: (
            budget_line_label(
                pcpg=row["pcpg"],
                pcpg_cy=row["pcpg_cy"] or "",
                financial_year=row["financial_year"],
                funding_stream=row["funding_stream"],
            ),
            row["financial_year"],
        )
        for row in rows
    }


async def publish_check(*, actor: Actor, specification_id: int, now: datetime) -> PublishCheckOut:
    """Everything the commissioner checks before publishing one of their drafts, and whether they can now."""
    spec = await get_specification(actor=actor, specification_id=specification_id, now=now, managed=True)
    draft = rules.can_publish(spec.status)
    problems = (await publication_problems(spec, now)).items if draft else {}
    effects = await ledger_effect(spec)
    return PublishCheckOut(
        specification=spec,
        problems=[
            PublishProblem(message=gettext(message), section=rules.draft_section(field_name))
            for field_name, message in problems.items()
        ],
        effects=effects,
        short_lines=[effect for effect in effects if effect.shortfall_pence > 0],
        can_publish=rules.can_publish_now(
            status=spec.status, problems=problems, shortfalls_pence=[e.shortfall_pence for e in effects]
        ),
    )


async def held_earmarks(specification_id: int) -> list[EarmarkHeld]:
    """The money a specification still holds, line by line (what cancelling it releases), summed by the database."""
    rows = (
        await BudgetEarmark.select(BudgetEarmark.budget_line, Sum(BudgetEarmark.amount_pence, alias="held"))
        .where((BudgetEarmark.specification == specification_id) & BudgetEarmark.released_at.is_null())
        .group_by(BudgetEarmark.budget_line)
    )
    held = {row["budget_line"]: int(row["held"] or 0) for row in rows}
    labels = await _line_labels(list(held))
    return [
        EarmarkHeld(budget_line_id=line_id, label=labels[line_id][0], amount_pence=amount)
        for line_id, amount in sorted(held.items(), key=lambda item: (labels[item[0]][1], labels[item[0]][0]))
        if amount
    ]


async def cancel_check(*, actor: Actor, specification_id: int, reason: str, now: datetime) -> CancelCheckOut:
    """What the commissioner checks before cancelling one of their specifications: nothing is written here."""
    spec = await get_specification(actor=actor, specification_id=specification_id, now=now, managed=True)
    releases = await held_earmarks(specification_id)
    return CancelCheckOut(
        specification=spec,
        reason=reason,
        releases=releases,
        released_total_pence=sum(r.amount_pence for r in releases),
        audience=[gettext(line) for line in rules.cancellation_audience(spec.status)],
    )
