"""Reads of delivery returns for the API and the pages: lists filtered (overdue by the clock), sorted, counted and
paged in SQL, and one return whole in a fixed number of statements. Every read is scoped with
returns.queries.scope, so a return out of scope answers as an absent one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from piccolo.query.functions.aggregate import Sum

from accounts.actor import Actor
from accounts.queries import full_names
from contracts.tables import ContractCluster, ContractKpi, ContractPayment
from core.clock import london_day
from core.errors import NotFound, RuleBroken
from core.i18n import current_language, gettext, in_reading_language, name_in_reading_language
from core.pagination import Page, check_window
from core.periods import FinancialYear
from menu.queries import unit_shown
from returns import rules
from returns.queries.scope import read_scope, review_scope, scoped, submit_scope
from returns.rules import NOT_YET_SUBMITTED, ReturnStatus
from returns.schemas.returns import (
    ReturnActionOut,
    ReturnClusterOut,
    ReturnKpiOut,
    ReturnOut,
    ReturnQueryOut,
    ReturnSummary,
    ReturnVersionOut,
    ReturnWorkforceOut,
)
from returns.tables import DeliveryReturn, ReturnActivity, ReturnKpiValue, ReturnQuery, ReturnVersion, ReturnWorkforce

STATUSES = (*(status.value for status in ReturnStatus), "overdue")
SORTS: Mapping[str, Any] = {"due_on": DeliveryReturn.due_on, "status": DeliveryReturn.status}


def status_condition(status: str | None, today: date) -> Any:
    """A status filter as a condition: "overdue" is the clock's reading (not yet submitted, past its due day)."""
    if status is None:
        return None
    if status == "overdue":
        return DeliveryReturn.status.is_in([s.value for s in NOT_YET_SUBMITTED]) & (DeliveryReturn.due_on < today)
    if status not in STATUSES:
        raise RuleBroken("Choose a status: not_started, draft, submitted, queried, accepted or overdue", field="status")
    return DeliveryReturn.status == status


def _summary_select() -> Any:
    r: Any = DeliveryReturn
    return DeliveryReturn.select(
        *DeliveryReturn.all_columns(),
        r.contract.reference.as_alias("contract_reference"),
        r.contract.title.as_alias("contract_title"),
        r.contract.title_cy.as_alias("contract_title_cy"),
        r.contract.delivery_vehicle.as_alias("delivery_vehicle_id"),
        r.contract.delivery_vehicle.name.as_alias("vehicle_name"),
        r.contract.pcpg.as_alias("pcpg_id"),
        in_reading_language(r.contract.pcpg.name, r.contract.pcpg.name_cy, alias="pcpg_shown"),
    )


def _summary(row: dict[str, Any], today: date) -> ReturnSummary:
    status = ReturnStatus(row["status"])
    overdue = rules.is_overdue(status, row["due_on"], today)
    return ReturnSummary(
        id=row["id"],
        contract_id=row["contract"],
        contract_reference=row["contract_reference"],
        contract_title=name_in_reading_language(row["contract_title"], row["contract_title_cy"]),
        delivery_vehicle=row["vehicle_name"],
        pcpg=row["pcpg_shown"],
        financial_year=row["financial_year"],
        year_label=FinancialYear(row["financial_year"]).label,
        quarter=row["quarter"],
        period_from=row["period_from"],
        period_to=row["period_to"],
        due_on=row["due_on"],
        status=status,
        status_label=gettext(rules.OVERDUE_LABEL if overdue else status.label),
        status_tag="nhsuk-tag--red" if overdue else status.tag,
        overdue=overdue,
        version=row["version"],
        submitted_at=row["submitted_at"],
        quarters=int(row["quarters"] or 1),
        first_quarter=int(row["quarter"]) - int(row["quarters"] or 1) + 1,
        light=bool(row["light"]),
    )


async def list_returns(
    *,
    actor: Actor,
    now: datetime,
    status: str | None = None,
    contract_id: int | None = None,
    delivery_vehicle_id: int | None = None,
    pcpg_id: int | None = None,
    financial_year: int | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ReturnSummary]:
    """The returns the actor may read, filtered, sorted, counted and paged by the database: two statements."""
    check_window(limit, offset)
    today = london_day(now)
    text = (sort or "due_on").strip()
    name, ascending = (text[1:], False) if text.startswith("-") else (text, True)
    if name not in SORTS:
        raise RuleBroken("Sort by due_on or status", field="sort")
    conditions = [read_scope(actor), status_condition(status, today)]
    if contract_id is not None:
        conditions.append(DeliveryReturn.contract == contract_id)
    if delivery_vehicle_id is not None:
        conditions.append(DeliveryReturn.contract.delivery_vehicle == delivery_vehicle_id)
    if pcpg_id is not None:
        conditions.append(DeliveryReturn.contract.pcpg == pcpg_id)
    if financial_year is not None:
        conditions.append(DeliveryReturn.financial_year == financial_year)
    query, count = _summary_select(), DeliveryReturn.count()
    for condition in conditions:
        query, count = scoped(query, condition), scoped(count, condition)
    query = query.order_by(SORTS[name], ascending=ascending).order_by(DeliveryReturn.id, ascending=ascending)
    rows = await query.limit(limit).offset(offset)
    return Page(items=[_summary(row, today) for row in rows], total=await count, limit=limit, offset=offset)


async def return_row(actor: Actor, return_id: int) -> dict[str, Any]:
    """The return with its contract's names, in the actor's read scope (else: no such return)."""
    r: Any = DeliveryReturn
    row = await scoped(_summary_select().where(DeliveryReturn.id == return_id), read_scope(actor)).first()
    if row is None:
        raise NotFound("No such return")
    unit = (
        await DeliveryReturn.select(
            in_reading_language(
                r.contract.menu_service_version.unit_of_activity,
                r.contract.menu_service_version.unit_of_activity_cy,
                alias="unit",
            )
        )
        .where(DeliveryReturn.id == return_id)
        .first()
    )
    row["unit"] = (unit or {}).get("unit") or ""
    return row


async def get_return(*, actor: Actor, return_id: int, now: datetime) -> ReturnOut:
    """One return whole, in a fixed number of statements whatever its size."""
    today = london_day(now)
    row = await return_row(actor, return_id)
    contract_id = row["contract"]
    c: Any = ContractCluster
    clusters = (
        await ContractCluster.select(
            ContractCluster.cluster,
            c.cluster.name_cy.as_alias("name_cy"),
            in_reading_language(c.cluster.name, c.cluster.name_cy, alias="name"),
        )
        .where(ContractCluster.contract == contract_id)
        .order_by(ContractCluster.cluster)
    )
    units = {
        a["cluster"]: a["units"]
        for a in await ReturnActivity.select().where(ReturnActivity.delivery_return == return_id)
    }
    k: Any = ContractKpi
    kpis = (
        await ContractKpi.select(
            *ContractKpi.all_columns(),
            in_reading_language(k.name, k.name_cy, alias="name_shown"),
        )
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
    )
    values = {
        v["contract_kpi"]: v["value"]
        for v in await ReturnKpiValue.select().where(ReturnKpiValue.delivery_return == return_id)
    }
    workforce = {
        w["staff_group"]: w["wte"]
        for w in await ReturnWorkforce.select().where(ReturnWorkforce.delivery_return == return_id)
    }
    queries = (
        await ReturnQuery.select()
        .where(ReturnQuery.delivery_return == return_id)
        .order_by(ReturnQuery.version)
        .order_by(ReturnQuery.id)
    )
    versions = (
        await ReturnVersion.select(
            ReturnVersion.version,
            ReturnVersion.kind,
            ReturnVersion.made_at,
            ReturnVersion.made_by_username,
            ReturnVersion.reason,
        )
        .where(ReturnVersion.delivery_return == return_id)
        .order_by(ReturnVersion.version)
    )
    share = (  # the payments of every quarter the return covers (two for a half-yearly return)
        await ContractPayment.select(Sum(ContractPayment.amount_pence, alias="amount_pence"))
        .where(
            (ContractPayment.contract == contract_id)
            & (ContractPayment.financial_year == row["financial_year"])
            & (ContractPayment.quarter <= row["quarter"])
            & (ContractPayment.quarter > int(row["quarter"]) - int(row["quarters"] or 1))
        )
        .first()
    )
    names = await full_names([q["raised_by_username"] for q in queries] + [v["made_by_username"] for v in versions])
    submits = await DeliveryReturn.exists().where((DeliveryReturn.id == return_id) & submit_scope(actor))
    reviews = await DeliveryReturn.exists().where((DeliveryReturn.id == return_id) & review_scope(actor))
    status = ReturnStatus(row["status"])
    actions = rules.return_actions(
        submits=submits, reviews=reviews, status=status, period_to=row["period_to"], today=today
    )
    return ReturnOut(
        summary=_summary(row, today),
        unit_of_activity=row["unit"],
        quarter_share_pence=int(share["amount_pence"] or 0) if share else 0,
        spend_pence=None if row["spend_pence"] is None else int(row["spend_pence"]),
        narrative=row["narrative"],
        risks=row["risks"],
        activity=[
            ReturnClusterOut(
                c["cluster"], c["name"], units.get(c["cluster"]), current_language.get() == "cy" and not c["name_cy"]
            )
            for c in clusters
        ],
        kpis=[_kpi(kpi, values.get(kpi["id"])) for kpi in kpis],
        workforce=[
            ReturnWorkforceOut(group, gettext(label), workforce.get(group))
            for group, label in rules.STAFF_GROUPS.items()
        ],
        queries=[
            ReturnQueryOut(
                version=q["version"],
                field=q["field"],
                comment=q["comment"],
                raised_at=q["raised_at"],
                raised_by=names.get(q["raised_by_username"], q["raised_by_username"]),
            )
            for q in queries
        ],
        versions=[
            ReturnVersionOut(
                version=v["version"],
                kind=v["kind"],
                made_at=v["made_at"],
                made_by=names.get(v["made_by_username"], v["made_by_username"]),
                reason=v["reason"],
            )
            for v in versions
        ],
        actions=[ReturnActionOut(a.value, gettext(a.label), f"/returns/{return_id}/{a.value}") for a in actions],
    )


def _kpi(kpi: dict[str, Any], value: str | None) -> ReturnKpiOut:
    direction = rules.Direction(kpi["direction"])
    rag = rules.kpi_rag(rules.threshold(value), direction, kpi["green_from"], kpi["red_from"])
    return ReturnKpiOut(
        contract_kpi_id=kpi["id"],
        name=kpi["name_shown"],
        unit=unit_shown(kpi["unit"]),
        direction_label=gettext(direction.label),
        target=kpi["target"],
        green_from=kpi["green_from"],
        red_from=kpi["red_from"],
        value=value,
        rag=rag,
        rag_label=gettext(rag.label),
        rag_tag=rag.tag,
    )
