"""Reads of contracts for the API, the pages and the contract document: lists filtered, sorted, counted and paged in
SQL, one contract whole in a fixed number of statements, and its allocations by cluster (its public page is
contracts/queries/public.py).

Every read is scoped with contracts.queries.scope.read_scope, so a contract out of scope answers as an absent one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from piccolo.querystring import QueryString

from accounts import queries as account_queries
from accounts.actor import Actor, Role
from contracts import rules
from contracts.queries.scope import manage_scope, read_scope, scoped
from contracts.rules import ContractStatus, PaymentTiming
from contracts.schemas.contract import (
    ActivityOut,
    AllocationOut,
    AllocationYearOut,
    ContractActionOut,
    ContractClusterOut,
    ContractKpiOut,
    ContractOut,
    ContractSummary,
    ContractVersionOut,
    ContractYearOut,
    PaymentOut,
    PaymentYearOut,
    ReturnDueOut,
)
from contracts.tables import (
    Contract,
    ContractActivity,
    ContractAllocation,
    ContractCluster,
    ContractKpi,
    ContractPayment,
    ContractVersion,
    ContractYear,
)
from core.clock import LONDON
from core.errors import NotFound, RuleBroken
from core.i18n import (
    gettext,
    in_reading_language,
    name_in_reading_language,
    order_in_reading_language,
)
from core.pagination import Page, check_window
from core.periods import FinancialYear
from menu.queries import unit_shown
from menu.tables import MenuServiceVersion
from returns.rules import PaymentStatus
from returns.tables import Payment, PaymentCluster

SORTS: Mapping[str, Any] = {
    "reference": Contract.reference,
    "title": None,  # the title as the reader reads it, decided when the query is built
    "start_on": Contract.start_on,
    "value": Contract.total_value_pence,
    "status": None,  # in the order of the lifecycle, not of the codes' spelling
}
"""What a list may be sorted by; a leading "-" sorts descending."""


def _lifecycle_order() -> QueryString:
    cases = " ".join(f"WHEN '{status.value}' THEN {n}" for n, status in enumerate(ContractStatus))
    return QueryString(f'CASE "{Contract._meta.tablename}"."status" {cases} ELSE 9 END')


def sort_of(text: str | None) -> tuple[str, bool]:
    """("reference", True) from "reference"; ("value", False) from "-value"; refused when not one of SORTS."""
    text = (text or "reference").strip()
    name, ascending = (text[1:], False) if text.startswith("-") else (text, True)
    if name not in SORTS:
        raise RuleBroken("Sort by reference, title, start_on, value or status", field="sort")
    return name, ascending


def _fy(year: int) -> str:
    return FinancialYear(year).label


def _status(code: str) -> ContractStatus:
    return ContractStatus(code)


def _summary_select() -> Any:
    c: Any = Contract
    return Contract.select(
        Contract.id,
        Contract.reference,
        Contract.title,
        Contract.title_cy,
        Contract.status,
        Contract.health_board,
        Contract.pcpg,
        Contract.delivery_vehicle,
        Contract.start_on,
        Contract.end_on,
        Contract.terminated_on,
        Contract.total_value_pence,
        in_reading_language(c.health_board.name, c.health_board.name_cy, alias="health_board_shown"),
        in_reading_language(c.pcpg.name, c.pcpg.name_cy, alias="pcpg_shown"),
        c.delivery_vehicle.name.as_alias("vehicle_name"),
        c.menu_service_version.menu_service.as_alias("menu_service_id"),
        in_reading_language(c.menu_service_version.name, c.menu_service_version.name_cy, alias="menu_shown"),
    )


def _summary(row: dict[str, Any]) -> ContractSummary:
    status = _status(row["status"])
    return ContractSummary(
        id=row["id"],
        reference=row["reference"],
        title=name_in_reading_language(row["title"], row["title_cy"]),
        status=status,
        status_label=gettext(status.label),
        status_tag=status.tag,
        health_board_id=row["health_board"],
        health_board=row["health_board_shown"],
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_shown"],
        delivery_vehicle_id=row["delivery_vehicle"],
        delivery_vehicle=row["vehicle_name"],
        menu_service_id=row["menu_service_id"],
        menu_service=row["menu_shown"] or "",
        start_on=row["start_on"],
        end_on=row["end_on"],
        terminated_on=row["terminated_on"],
        total_value_pence=int(row["total_value_pence"]),
    )


def filter_conditions(
    *,
    status: str | None = None,
    pcpg_id: int | None = None,
    delivery_vehicle_id: int | None = None,
    menu_service_id: int | None = None,
    financial_year: int | None = None,
) -> list[Any]:
    """The list's filters as conditions on Contract alone (so the count needs no join)."""
    conditions: list[Any] = []
    if status is not None:
        if status not in set(ContractStatus):
            raise RuleBroken("Choose a status: mobilising, live, suspended, terminated or expired", field="status")
        conditions.append(Contract.status == status)
    if pcpg_id is not None:
        conditions.append(Contract.pcpg == pcpg_id)
    if delivery_vehicle_id is not None:
        conditions.append(Contract.delivery_vehicle == delivery_vehicle_id)
    if menu_service_id is not None:
        conditions.append(
            Contract.menu_service_version.is_in(
                MenuServiceVersion.select(MenuServiceVersion.id).where(
                    MenuServiceVersion.menu_service == menu_service_id
                )
            )
        )
    if financial_year is not None:  # the term covers some of the year (to a termination, where there was one)
        year = FinancialYear(financial_year)
        conditions.append(
            (Contract.start_on <= year.last_day)
            & (Contract.end_on >= year.first_day)
            & (Contract.terminated_on.is_null() | (Contract.terminated_on >= year.first_day))
        )
    return conditions


async def list_contracts(
    *,
    actor: Actor,
    status: str | None = None,
    pcpg_id: int | None = None,
    delivery_vehicle_id: int | None = None,
    menu_service_id: int | None = None,
    financial_year: int | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ContractSummary]:
    """The contracts the actor may read, filtered, sorted, counted and paged by the database: two statements."""
    check_window(limit, offset)
    name, ascending = sort_of(sort)
    conditions = [
        read_scope(actor),
        *filter_conditions(
            status=status,
            pcpg_id=pcpg_id,
            delivery_vehicle_id=delivery_vehicle_id,
            menu_service_id=menu_service_id,
            financial_year=financial_year,
        ),
    ]
    query = _summary_select()
    count = Contract.count()
    for condition in conditions:
        query, count = scoped(query, condition), scoped(count, condition)
    if name == "title":
        column = order_in_reading_language(Contract.title, Contract.title_cy)
    elif name == "status":
        column = _lifecycle_order()
    else:
        column = SORTS[name]
    query = query.order_by(column, ascending=ascending).order_by(Contract.id, ascending=ascending)
    rows = await query.limit(limit).offset(offset)
    return Page(items=[_summary(row) for row in rows], total=await count, limit=limit, offset=offset)


def _detail_select() -> Any:
    c: Any = Contract
    return Contract.select(
        *Contract.all_columns(),
        in_reading_language(c.health_board.name, c.health_board.name_cy, alias="health_board_shown"),
        in_reading_language(c.pcpg.name, c.pcpg.name_cy, alias="pcpg_shown"),
        c.delivery_vehicle.name.as_alias("vehicle_name"),
        c.specification.reference.as_alias("spec_reference"),
        c.specification.title.as_alias("spec_title"),
        c.specification.title_cy.as_alias("spec_title_cy"),
        c.specification.plan_priority.title.as_alias("priority_title"),
        c.specification.plan_priority.title_cy.as_alias("priority_title_cy"),
        c.menu_service_version.menu_service.as_alias("menu_service_id"),
        c.menu_service_version.version.as_alias("menu_version"),
        in_reading_language(c.menu_service_version.name, c.menu_service_version.name_cy, alias="menu_shown"),
        c.menu_service_version.unit_of_activity.as_alias("unit"),
        c.menu_service_version.unit_of_activity_cy.as_alias("unit_cy"),
    )


async def contract_row(actor: Actor | None, contract_id: int) -> dict[str, Any]:
    """The contract's own row with its parties and line of sight, in the actor's read scope; `None` only for the
    public page (contracts/queries/public.py), which shows what an award notice already published."""
    query = _detail_select().where(Contract.id == contract_id)
    if actor is not None:
        query = scoped(query, read_scope(actor))
    row = await query.first()
    if row is None:
        raise NotFound("No such contract")
    return row


async def year_values(contract_id: int) -> list[ContractYearOut]:
    rows = (
        await ContractYear.select(ContractYear.financial_year, ContractYear.value_pence)
        .where(ContractYear.contract == contract_id)
        .order_by(ContractYear.financial_year)
    )
    return [
        ContractYearOut(
            financial_year=r["financial_year"], label=_fy(r["financial_year"]), value_pence=int(r["value_pence"])
        )
        for r in rows
    ]


def _paid() -> QueryString:
    """Actual spend by cluster: the approved payments of the allocation's contract and year, as split across its
    clusters (payments live in returns/: `Payment`, `PaymentCluster`)."""
    allocation = ContractAllocation._meta.tablename
    return QueryString(
        f'COALESCE((SELECT SUM("part"."amount_pence") FROM "{PaymentCluster._meta.tablename}" AS "part" '
        f'JOIN "{Payment._meta.tablename}" AS "paid" ON "paid"."id" = "part"."payment" '
        f'WHERE "paid"."contract" = "{allocation}"."contract" '
        f'AND "paid"."financial_year" = "{allocation}"."financial_year" '
        f'AND "part"."cluster" = "{allocation}"."cluster" AND "paid"."status" = \'{PaymentStatus.APPROVED.value}\'), 0)'
    )


async def _allocations(
    contract_id: int, years: list[ContractYearOut], financial_year: int | None
) -> list[AllocationYearOut]:
    c: Any = ContractAllocation
    query = ContractAllocation.select(
        ContractAllocation.financial_year,
        ContractAllocation.cluster,
        ContractAllocation.amount_pence,
        ContractAllocation.method,
        ContractAllocation.population,
        ContractAllocation.population_source,
        in_reading_language(c.cluster.name, c.cluster.name_cy, alias="cluster_shown"),
        _paid().as_alias("paid_pence"),
    ).where(ContractAllocation.contract == contract_id)
    if financial_year is not None:
        query = query.where(ContractAllocation.financial_year == financial_year)
    rows = await query.order_by(ContractAllocation.financial_year).order_by(
        order_in_reading_language(c.cluster.name, c.cluster.name_cy)
    )
    by_year: dict[int, list[AllocationOut]] = {}
    for r in rows:
        by_year.setdefault(r["financial_year"], []).append(
            AllocationOut(
                financial_year=r["financial_year"],
                year_label=_fy(r["financial_year"]),
                cluster_id=r["cluster"],
                cluster=r["cluster_shown"],
                amount_pence=int(r["amount_pence"]),
                method=r["method"],
                method_label=gettext(rules.ALLOCATION_METHOD_LABELS.get(r["method"], r["method"])),
                population=r["population"],
                population_source=r["population_source"],
                paid_pence=int(r["paid_pence"] or 0),
            )
        )
    return [
        AllocationYearOut(
            financial_year=y.financial_year,
            label=y.label,
            value_pence=y.value_pence,
            allocations=by_year.get(y.financial_year, []),
            total_pence=sum(a.amount_pence for a in by_year.get(y.financial_year, [])),
            paid_pence=sum(a.paid_pence for a in by_year.get(y.financial_year, [])),
        )
        for y in years
        if financial_year is None or y.financial_year == financial_year
    ]


def _today(now: datetime) -> date:
    return now.astimezone(LONDON).date()


async def get_contract(*, actor: Actor, contract_id: int, now: datetime) -> ContractOut:
    """The contract whole, in a fixed number of statements whatever its length: the row with its parties and line of
    sight, then one statement each for years, clusters, KPIs, activity, payments, allocations, versions, the names
    of who made them, and whether the actor manages it."""
    row = await contract_row(actor, contract_id)
    years = await year_values(contract_id)
    c: Any = ContractCluster
    clusters = (
        await ContractCluster.select(
            ContractCluster.cluster, in_reading_language(c.cluster.name, c.cluster.name_cy, alias="shown")
        )
        .where(ContractCluster.contract == contract_id)
        .order_by(order_in_reading_language(c.cluster.name, c.cluster.name_cy))
    )
    kpis = await ContractKpi.select().where(ContractKpi.contract == contract_id).order_by(ContractKpi.position)
    activity = (
        await ContractActivity.select()
        .where(ContractActivity.contract == contract_id)
        .order_by(ContractActivity.financial_year)
        .order_by(ContractActivity.quarter)
    )
    payments = (
        await ContractPayment.select()
        .where(ContractPayment.contract == contract_id)
        .order_by(ContractPayment.financial_year)
        .order_by(ContractPayment.quarter)
    )
    allocations = await _allocations(contract_id, years, None)
    versions = (
        await ContractVersion.select(
            ContractVersion.version,
            ContractVersion.made_at,
            ContractVersion.made_by_username,
            ContractVersion.variation.number.as_alias("variation_number"),
        )
        .where(ContractVersion.contract == contract_id)
        .order_by(ContractVersion.version)
    )
    names = await account_queries.full_names(v["made_by_username"] for v in versions)
    manages = await scoped(Contract.exists().where(Contract.id == contract_id), manage_scope(actor))
    status = _status(row["status"])
    timing = PaymentTiming(row["payment_timing"])
    payment_years: dict[int, list[PaymentOut]] = {}
    for p in payments:
        payment_years.setdefault(p["financial_year"], []).append(
            PaymentOut(
                financial_year=p["financial_year"],
                year_label=_fy(p["financial_year"]),
                quarter=p["quarter"],
                amount_pence=int(p["amount_pence"]),
                due_on=p["due_on"],
            )
        )
    kpi_out = [
        ContractKpiOut(
            name=name_in_reading_language(k["name"], k["name_cy"]),
            unit=unit_shown(k["unit"]),
            direction=k["direction"],
            direction_label=gettext(rules.KPI_DIRECTION_LABELS.get(k["direction"], k["direction"])),
            baseline=k["baseline"],
            target=k["target"],
            green_from=k["green_from"],
            red_from=k["red_from"],
        )
        for k in kpis
    ]
    reporting = rules.return_schedule(
        start_on=row["start_on"],
        end_on=row["end_on"],
        terminated_on=row["terminated_on"],
        due_days=row["reporting_due_days"],
        reported_from_on=row.get("reported_from_on"),
    )
    # the moves are a commissioner's pages; a national administrator "manages" a contract only to decide variations
    moves = bool(manages) and actor.role is Role.COMMISSIONER
    vehicle = actor.role is Role.PROVIDER and actor.delivery_vehicle_id == row["delivery_vehicle"]
    actions = rules.contract_actions(
        manages=moves, status=status, today=_today(now), end_on=row["end_on"], vehicle=vehicle
    )
    return ContractOut(
        id=row["id"],
        reference=row["reference"],
        title=name_in_reading_language(row["title"], row["title_cy"]),
        title_en=row["title"],
        title_cy=row["title_cy"],
        status=status,
        status_label=gettext(status.label),
        status_tag=status.tag,
        status_reason=row["status_reason"],
        health_board_id=row["health_board"],
        health_board=row["health_board_shown"],
        pcpg_id=row["pcpg"],
        pcpg=row["pcpg_shown"],
        delivery_vehicle_id=row["delivery_vehicle"],
        delivery_vehicle=row["vehicle_name"],
        start_on=row["start_on"],
        end_on=row["end_on"],
        live_from_on=row["live_from_on"],
        terminated_on=row["terminated_on"],
        made_at=row["made_at"],
        version=row["version"],
        payment_timing=timing,
        payment_timing_label=gettext(timing.label),
        reporting_due_days=row["reporting_due_days"],
        years=years,
        total_value_pence=int(row["total_value_pence"]),
        specification_id=row["specification"],
        specification_reference=row["spec_reference"] or "",
        specification_title=name_in_reading_language(row["spec_title"] or "", row["spec_title_cy"]),
        plan_priority_title=name_in_reading_language(row["priority_title"] or "", row["priority_title_cy"]),
        menu_service_id=row["menu_service_id"],
        menu_service=row["menu_shown"] or "",
        menu_service_version=row["menu_version"],
        unit_of_activity=name_in_reading_language(row["unit"] or "", row["unit_cy"]),
        clusters=[ContractClusterOut(cluster_id=r["cluster"], name=r["shown"]) for r in clusters],
        kpis=kpi_out,
        activity=[
            ActivityOut(
                financial_year=a["financial_year"],
                year_label=_fy(a["financial_year"]),
                quarter=a["quarter"],
                units=a["units"],
            )
            for a in activity
        ],
        payments=[
            PaymentYearOut(
                financial_year=year,
                label=_fy(year),
                payments=parts,
                total_pence=sum(p.amount_pence for p in parts),
            )
            for year, parts in sorted(payment_years.items())
        ],
        reporting=[
            ReturnDueOut(
                financial_year=r.financial_year,
                year_label=_fy(r.financial_year),
                quarter=r.quarter,
                quarter_ends_on=r.period_to,
                due_on=r.due_on,
            )
            for r in reporting
        ],
        allocations=allocations,
        needs_split=rules.is_split_missing(
            clusters=len(clusters), years=len(years), allocations=sum(len(y.allocations) for y in allocations)
        ),
        origin=row["origin"],
        former_reference=row["former_reference"],
        settled_before=(
            gettext(rules.SETTLED_BEFORE, day=row["reported_from_on"]) if row["reported_from_on"] is not None else ""
        ),
        versions=[
            ContractVersionOut(
                version=v["version"],
                made_at=v["made_at"],
                made_by=names.get(v["made_by_username"], ""),
                variation_number=v["variation_number"],
                source=gettext(
                    rules.version_source(v["variation_number"], row["origin"]), number=v["variation_number"]
                ),
            )
            for v in versions
        ],
        actions=[
            ContractActionOut(action=a.value, label=gettext(a.label), href=f"/contracts/{contract_id}/{a.value}")
            for a in actions
        ],
    )


async def list_allocations(
    *, actor: Actor, contract_id: int, financial_year: int | None = None
) -> list[AllocationYearOut]:
    """The contract's allocations by year and cluster (one year if asked): three statements."""
    await contract_row(actor, contract_id)
    years = await year_values(contract_id)
    return await _allocations(contract_id, years, financial_year)
