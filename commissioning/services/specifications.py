"""Specifications from draft to publication, cancellation and evaluation (issue: lifecycle).

Publishing earmarks each year's maximum on its budget line in the same transaction; a shortfall
refuses the whole publication and nothing is held (finance.services.earmark_budget).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from accounts.actor import Actor
from audit.operation import Recorder, operation
from commissioning import rules
from commissioning.queries import plans as plan_queries
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import (
    CriterionIn,
    KpiIn,
    PublishOut,
    SpecificationChangeIn,
    SpecificationIn,
    SpecificationOut,
    YearIn,
)
from commissioning.tables import (
    EvaluationCriterion,
    PlanPriority,
    Specification,
    SpecificationCluster,
    SpecificationKpi,
    SpecificationYear,
)
from core.db import for_update, serialise
from core.errors import Conflict, NotFound, RuleBroken
from core.i18n import translate_in
from finance import services as finance_services
from finance.schemas import EarmarkRequest
from finance.tables import BudgetLine
from menu.tables import MenuKpi, MenuService, MenuServiceVersion

SPECIFICATION_NUMBERING_LOCK = 7_245_101


def default_criteria() -> list[CriterionIn]:
    """The standard quality criteria and 0-5 descriptors, in both languages, for a commissioner to adapt."""
    from commissioning.schemas import DescriptorIn

    descriptors = [DescriptorIn(en=text, cy=translate_in("cy", text)) for text in rules.DEFAULT_DESCRIPTORS]
    return [
        CriterionIn(title=title, title_cy=translate_in("cy", title), weight=weight, descriptors=descriptors)
        for title, weight in rules.DEFAULT_CRITERIA
    ]


def _check_manager(actor: Actor, pcpg_id: int) -> None:
    if not rules.can_manage_specification(
        role=actor.role.value if actor.role else None, actor_pcpg_ids=actor.pcpg_ids, pcpg_id=pcpg_id
    ):
        raise NotFound("No such specification")


async def _check_parts(
    *,
    pcpg_id: int,
    start_financial_year: int,
    term: int,
    cluster_ids: list[int],
    years: list[YearIn],
    priority_id: int | None,
    criteria: list[CriterionIn] | None,
    price_weight: int,
    deadline: datetime | None,
    now: datetime,
) -> None:
    """What a draft must get right whenever it is saved; completeness waits for publication."""
    if priority_id is not None:
        priority = (
            await PlanPriority.select(PlanPriority.plan.pcpg.as_alias("pcpg"))
            .where(PlanPriority.id == priority_id)
            .first()
        )
        if priority is None or priority["pcpg"] != pcpg_id:
            raise RuleBroken("Choose a priority from this PCPG's plan", field="plan_priority_id")
    clusters = await plan_queries.clusters_of(cluster_ids)
    if len(clusters) != len(set(cluster_ids)):
        raise RuleBroken("Select clusters from the list", field="cluster_ids")
    if any(c["pcpg"] != pcpg_id for c in clusters.values()):
        raise RuleBroken("Every cluster must lie in the PCPG's footprint", field="cluster_ids")
    allowed = rules.term_years(start_financial_year, term)
    seen: set[int] = set()
    for year in years:
        if year.financial_year not in allowed:
            raise RuleBroken("Each year must fall within the term", field="years")
        if year.financial_year in seen:
            raise RuleBroken("Give each financial year once", field="years")
        seen.add(year.financial_year)
        if year.budget_line_id is not None:
            line = (
                await BudgetLine.select(BudgetLine.pcpg, BudgetLine.financial_year)
                .where(BudgetLine.id == year.budget_line_id)
                .first()
            )
            if line is None or line["pcpg"] != pcpg_id or line["financial_year"] != year.financial_year:
                raise RuleBroken("Each year must draw on a budget line of the same year and PCPG", field="years")
    if criteria is not None and criteria and sum(c.weight for c in criteria) + price_weight != 100:
        raise RuleBroken("The quality weights and the price weight must add up to 100", field="criteria")
    if deadline is not None:
        if deadline.tzinfo is None:
            raise RuleBroken("Give the deadline with its time zone", field="bid_deadline_at")
        problem = rules.deadline_problem(deadline, now)
        if problem is not None:
            raise RuleBroken(problem, field="bid_deadline_at")


async def _replace_children(
    spec_id: int,
    *,
    cluster_ids: list[int] | None = None,
    years: list[YearIn] | None = None,
    kpis: list[KpiIn] | None = None,
    criteria: list[CriterionIn] | None = None,
) -> None:
    if cluster_ids is not None:
        await SpecificationCluster.delete().where(SpecificationCluster.specification == spec_id)
        if cluster_ids:
            await SpecificationCluster.insert(
                *[SpecificationCluster(specification=spec_id, cluster=c) for c in sorted(set(cluster_ids))]
            )
    if years is not None:
        await SpecificationYear.delete().where(SpecificationYear.specification == spec_id)
        if years:
            await SpecificationYear.insert(
                *[
                    SpecificationYear(
                        specification=spec_id,
                        financial_year=y.financial_year,
                        max_value_pence=y.max_value_pence,
                        budget_line=y.budget_line_id,
                    )
                    for y in sorted(years, key=lambda y: y.financial_year)
                ]
            )
    if kpis is not None:
        await SpecificationKpi.delete().where(SpecificationKpi.specification == spec_id)
        if kpis:
            await SpecificationKpi.insert(
                *[
                    SpecificationKpi(specification=spec_id, position=i, **msgspec.structs.asdict(k))
                    for i, k in enumerate(kpis)
                ]
            )
    if criteria is not None:
        await EvaluationCriterion.delete().where(EvaluationCriterion.specification == spec_id)
        if criteria:
            await EvaluationCriterion.insert(
                *[
                    EvaluationCriterion(
                        specification=spec_id,
                        position=i,
                        title=c.title.strip(),
                        title_cy=c.title_cy.strip(),
                        weight=c.weight,
                        descriptors=[{"en": d.en.strip(), "cy": d.cy.strip()} for d in c.descriptors],
                    )
                    for i, c in enumerate(criteria)
                ]
            )


def _plain(value: Any) -> Any:
    return msgspec.to_builtins(value)


async def create_specification(*, actor: Actor, data: SpecificationIn, now: datetime) -> SpecificationOut:
    _check_manager(actor, data.pcpg_id)
    async with operation("specification.created", actor=actor, now=now) as op:
        service = await MenuService.select().where(MenuService.id == data.menu_service_id).first()
        if service is None:
            raise RuleBroken("Choose a service from the menu", field="menu_service_id")
        if service["retired_at"] is not None:
            raise RuleBroken("That service has been retired from the menu", field="menu_service_id")
        version = (
            await MenuServiceVersion.select()
            .where(
                (MenuServiceVersion.menu_service == service["id"])
                & (MenuServiceVersion.version == service["current_version"])
            )
            .first()
        )
        assert version is not None
        kpis = data.kpis
        if kpis is None:
            menu_kpis = (
                await MenuKpi.select().where(MenuKpi.menu_service_version == version["id"]).order_by(MenuKpi.position)
            )
            kpis = [
                KpiIn(
                    name=k["name"],
                    name_cy=k["name_cy"],
                    unit=k["unit"],
                    direction=k["direction"],
                    target=k["typical_target"][:100],
                )
                for k in menu_kpis
            ]
        criteria = data.criteria if data.criteria is not None else default_criteria()
        price_weight = data.price_weight if data.criteria is not None else rules.DEFAULT_PRICE_WEIGHT
        await _check_parts(
            pcpg_id=data.pcpg_id,
            start_financial_year=data.start_financial_year,
            term=data.term_years,
            cluster_ids=data.cluster_ids,
            years=data.years,
            priority_id=data.plan_priority_id,
            criteria=criteria,
            price_weight=price_weight,
            deadline=data.bid_deadline_at,
            now=now,
        )
        await serialise(SPECIFICATION_NUMBERING_LOCK)  # references are numbered in order, one writer at a time
        count = await Specification.count()
        spec = Specification(
            pcpg=data.pcpg_id,
            menu_service_version=version["id"],
            plan_priority=data.plan_priority_id,
            reference=f"CDV-{data.start_financial_year}-{count + 1:04d}",
            title=data.title.strip() or version["name"],
            title_cy=data.title_cy.strip() or version["name_cy"],
            description=data.description.strip() or version["description"],
            description_cy=data.description_cy.strip() or version["description_cy"],
            procurement_route=data.procurement_route,
            start_financial_year=data.start_financial_year,
            term_years=data.term_years,
            price_weight=price_weight,
            bid_deadline_at=data.bid_deadline_at,
            clarification_contact=data.clarification_contact.strip(),
            status=rules.SpecificationStatus.DRAFT,
            created_at=now,
            created_by_username=actor.username,
            updated_at=now,
        )
        await spec.save()
        await _replace_children(spec.id, cluster_ids=data.cluster_ids, years=data.years, kpis=kpis, criteria=criteria)
        op.record(
            "Specification",
            spec.id,
            after={
                "reference": spec.reference,
                "title": spec.title,
                "menu_service_version_id": version["id"],
                "route": data.procurement_route,
                "cluster_ids": sorted(set(data.cluster_ids)),
                "years": _plain(data.years),
                "status": rules.SpecificationStatus.DRAFT.value,
            },
            pcpg_id=data.pcpg_id,
        )
    return await specification_queries.get_specification(actor=actor, specification_id=spec.id, now=now)


async def _load_for_change(op: Recorder, actor: Actor, specification_id: int) -> dict[str, Any]:
    row = await for_update(Specification.select().where(Specification.id == specification_id)).first()
    if row is None:
        raise NotFound("No such specification")
    _check_manager(actor, row["pcpg"])
    return row


async def update_specification(
    *, actor: Actor, specification_id: int, changes: SpecificationChangeIn, now: datetime
) -> SpecificationOut:
    async with operation("specification.changed", actor=actor, now=now) as op:
        row = await _load_for_change(op, actor, specification_id)
        if not rules.can_edit(rules.effective_status(row["status"], row["bid_deadline_at"], now)):
            raise Conflict(
                "Only a draft can be changed; this specification is %(status)s",
                status=rules.SpecificationStatus(row["status"]),
            )
        given = {
            name: value for name in changes.__struct_fields__ if (value := getattr(changes, name)) is not msgspec.UNSET
        }
        start = given.get("start_financial_year", row["start_financial_year"])
        term = given.get("term_years", row["term_years"])
        if "years" in given:
            years = given["years"]
        else:
            years = [
                YearIn(
                    financial_year=y["financial_year"],
                    max_value_pence=int(y["max_value_pence"]),
                    budget_line_id=y["budget_line"],
                )
                for y in await SpecificationYear.select().where(SpecificationYear.specification == specification_id)
                if y["financial_year"] in rules.term_years(start, term)
            ]
        cluster_ids = given.get("cluster_ids") or [
            c["cluster"]
            for c in await SpecificationCluster.select(SpecificationCluster.cluster).where(
                SpecificationCluster.specification == specification_id
            )
        ]
        price_weight = given.get("price_weight", row["price_weight"])
        criteria = given.get("criteria")
        if criteria is None and "price_weight" in given:
            stored = await EvaluationCriterion.select(EvaluationCriterion.weight).where(
                EvaluationCriterion.specification == specification_id
            )
            if stored and sum(c["weight"] for c in stored) + price_weight != 100:
                raise RuleBroken("The quality weights and the price weight must add up to 100", field="price_weight")
        await _check_parts(
            pcpg_id=row["pcpg"],
            start_financial_year=start,
            term=term,
            cluster_ids=cluster_ids,
            years=years,
            priority_id=given.get("plan_priority_id", row["plan_priority"]),
            criteria=criteria,
            price_weight=price_weight,
            deadline=given.get("bid_deadline_at", row["bid_deadline_at"]) if "bid_deadline_at" in given else None,
            now=now,
        )
        columns = {
            "plan_priority_id": Specification.plan_priority,
            "title": Specification.title,
            "title_cy": Specification.title_cy,
            "description": Specification.description,
            "description_cy": Specification.description_cy,
            "procurement_route": Specification.procurement_route,
            "start_financial_year": Specification.start_financial_year,
            "term_years": Specification.term_years,
            "price_weight": Specification.price_weight,
            "bid_deadline_at": Specification.bid_deadline_at,
            "clarification_contact": Specification.clarification_contact,
        }
        values: dict[Any, Any] = {
            columns[name]: value.strip() if isinstance(value, str) else value
            for name, value in given.items()
            if name in columns
        }
        values[Specification.updated_at] = now
        await Specification.update(values).where(Specification.id == specification_id)
        term_changed = "start_financial_year" in given or "term_years" in given
        await _replace_children(
            specification_id,
            cluster_ids=given.get("cluster_ids"),
            years=years if ("years" in given or term_changed) else None,
            kpis=given.get("kpis"),
            criteria=criteria,
        )
        op.record(
            "Specification",
            specification_id,
            before={name: _plain(row.get(name)) for name in given if name in row},
            after={name: _plain(value) for name, value in given.items()},
            pcpg_id=row["pcpg"],
        )
    return await specification_queries.get_specification(actor=actor, specification_id=specification_id, now=now)


async def readiness(*, actor: Actor, specification_id: int, now: datetime) -> rules.Problems:
    """What still stops publication, field by field (shown on the draft's task list)."""
    spec = await specification_queries.get_specification(actor=actor, specification_id=specification_id, now=now)
    return await specification_queries.publication_problems(spec, now)


async def publish_specification(*, actor: Actor, specification_id: int, now: datetime) -> PublishOut:
    """Earmark every year's maximum and open the specification for bids, all or nothing."""
    async with operation("specification.published", actor=actor, now=now) as op:
        row = await _load_for_change(op, actor, specification_id)
        if not rules.can_publish(row["status"]):
            raise Conflict(
                "Only a draft can be published; this specification is %(status)s",
                status=rules.SpecificationStatus(row["status"]),
            )
        spec = await specification_queries.get_specification(actor=actor, specification_id=specification_id, now=now)
        problems = await specification_queries.publication_problems(spec, now)
        if problems:
            field, message = next(iter(problems.items.items()))
            raise RuleBroken(message, field=field, problems=problems.items)
        service = await MenuService.select(MenuService.retired_at).where(MenuService.id == spec.menu_service_id).first()
        if service is not None and service["retired_at"] is not None:
            raise Conflict("The menu service was retired after this draft was written; it cannot be published")
        warnings = await finance_services.earmark_budget(
            actor=actor,
            specification_id=specification_id,
            requests=[
                EarmarkRequest(
                    budget_line_id=y.budget_line_id, financial_year=y.financial_year, amount_pence=y.max_value_pence
                )
                for y in spec.years
                if y.budget_line_id is not None
            ],
            now=now,
        )
        await Specification.update(
            {
                Specification.status: rules.SpecificationStatus.PUBLISHED,
                Specification.published_at: now,
                Specification.updated_at: now,
            }
        ).where(Specification.id == specification_id)
        await _notify_providers(spec, now)
        op.record(
            "Specification",
            specification_id,
            before={"status": rules.SpecificationStatus.DRAFT.value},
            after={
                "status": rules.SpecificationStatus.PUBLISHED.value,
                "bid_deadline_at": spec.bid_deadline_at,
                "earmarked_pence": spec.total_max_value_pence,
            },
            pcpg_id=spec.pcpg_id,
        )
    published = await specification_queries.get_specification(actor=actor, specification_id=specification_id, now=now)
    return PublishOut(specification=published, warnings=warnings)


async def cancel_specification(*, actor: Actor, specification_id: int, reason: str, now: datetime) -> SpecificationOut:
    async with operation("specification.cancelled", actor=actor, now=now) as op:
        row = await _load_for_change(op, actor, specification_id)
        status = rules.effective_status(row["status"], row["bid_deadline_at"], now)
        if not rules.can_cancel(status):
            raise Conflict("A specification that is %(status)s cannot be cancelled", status=status)
        if not reason.strip():
            raise RuleBroken("Give the reason for cancelling", field="reason")
        released = await finance_services.release_earmarks(actor=actor, specification_id=specification_id, now=now)
        await Specification.update(
            {
                Specification.status: rules.SpecificationStatus.CANCELLED,
                Specification.cancelled_at: now,
                Specification.cancellation_reason: reason.strip(),
                Specification.updated_at: now,
            }
        ).where(Specification.id == specification_id)
        op.record(
            "Specification",
            specification_id,
            before={"status": status.value},
            after={
                "status": rules.SpecificationStatus.CANCELLED.value,
                "reason": reason.strip(),
                "released_pence": released,
            },
            pcpg_id=row["pcpg"],
        )
    return await specification_queries.get_specification(actor=actor, specification_id=specification_id, now=now)


async def begin_evaluation(*, actor: Actor, specification_id: int, now: datetime) -> SpecificationOut:
    """Once bids have closed, the commissioner opens evaluation (bids become visible to the panel then)."""
    async with operation("specification.evaluation_begun", actor=actor, now=now) as op:
        row = await _load_for_change(op, actor, specification_id)
        status = rules.effective_status(row["status"], row["bid_deadline_at"], now)
        if not rules.can_begin_evaluation(status):
            raise Conflict(
                "Evaluation can begin only after the bid deadline; this specification is %(status)s", status=status
            )
        await Specification.update(
            {Specification.status: rules.SpecificationStatus.UNDER_EVALUATION, Specification.updated_at: now}
        ).where(Specification.id == specification_id)
        op.record(
            "Specification",
            specification_id,
            before={"status": rules.SpecificationStatus.CLOSED.value},
            after={"status": rules.SpecificationStatus.UNDER_EVALUATION.value},
            pcpg_id=row["pcpg"],
        )
    return await specification_queries.get_specification(actor=actor, specification_id=specification_id, now=now)


async def _notify_providers(spec: SpecificationOut, now: datetime) -> None:
    """Tell the managers of approved vehicles serving any of the clusters that a competitive opportunity is open."""
    if spec.procurement_route is not rules.ProcurementRoute.COMPETITIVE:
        return
    from accounts.tables import User
    from notifications.services import notify
    from organisations.rules import DeliveryVehicleStatus
    from organisations.tables import DeliveryVehicleCluster

    vehicles = await DeliveryVehicleCluster.select(DeliveryVehicleCluster.delivery_vehicle).where(
        DeliveryVehicleCluster.cluster.is_in([c.id for c in spec.clusters] or [-1])
        & (DeliveryVehicleCluster.delivery_vehicle.status == DeliveryVehicleStatus.APPROVED.value)
    )
    vehicle_ids = sorted({row["delivery_vehicle"] for row in vehicles})
    users = await User.select(User.id).where(User.delivery_vehicle.is_in(vehicle_ids or [-1]))
    await notify(
        user_ids=[row["id"] for row in users],
        kind="specification_published",
        key=str(spec.id),
        params={"title": spec.title, "reference": spec.reference, "pcpg": spec.pcpg, "deadline": spec.bid_deadline_at},
        localise={"cy": {"title": spec.title_cy, "pcpg": spec.pcpg_cy}},
        link=f"/specifications/{spec.id}",
        now=now,
    )
