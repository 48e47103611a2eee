"""Outcomes against KPIs (issue 13, item 5): a contract's KPIs quarter by quarter with RAG and the NHS "Making Data
Count" SPC reading (returns.spc, drawn by returns.chart), a PCPG's contracts' latest RAG, and the equity view of one
KPI across the clusters and delivery vehicles delivering one menu service.

Only ACCEPTED returns count: a draft, submitted or queried return's figures are the vehicle's until the commissioner
accepts them. Every read is scoped with returns.queries.scope.read_scope (on the contract's years, KPIs, clusters,
allocations and returns, all of which name their contract), so a contract out of scope answers as an absent one; each
read is a fixed number of statements whatever the number of contracts, KPIs or quarters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from piccolo.query.functions.aggregate import Sum

from accounts.actor import Actor, Role
from contracts.tables import ContractAllocation, ContractCluster, ContractKpi, ContractYear
from core.clock import london_day
from core.errors import NotFound, RuleBroken
from core.i18n import gettext, in_reading_language, name_in_reading_language, order_in_reading_language
from core.pagination import check_window
from core.periods import FinancialYear
from menu.tables import MenuKpi, MenuServiceVersion
from organisations.tables import Pcpg
from returns import rules
from returns.chart import spc_chart_svg, spc_table_rows
from returns.queries.scope import read_scope, scoped
from returns.rules import RAG, Direction, ReturnStatus
from returns.schemas.outcomes import (
    ContractOutcomesOut,
    ContractRagOut,
    EquityClusterOut,
    EquityOut,
    EquityVehicleOut,
    KpiOutcomeOut,
    KpiQuarterOut,
    KpiRagOut,
    PcpgOutcomesOut,
    SpcOut,
)
from returns.spc import spc
from returns.tables import DeliveryReturn, ReturnActivity, ReturnKpiValue

ACCEPTED = ReturnStatus.ACCEPTED.value
DEFAULT_SORT = "reference"
SORT_PATTERN = r"^-?(reference|title|delivery_vehicle)$"


def quarter_label(financial_year: int, quarter: int) -> str:
    return gettext(rules.QUARTER_LABEL, year=FinancialYear(financial_year).label, quarter=quarter)


def _value(text: str | None) -> Decimal | None:
    return rules.threshold(text) if text is not None else None


def _rag_words(rag: RAG) -> dict[str, Any]:
    return {"rag": rag, "rag_label": gettext(rag.label), "rag_tag": rag.tag}


# --- One contract's outcomes ---


async def contract_outcomes(*, actor: Actor, contract_id: int, now: datetime) -> ContractOutcomesOut:
    """Each KPI over the quarters that have ended (and any accepted before its end), oldest first: its accepted value
    (none where the quarter's return is not accepted: a gap in the chart, which breaks SPC runs rather than being
    guessed), the target, the RAG status (returns.rules.kpi_rag) and the SPC reading with its chart and table. Four
    statements."""
    today = london_day(now)
    y: Any = ContractYear
    head = await scoped(
        ContractYear.select(
            y.contract.reference.as_alias("reference"),
            y.contract.title.as_alias("title"),
            y.contract.title_cy.as_alias("title_cy"),
            y.contract.delivery_vehicle.name.as_alias("vehicle"),
            in_reading_language(y.contract.pcpg.name, y.contract.pcpg.name_cy, alias="pcpg"),
        ).where(ContractYear.contract == contract_id),
        read_scope(actor, ContractYear),
    ).first()
    if head is None:
        raise NotFound("No such contract")
    k: Any = ContractKpi
    kpis = (
        await ContractKpi.select(*ContractKpi.all_columns(), in_reading_language(k.name, k.name_cy, alias="shown"))
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
        .order_by(ContractKpi.id)
    )
    returns = await scoped(
        DeliveryReturn.select(
            DeliveryReturn.financial_year, DeliveryReturn.quarter, DeliveryReturn.period_to, DeliveryReturn.status
        )
        .where(DeliveryReturn.contract == contract_id)
        .order_by(DeliveryReturn.financial_year)
        .order_by(DeliveryReturn.quarter),
        read_scope(actor),
    )
    v: Any = ReturnKpiValue
    values = await scoped(
        ReturnKpiValue.select(
            ReturnKpiValue.contract_kpi,
            ReturnKpiValue.value,
            v.delivery_return.financial_year.as_alias("financial_year"),
            v.delivery_return.quarter.as_alias("quarter"),
        ).where((v.delivery_return.contract == contract_id) & (v.delivery_return.status == ACCEPTED)),
        read_scope(actor, v.delivery_return),
    )
    accepted = {(r["contract_kpi"], r["financial_year"], r["quarter"]): _value(r["value"]) for r in values}
    quarters = [
        (r["financial_year"], r["quarter"])
        for r in returns
        if r["status"] == ACCEPTED or rules.quarter_has_ended(r["period_to"], today)
    ]
    return ContractOutcomesOut(
        contract_id=contract_id,
        reference=head["reference"],
        title=name_in_reading_language(head["title"], head["title_cy"]),
        delivery_vehicle=head["vehicle"],
        pcpg=head["pcpg"],
        quarters_ended=len(quarters),
        quarters_accepted=sum(1 for r in returns if r["status"] == ACCEPTED),
        kpis=[_kpi_outcome(kpi, quarters, accepted) for kpi in kpis],
    )


def _kpi_outcome(
    kpi: dict[str, Any], quarters: list[tuple[int, int]], accepted: Mapping[tuple[int, int, int], Decimal | None]
) -> KpiOutcomeOut:
    direction = Direction(kpi["direction"])
    labels = [quarter_label(year, quarter) for year, quarter in quarters]
    series = [(label, accepted.get((kpi["id"], *key))) for label, key in zip(labels, quarters, strict=True)]
    reading = spc(series, direction, target=rules.threshold(kpi["target"]))
    chart_id = f"kpi-{kpi['id']}"
    table = spc_table_rows(reading)
    rows: list[KpiQuarterOut] = []
    for (year, quarter), point, row in zip(quarters, reading.points, table, strict=True):
        rag = rules.kpi_rag(point.value, direction, kpi["green_from"], kpi["red_from"])
        rows.append(
            KpiQuarterOut(
                financial_year=year,
                quarter=quarter,
                period=point.period,
                value=point.value,
                variation=point.variation,
                signal=row.signal,
                **_rag_words(rag),
            )
        )
    latest = next((row for row in reversed(rows) if row.value is not None), None)
    latest_rag = latest.rag if latest else RAG.NOT_RATED
    return KpiOutcomeOut(
        contract_kpi_id=kpi["id"],
        name=kpi["shown"],
        unit=kpi["unit"],
        direction=direction.value,
        direction_label=gettext(direction.label),
        target=kpi["target"],
        green_from=kpi["green_from"],
        red_from=kpi["red_from"],
        quarters=rows,
        latest_rag=latest_rag,
        latest_rag_label=gettext(latest_rag.label),
        latest_rag_tag=latest_rag.tag,
        latest_period=latest.period if latest else None,
        spc=SpcOut(
            limits=reading.limits,
            limits_status=reading.limits_status,
            baseline_points=reading.baseline_points,
            screened=reading.screened,
            variation_icon=reading.variation_icon,
            variation_label=gettext(reading.variation_icon.label) if reading.variation_icon else "",
            assurance=reading.assurance,
            assurance_label=gettext(reading.assurance.label) if reading.assurance else "",
            notes=[gettext(message, **params) for message, params in reading.notes()],
        ),
        chart_svg=str(spc_chart_svg(reading, title=kpi["shown"], chart_id=chart_id)),
        chart_id=chart_id,
        table=table,
    )


# --- A PCPG's contracts ---


def pcpg_in_reach(actor: Actor, pcpg_id: int) -> bool:
    """The PCPG view is the commissioner's of their own PCPGs, and any PCPG's for a national administrator (the
    contracts listed are then scoped by read_scope as well)."""
    if actor.role is Role.NATIONAL_ADMIN:
        return True
    return actor.role is Role.COMMISSIONER and pcpg_id in actor.pcpg_ids


def _sorts() -> dict[str, Any]:
    y: Any = ContractYear
    return {
        "reference": y.contract.reference,
        "title": order_in_reading_language(y.contract.title, y.contract.title_cy),
        "delivery_vehicle": y.contract.delivery_vehicle.name,
    }


async def pcpg_outcomes(
    *,
    actor: Actor,
    pcpg_id: int,
    financial_year: int,
    sort: str = DEFAULT_SORT,
    limit: int = 50,
    offset: int = 0,
) -> PcpgOutcomesOut:
    """Every contract of the PCPG holding a value in the financial year (a `ContractYear`), one row each, with each
    KPI's RAG in the latest quarter of the year with an accepted return and the counts of green, amber and red:
    filtered, sorted (by reference, title or delivery vehicle; a leading - reverses), counted and paged in SQL. The
    RAG counts are the rule's reading of text thresholds (returns.rules.kpi_rag), so they are not a sort. Five
    statements."""
    check_window(limit, offset)
    name, ascending = (sort[1:], False) if sort.startswith("-") else (sort, True)
    sorts = _sorts()
    if name not in sorts:
        raise RuleBroken("Sort by reference, title or delivery_vehicle", field="sort")
    if not pcpg_in_reach(
        actor, pcpg_id
    ):  # a filter, not an address: a problem naming it (schemathesis: an undocumented 404)
        raise RuleBroken("Choose one of your PCPGs", field="pcpg")
    pcpg = (
        await Pcpg.select(in_reading_language(Pcpg.name, Pcpg.name_cy, alias="shown")).where(Pcpg.id == pcpg_id).first()
    )
    if pcpg is None:
        raise RuleBroken("Choose one of your PCPGs", field="pcpg")
    y: Any = ContractYear
    condition = (ContractYear.financial_year == financial_year) & (y.contract.pcpg == pcpg_id)
    scope = read_scope(actor, ContractYear)
    query = scoped(
        ContractYear.select(
            ContractYear.contract,
            y.contract.reference.as_alias("reference"),
            y.contract.title.as_alias("title"),
            y.contract.title_cy.as_alias("title_cy"),
            y.contract.delivery_vehicle.name.as_alias("vehicle"),
        ).where(condition),
        scope,
    )
    query = query.order_by(sorts[name], ascending=ascending).order_by(ContractYear.contract, ascending=ascending)
    rows = await query.limit(limit).offset(offset)
    total = await scoped(ContractYear.count().where(condition), scope)
    ids = [row["contract"] for row in rows]
    kpis_by_contract: dict[int, list[dict[str, Any]]] = {}
    latest: dict[int, tuple[int, Decimal | None]] = {}
    if ids:
        k: Any = ContractKpi
        for kpi in (
            await ContractKpi.select(*ContractKpi.all_columns(), in_reading_language(k.name, k.name_cy, alias="shown"))
            .where(ContractKpi.contract.is_in(ids))
            .order_by(ContractKpi.position)
            .order_by(ContractKpi.id)
        ):
            kpis_by_contract.setdefault(kpi["contract"], []).append(kpi)
        v: Any = ReturnKpiValue
        for value in await scoped(
            ReturnKpiValue.select(
                ReturnKpiValue.contract_kpi, ReturnKpiValue.value, v.delivery_return.quarter.as_alias("quarter")
            ).where(
                v.delivery_return.contract.is_in(ids)
                & (v.delivery_return.status == ACCEPTED)
                & (v.delivery_return.financial_year == financial_year)
            ),
            read_scope(actor, v.delivery_return),
        ):
            held = latest.get(value["contract_kpi"])
            if held is None or value["quarter"] > held[0]:
                latest[value["contract_kpi"]] = (value["quarter"], _value(value["value"]))
    items = []
    for row in rows:
        kpis = []
        for kpi in kpis_by_contract.get(row["contract"], []):
            quarter, value = latest.get(kpi["id"], (0, None))
            rag = rules.kpi_rag(value, kpi["direction"], kpi["green_from"], kpi["red_from"])
            kpis.append(
                KpiRagOut(
                    contract_kpi_id=kpi["id"],
                    name=kpi["shown"],
                    period=quarter_label(financial_year, quarter) if quarter else None,
                    value=value,
                    **_rag_words(rag),
                )
            )
        items.append(
            ContractRagOut(
                contract_id=row["contract"],
                reference=row["reference"],
                title=name_in_reading_language(row["title"], row["title_cy"]),
                delivery_vehicle=row["vehicle"],
                green=sum(1 for kpi in kpis if kpi.rag is RAG.GREEN),
                amber=sum(1 for kpi in kpis if kpi.rag is RAG.AMBER),
                red=sum(1 for kpi in kpis if kpi.rag is RAG.RED),
                not_rated=sum(1 for kpi in kpis if kpi.rag is RAG.NOT_RATED),
                kpis=kpis,
            )
        )
    return PcpgOutcomesOut(
        pcpg_id=pcpg_id,
        pcpg=pcpg["shown"],
        financial_year=financial_year,
        year_label=FinancialYear(financial_year).label,
        sort=sort,
        items=items,
        total=total,
        limit=limit,
        offset=offset,
    )


# --- The equity view ---


async def equity_view(*, actor: Actor, menu_service_id: int, kpi: str, financial_year: int) -> EquityOut:
    """One KPI across the clusters and delivery vehicles delivering one menu service in a financial year: "less of a
    postcode lottery".

    "The same KPI": a contract's KPIs are copied from its specification, which a commissioner writes from the menu
    service's suggested KPIs (`MenuKpi`) and may reword; no column links a `ContractKpi` back to a `MenuKpi`. So the
    same KPI is a `ContractKpi` with exactly the same English name, on a contract made from any version of the same
    menu service. `kpi` is a `MenuKpi` code of that service (any version: every name that code has had counts) or a
    KPI's name (English or Welsh, any case, matched to the menu's English name where it is one; else taken as the
    English name). A contract that words the KPI differently is not compared; one with two KPIs of that name is
    compared on the first.

    Per delivery vehicle (one row per contract): the KPI's accepted values in the year, their mean and the latest
    with its RAG. Per cluster a contract covers: the activity units its accepted returns report for the year, per
    1,000 population where the population is known: the population the contract's allocation for the year used
    (as it stood then), else the cluster's current population, saying which and its source. A cluster with neither
    is listed apart, never given a guessed population. Scoped with read_scope: a commissioner compares their PCPGs'
    contracts, a national administrator every contract. Not paged: at most every cluster of Wales (60) for each
    contract of one service. Seven statements."""
    year = FinancialYear(financial_year)
    s: Any = MenuServiceVersion
    versions = (
        await MenuServiceVersion.select(
            MenuServiceVersion.version,
            in_reading_language(MenuServiceVersion.name, MenuServiceVersion.name_cy, alias="name"),
            in_reading_language(
                MenuServiceVersion.unit_of_activity, MenuServiceVersion.unit_of_activity_cy, alias="unit"
            ),
            s.menu_service.current_version.as_alias("current"),
        )
        .where(MenuServiceVersion.menu_service == menu_service_id)
        .order_by(MenuServiceVersion.version)
    )
    if not versions:
        raise RuleBroken("Choose a service from the national menu", field="service")
    shown_version = next((v for v in versions if v["version"] == v["current"]), versions[-1])
    m: Any = MenuKpi
    menu_kpis = (
        await MenuKpi.select(
            MenuKpi.code,
            MenuKpi.name,
            MenuKpi.name_cy,
            MenuKpi.unit,
            in_reading_language(MenuKpi.name, MenuKpi.name_cy, alias="shown"),
            m.menu_service_version.version.as_alias("version"),
        )
        .where(m.menu_service_version.menu_service == menu_service_id)
        .order_by(m.menu_service_version.version)
    )
    text = kpi.strip()
    folded = text.casefold()
    matched = [row for row in menu_kpis if row["code"] == text] or [
        row for row in menu_kpis if folded in (row["name"].casefold(), row["name_cy"].casefold())
    ]
    names = sorted({row["name"] for row in matched} or {text})
    kpi_shown = matched[-1]["shown"] if matched else text

    k: Any = ContractKpi
    contract_kpis = await scoped(
        ContractKpi.select(
            ContractKpi.id,
            ContractKpi.contract,
            ContractKpi.unit,
            ContractKpi.direction,
            ContractKpi.green_from,
            ContractKpi.red_from,
            in_reading_language(k.name, k.name_cy, alias="shown"),
            k.contract.reference.as_alias("reference"),
            k.contract.delivery_vehicle.name.as_alias("vehicle"),
            in_reading_language(k.contract.pcpg.name, k.contract.pcpg.name_cy, alias="pcpg"),
        )
        .where(
            ContractKpi.name.is_in(names)
            & (k.contract.menu_service_version.menu_service == menu_service_id)
            & (k.contract.start_on <= year.last_day)
            & (k.contract.end_on >= year.first_day)
        )
        .order_by(k.contract.reference)
        .order_by(ContractKpi.position)
        .order_by(ContractKpi.id),
        read_scope(actor, ContractKpi),
    )
    if not matched and not contract_kpis:
        raise RuleBroken("No KPI of this service has that code or name", field="kpi")
    by_contract: dict[int, dict[str, Any]] = {}
    for row in contract_kpis:
        by_contract.setdefault(row["contract"], row)
    if not by_contract:
        return EquityOut(
            menu_service_id=menu_service_id,
            service=shown_version["name"],
            unit_of_activity=shown_version["unit"],
            kpi=kpi_shown,
            kpi_names=names,
            kpi_unit=matched[-1]["unit"] if matched else "",
            financial_year=financial_year,
            year_label=year.label,
            vehicles=[],
            clusters=[],
            clusters_without_population=[],
        )
    contract_ids = list(by_contract)
    kpi_ids = [row["id"] for row in by_contract.values()]

    v: Any = ReturnKpiValue
    readings: dict[int, list[tuple[int, int, Decimal | None]]] = {}
    for value in await scoped(
        ReturnKpiValue.select(
            ReturnKpiValue.contract_kpi, ReturnKpiValue.value, v.delivery_return.quarter.as_alias("quarter")
        ).where(
            ReturnKpiValue.contract_kpi.is_in(kpi_ids)
            & (v.delivery_return.status == ACCEPTED)
            & (v.delivery_return.financial_year == financial_year)
        ),
        read_scope(actor, v.delivery_return),
    ):
        readings.setdefault(value["contract_kpi"], []).append(
            (financial_year, value["quarter"], _value(value["value"]))
        )
    c: Any = ContractCluster
    covered = await scoped(
        ContractCluster.select(
            ContractCluster.contract,
            ContractCluster.cluster,
            in_reading_language(c.cluster.name, c.cluster.name_cy, alias="name"),
            c.cluster.population.as_alias("population"),
            c.cluster.population_source.as_alias("source"),
            c.cluster.population_as_of.as_alias("as_of"),
        )
        .where(ContractCluster.contract.is_in(contract_ids))
        .order_by(order_in_reading_language(c.cluster.name, c.cluster.name_cy))
        .order_by(ContractCluster.contract),
        read_scope(actor, ContractCluster),
    )
    allocations = {
        (row["contract"], row["cluster"]): row
        for row in await scoped(
            ContractAllocation.select(
                ContractAllocation.contract,
                ContractAllocation.cluster,
                ContractAllocation.population,
                ContractAllocation.population_source,
                ContractAllocation.population_as_of,
            ).where(
                ContractAllocation.contract.is_in(contract_ids)
                & (ContractAllocation.financial_year == financial_year)
                & ContractAllocation.population.is_not_null()
            ),
            read_scope(actor, ContractAllocation),
        )
    }
    a: Any = ReturnActivity
    units = {
        (row["contract"], row["cluster"]): int(row["units"] or 0)
        for row in await scoped(
            ReturnActivity.select(
                a.delivery_return.contract.as_alias("contract"),
                ReturnActivity.cluster,
                Sum(ReturnActivity.units).as_alias("units"),
            )
            .where(
                a.delivery_return.contract.is_in(contract_ids)
                & (a.delivery_return.status == ACCEPTED)
                & (a.delivery_return.financial_year == financial_year)
            )
            .group_by(a.delivery_return.contract, ReturnActivity.cluster),
            read_scope(actor, a.delivery_return),
        )
    }

    vehicles: list[EquityVehicleOut] = []
    latest_by_contract: dict[int, tuple[str | None, Decimal | None, RAG]] = {}
    for contract_id, row in by_contract.items():
        found = readings.get(row["id"], [])
        latest = rules.latest_rag(found, row["direction"], row["green_from"], row["red_from"])
        period = quarter_label(financial_year, latest[1]) if latest else None
        value = latest[2] if latest else None
        rag = latest[3] if latest else RAG.NOT_RATED
        latest_by_contract[contract_id] = (period, value, rag)
        vehicles.append(
            EquityVehicleOut(
                contract_id=contract_id,
                contract_reference=row["reference"],
                delivery_vehicle=row["vehicle"],
                pcpg=row["pcpg"],
                quarters_reported=sum(1 for _, _, reported in found if reported is not None),
                mean=rules.mean_of([reported for _, _, reported in found]),
                latest_period=period,
                latest_value=value,
                **_rag_words(rag),
            )
        )
    known: list[EquityClusterOut] = []
    unknown: list[EquityClusterOut] = []
    for row in covered:
        key = (row["contract"], row["cluster"])
        allocation = allocations.get(key)
        if allocation is not None:
            population = int(allocation["population"])
            basis = "allocation"
            note = gettext(
                "Used for the %(year)s allocation: %(source)s",
                year=year.label,
                source=_source(allocation["population_source"], allocation["population_as_of"]),
            )
        elif row["population"] is not None:
            population = int(row["population"])
            basis = "cluster"
            note = gettext("The cluster's current population: %(source)s", source=_source(row["source"], row["as_of"]))
        else:
            population, basis, note = None, "unknown", gettext("Population not known")
        delivered = units.get(key)
        period, value, rag = latest_by_contract[row["contract"]]
        entry = EquityClusterOut(
            cluster_id=row["cluster"],
            cluster=row["name"],
            contract_id=row["contract"],
            contract_reference=by_contract[row["contract"]]["reference"],
            delivery_vehicle=by_contract[row["contract"]]["vehicle"],
            units=delivered,
            population=population,
            population_basis=basis,
            population_note=note,
            per_thousand=rules.per_thousand(delivered, population),
            kpi_value=value,
            kpi_period=period,
            **_rag_words(rag),
        )
        (known if population is not None else unknown).append(entry)
    first = next(iter(by_contract.values()))
    return EquityOut(
        menu_service_id=menu_service_id,
        service=shown_version["name"],
        unit_of_activity=shown_version["unit"],
        kpi=kpi_shown if matched else first["shown"],
        kpi_names=names,
        kpi_unit=first["unit"],
        financial_year=financial_year,
        year_label=year.label,
        vehicles=vehicles,
        clusters=known,
        clusters_without_population=unknown,
    )


def _source(source: str | None, as_of: str | None) -> str:
    text = (source or "").strip() or gettext("source not recorded")
    return f"{text} ({as_of})" if as_of else text
