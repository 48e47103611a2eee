"""Reads of delivery vehicles' viability: the thresholds in force, the report (each vehicle's services, value and
status for a year and the three after it) and the decision preview (issue 12, item 7).

What each contract holds in a year is `contracts.rules.held_values`, written here in SQL: every year of its term
at its ContractYear value; after a termination, only the years starting on or before the termination date, at the
value of the quarters kept. The database counts and sums it by vehicle and year (GROUP BY), sorts and pages the
vehicles: a fixed number of statements however many vehicles and contracts there are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from piccolo.querystring import QueryString

from accounts.actor import Actor, Role
from audit.rules import csv_cell
from contracts import rules
from contracts.rules import ContractStatus, Thresholds, VehicleYear
from contracts.schemas.viability import (
    DecisionPreviewOut,
    PreviewYearOut,
    VehicleViabilityOut,
    ViabilityReportOut,
    ViabilityThresholdsOut,
    ViabilityYearOut,
)
from contracts.tables import Contract, ContractYear, ViabilitySetting
from core.clock import LONDON
from core.db import engine
from core.errors import DomainError, NotAllowed, NotFound
from core.i18n import N_, gettext, translate_in
from core.money import format_pounds
from core.pagination import check_window
from core.periods import FinancialYear
from organisations.rules import DeliveryVehicleStatus
from organisations.tables import DeliveryVehicle

_CONTRACT = Contract._meta.tablename
_YEAR = ContractYear._meta.tablename
_VEHICLE = DeliveryVehicle._meta.tablename

FIRST_YEARS = range(2020, 2100)  # the years a report may start in, as contracts' years are bounded (schemas/making)
YEAR_PATTERN = "^(" + "|".join(FinancialYear(year).label for year in FIRST_YEARS) + ")$"
"""Exactly the labels accepted ("2027-28", never "2027-29"), so the API's document says what it takes."""
SORTS = ("name", "services", "value", "status")
SORT_PATTERN = r"^-?(name|services|value|status)$"
DEFAULT_SORT = "name"


def parse_financial_year(label: str) -> int:
    """ "2027-28" as the API and the page's chooser send it; refused naming the parameter."""
    try:
        year = FinancialYear.parse(label).start_year
        if year not in FIRST_YEARS:
            raise ValueError(label)
        return year
    except ValueError as exc:
        raise DomainError("Enter a financial year like 2027-28", field="financial_year") from exc  # a read: 400


def current_financial_year(now: datetime) -> int:
    return FinancialYear.containing(now.astimezone(LONDON).date()).start_year


# --- The thresholds in force ---


async def thresholds_in_force() -> ViabilityThresholdsOut:
    """The newest setting, or the defaults (contracts.rules) until a national administrator sets them."""
    row = await (
        ViabilitySetting.select(
            *ViabilitySetting.all_columns(),
            QueryString(
                'COALESCE((SELECT "person"."full_name" FROM "app_user" AS "person" '
                f'WHERE "person"."username" = "{ViabilitySetting._meta.tablename}"."set_by_username"), '
                f'"{ViabilitySetting._meta.tablename}"."set_by_username")'
            ).as_alias("set_by_name"),
        )
        .order_by(ViabilitySetting.id, ascending=False)  # the newest set (a training clock may go back)
        .first()
    )
    if row is None:
        return ViabilityThresholdsOut(
            min_live_services=rules.DEFAULT_MIN_LIVE_SERVICES,
            min_annual_value_pence=rules.DEFAULT_MIN_ANNUAL_VALUE_PENCE,
            at_risk_margin_percent=rules.AT_RISK_MARGIN_PERCENT,
            is_default=True,
        )
    return ViabilityThresholdsOut(
        min_live_services=int(row["min_live_services"]),
        min_annual_value_pence=int(row["min_annual_value_pence"]),
        at_risk_margin_percent=rules.AT_RISK_MARGIN_PERCENT,
        is_default=False,
        set_at=row["set_at"],
        set_by=row["set_by_username"],
        set_by_name=row["set_by_name"] or "",
    )


def _thresholds(out: ViabilityThresholdsOut) -> Thresholds:
    return Thresholds(out.min_live_services, out.min_annual_value_pence)


# --- What each contract holds, in SQL ---


def _held(year: int, vehicles: QueryString) -> QueryString:
    """One row per contract holding money in `year` (rules.held_values): its vehicle, the year and the value held.
    A terminated contract keeps the quarters starting on or before its termination date, each a quarter of the
    year's value with the remainder's pennies on the first quarters (core.money.split_exact with equal weights):
    kept x (value / 4) + the smaller of kept and (value % 4)."""
    first_days = [first for first, _ in FinancialYear(year).quarters()]
    kept = QueryString(
        " + ".join(['(CASE WHEN "c"."terminated_on" >= {} THEN 1 ELSE 0 END)'] * 4),
        *first_days,
    )
    return QueryString(
        f'SELECT "c"."delivery_vehicle" AS "vehicle", {int(year)} AS "financial_year", '
        f'CASE WHEN "c"."status" = \'{ContractStatus.TERMINATED.value}\' AND "c"."terminated_on" IS NOT NULL '
        'THEN ({}) * ("y"."value_pence" / 4) + CASE WHEN ({}) < ("y"."value_pence" % 4) THEN ({}) '
        'ELSE ("y"."value_pence" % 4) END '
        'ELSE "y"."value_pence" END AS "held" '
        f'FROM "{_YEAR}" AS "y" JOIN "{_CONTRACT}" AS "c" ON "c"."id" = "y"."contract" '
        'WHERE "y"."financial_year" = {} '
        f'AND ("c"."status" <> \'{ContractStatus.TERMINATED.value}\' OR "c"."terminated_on" IS NULL '
        'OR "c"."terminated_on" >= {}) '
        'AND "c"."delivery_vehicle" IN ({})',
        kept,
        kept,
        kept,
        year,
        FinancialYear(year).first_day,
        vehicles,
    )


def _vehicles(condition: int | None, ids: Sequence[int] | None = None) -> QueryString:
    """The ids of the vehicles reported on: approved ones (one, for a provider; those of a page, when given)."""
    sql = f'SELECT "v"."id" FROM "{_VEHICLE}" AS "v" WHERE "v"."status" = \'{DeliveryVehicleStatus.APPROVED.value}\''
    args: list[Any] = []
    if condition is not None:
        sql += ' AND "v"."id" = {}'
        args.append(condition)
    if ids is not None:
        sql += ' AND "v"."id" IN (' + ", ".join(["{}"] * len(ids)) + ")" if ids else " AND 1 = 0"
        args += list(ids)
    return QueryString(sql, *args)


def _by_vehicle_and_year(years: Sequence[int], vehicles: QueryString) -> QueryString:
    """Each vehicle's services and total value per year: one GROUP BY over every year's holdings."""
    held = QueryString(" UNION ALL ".join(["{}"] * len(years)), *[_held(year, vehicles) for year in years])
    return QueryString(
        'SELECT "h"."vehicle" AS "vehicle", "h"."financial_year" AS "financial_year", '
        'COUNT(*) AS "services", SUM("h"."held") AS "value_pence" '
        'FROM ({}) AS "h" GROUP BY "h"."vehicle", "h"."financial_year"',
        held,
    )


def _status_rank(thresholds: Thresholds) -> str:
    """rules.viability in SQL, for sorting: below 0, at risk 1, viable 2 (whole numbers, as the rule)."""
    s, v = int(thresholds.min_services), int(thresholds.min_value_pence)
    margin = 100 + rules.AT_RISK_MARGIN_PERCENT
    services, value = 'COALESCE("a"."services", 0)', 'COALESCE("a"."value_pence", 0)'
    return (
        f"(CASE WHEN {services} < {s} OR {value} < {v} THEN 0 "
        f"WHEN {services} * 100 < {s * margin} OR {value} * 100 < {v * margin} THEN 1 ELSE 2 END)"
    )


def _order(sort: str, thresholds: Thresholds) -> str:
    key = sort.lstrip("-")
    if key not in SORTS:
        raise DomainError("Sort by name, services, value or status", field="sort")  # bad input to a read: a 400
    direction = "DESC" if sort.startswith("-") else "ASC"
    column = {
        "name": 'LOWER("v"."name")',
        "services": 'COALESCE("a"."services", 0)',
        "value": 'COALESCE("a"."value_pence", 0)',
        "status": _status_rank(thresholds),
    }[key]
    return f'{column} {direction}, LOWER("v"."name") {direction}, "v"."id" {direction}'


def _viewer(actor: Actor) -> int | None:
    """Which vehicles an actor reads the viability of: a national administrator every vehicle (None), a provider
    its own; anyone else is refused. Each vehicle's figures count all its contracts, which for a provider are
    exactly the contracts contracts.queries.scope.read_scope gives it."""
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    if actor.role is Role.PROVIDER:
        return actor.delivery_vehicle_id or -1
    raise NotAllowed()


def _year_out(financial_year: int, asked: int, services: int, value: int, thresholds: Thresholds) -> ViabilityYearOut:
    status = rules.viability(
        services=services,
        value_pence=value,
        min_services=thresholds.min_services,
        min_value_pence=thresholds.min_value_pence,
    )
    return ViabilityYearOut(
        financial_year=financial_year,
        financial_year_label=FinancialYear(financial_year).label,
        forecast=financial_year > asked,
        services=services,
        value_pence=value,
        status=status,
        status_label=gettext(status.label),
        status_tag=status.tag,
    )


async def _report(
    *, actor: Actor, financial_year: int, sort: str, limit: int | None, offset: int
) -> ViabilityReportOut:
    viewer = _viewer(actor)
    settings = await thresholds_in_force()
    thresholds = _thresholds(settings)
    order = _order(sort, thresholds)
    years = rules.viability_window(financial_year)
    first = _by_vehicle_and_year([financial_year], _vehicles(viewer))
    window = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
    listed = QueryString(
        f'SELECT "v"."id" AS "id", "v"."name" AS "name" FROM "{_VEHICLE}" AS "v" LEFT JOIN ({{}}) AS "a" '
        'ON "a"."vehicle" = "v"."id" WHERE "v"."id" IN ({}) ' + f"ORDER BY {order}{window}",
        first,
        _vehicles(viewer),
    )
    vehicles = await engine().run_querystring(listed)
    counted = await engine().run_querystring(QueryString('SELECT COUNT(*) AS "n" FROM ({}) AS "v"', _vehicles(viewer)))
    ids = [int(row["id"]) for row in vehicles]
    found: dict[tuple[int, int], tuple[int, int]] = {}
    if ids:
        for row in await engine().run_querystring(_by_vehicle_and_year(years, _vehicles(viewer, ids))):
            found[(int(row["vehicle"]), int(row["financial_year"]))] = (int(row["services"]), int(row["value_pence"]))
    items = [
        VehicleViabilityOut(
            delivery_vehicle_id=int(row["id"]),
            delivery_vehicle=row["name"],
            years=[
                _year_out(year, financial_year, *found.get((int(row["id"]), year), (0, 0)), thresholds)
                for year in years
            ],
        )
        for row in vehicles
    ]
    return ViabilityReportOut(
        financial_year=financial_year,
        financial_year_label=FinancialYear(financial_year).label,
        years=[FinancialYear(year).label for year in years],
        sort=sort,
        thresholds=settings,
        items=items,
        total=int(counted[0]["n"]) if counted else 0,
        limit=len(items) if limit is None else limit,
        offset=offset,
    )


async def viability_report(
    *, actor: Actor, financial_year: int, sort: str = DEFAULT_SORT, limit: int = 50, offset: int = 0
) -> ViabilityReportOut:
    """National administrators: every approved vehicle; a provider: its own; anyone else is refused (403)."""
    check_window(limit, offset)
    return await _report(actor=actor, financial_year=financial_year, sort=sort, limit=limit, offset=offset)


CSV_HEADINGS = (N_("Delivery vehicle"), N_("Services in %(year)s"), N_("Value in %(year)s"), N_("Status in %(year)s"))


async def viability_csv(*, actor: Actor, financial_year: int, sort: str, language: str) -> AsyncIterator[str]:
    """The same table as the page, every vehicle of it, as CSV in `language` (pounds as the page shows them)."""
    report = await _report(actor=actor, financial_year=financial_year, sort=sort, limit=None, offset=0)

    async def lines() -> AsyncIterator[str]:
        headings = [translate_in(language, CSV_HEADINGS[0])]
        for label in report.years:
            headings += [translate_in(language, heading, year=label) for heading in CSV_HEADINGS[1:]]
        yield "\ufeff" + _csv_line(headings)
        for vehicle in report.items:
            cells = [vehicle.delivery_vehicle]
            for year in vehicle.years:
                cells += [
                    str(year.services),
                    format_pounds(year.value_pence, language),
                    translate_in(language, year.status.label),
                ]
            yield _csv_line(cells)

    return lines()


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell(cell) for cell in cells])
    return buffer.getvalue()


async def own_viability(*, actor: Actor, now: datetime) -> list[ViabilityYearOut] | None:
    """A provider's dashboard: its approved vehicle's status this financial year and the next three (None when it
    has no approved vehicle)."""
    if actor.role is not Role.PROVIDER or actor.delivery_vehicle_id is None:
        return None
    report = await viability_report(actor=actor, financial_year=current_financial_year(now), limit=1)
    return report.items[0].years if report.items else None


# --- The decision preview ---


async def vehicle_years(vehicle_id: int, years: Sequence[int]) -> list[VehicleYear]:
    """A vehicle's services and value in the years given, as the report counts them (one statement)."""
    if not years:
        return []
    vehicles = QueryString("{}", vehicle_id)
    rows = await engine().run_querystring(_by_vehicle_and_year(sorted(set(years)), vehicles))
    return [VehicleYear(int(r["financial_year"]), int(r["services"]), int(r["value_pence"])) for r in rows]


def _preview_year(change: rules.StatusChange) -> PreviewYearOut:
    return PreviewYearOut(
        financial_year=change.financial_year,
        financial_year_label=FinancialYear(change.financial_year).label,
        services_now=change.now.services,
        value_now_pence=change.now.value_pence,
        status_now=change.status_now,
        status_now_label=gettext(change.status_now.label),
        status_now_tag=change.status_now.tag,
        services_after=change.after.services,
        value_after_pence=change.after.value_pence,
        status_after=change.status_after,
        status_after_label=gettext(change.status_after.label),
        status_after_tag=change.status_after.tag,
        changes=change.changes,
    )


async def decision_preview(*, vehicle_id: int, changes: Mapping[int, VehicleYear]) -> DecisionPreviewOut:
    """How a decision (an award, a variation, a termination: `rules.deltas_between` of what the contract holds
    before and after) would change its vehicle's status in each year it touches, before it is confirmed. Not
    scoped: the page calling it has checked the reader manages the decision; the figures are the vehicle's totals
    (contract values are published), never another contract's details."""
    vehicle = await DeliveryVehicle.select(DeliveryVehicle.name).where(DeliveryVehicle.id == vehicle_id).first()
    if vehicle is None:
        raise NotFound("No such delivery vehicle")
    thresholds = _thresholds(await thresholds_in_force())
    rows = await vehicle_years(vehicle_id, list(changes))
    return DecisionPreviewOut(
        delivery_vehicle_id=vehicle_id,
        delivery_vehicle=vehicle["name"],
        years=[_preview_year(change) for change in rules.decision_preview(rows, changes, thresholds)],
    )


async def award_preview(*, vehicle_id: int, values: Mapping[int, int]) -> DecisionPreviewOut:
    """An award adds one service to the vehicle in each year of the term, at that year's value."""
    return await decision_preview(vehicle_id=vehicle_id, changes=rules.deltas_between({}, values))


async def _contract_holds(contract_id: int) -> tuple[int, dict[int, int], ContractStatus, date | None]:
    """A contract's vehicle, its ContractYear values, its status and termination date (two statements)."""
    row = await (
        Contract.select(Contract.delivery_vehicle, Contract.status, Contract.terminated_on)
        .where(Contract.id == contract_id)
        .first()
    )
    if row is None:
        raise NotFound("No such contract")
    years = await ContractYear.select(ContractYear.financial_year, ContractYear.value_pence).where(
        ContractYear.contract == contract_id
    )
    values = {int(y["financial_year"]): int(y["value_pence"]) for y in years}
    return int(row["delivery_vehicle"]), values, ContractStatus(row["status"]), row["terminated_on"]


async def variation_preview(*, contract_id: int, values_after: Mapping[int, int]) -> DecisionPreviewOut:
    """A variation moves the contract's years from their values now to `values_after` (a term extended or
    shortened adds or drops years): what it holds before and after, each as `rules.held_values`."""
    vehicle_id, values, status, terminated_on = await _contract_holds(contract_id)
    before = rules.held_values(values, status, terminated_on)
    after = rules.held_values(values_after, status, terminated_on)
    return await decision_preview(vehicle_id=vehicle_id, changes=rules.deltas_between(before, after))


async def termination_preview(*, contract_id: int, terminated_on: date) -> DecisionPreviewOut:
    """A termination keeps only the quarters up to its date (`rules.held_values` of a terminated contract): later
    years stop counting as one of the vehicle's services, the year it falls in keeps the quarters delivered."""
    vehicle_id, values, status, terminated_now = await _contract_holds(contract_id)
    before = rules.held_values(values, status, terminated_now)
    after = rules.held_values(values, ContractStatus.TERMINATED, terminated_on)
    return await decision_preview(vehicle_id=vehicle_id, changes=rules.deltas_between(before, after))
