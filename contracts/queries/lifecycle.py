"""What the lifecycle pages show of a contract the reader manages: its status, term, KPIs, years, clusters, activity
plan and split, with the moves open to them now; a handful of statements, none per row."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from accounts.actor import Actor
from contracts import rules
from contracts.queries.scope import manage_scope, scoped
from contracts.rules import ContractAction, ContractStatus
from contracts.tables import (
    Contract,
    ContractActivity,
    ContractAllocation,
    ContractCluster,
    ContractKpi,
    ContractYear,
)
from core.clock import london_day
from core.errors import NotFound
from core.i18n import current_language, gettext
from core.periods import FinancialYear
from menu.queries import unit_shown


class KpiRow(msgspec.Struct, frozen=True):
    id: int
    name: str
    unit: str
    direction: str
    higher_is_better: bool
    baseline: str
    target: str
    green_from: str
    red_from: str


class YearRow(msgspec.Struct, frozen=True):
    financial_year: int
    label: str
    value_pence: int


class ClusterRow(msgspec.Struct, frozen=True):
    id: int
    name: str
    population: int | None
    name_is_english: bool = False  # on a Welsh page, a cluster with no Welsh name is marked lang="en"


class ContractForMove(msgspec.Struct, frozen=True):
    """A managed contract as the lifecycle pages need it; `actions` are the moves open now (rules.contract_actions)."""

    id: int
    reference: str
    title: str
    status: str
    status_label: str
    status_tag: str
    start_on: date
    end_on: date
    live_from_on: date | None
    terminated_on: date | None
    status_reason: str
    today: date
    kpis: list[KpiRow]
    years: list[YearRow]
    clusters: list[ClusterRow]
    activity: dict[str, int]
    allocations: dict[str, int]
    allocation_method: str
    actions: list[str]


async def get_contract_for_move(*, actor: Actor, contract_id: int, now: datetime) -> ContractForMove:
    row = await scoped(Contract.select().where(Contract.id == contract_id), manage_scope(actor)).first()
    if row is None:
        raise NotFound("No such contract")
    status = ContractStatus(row["status"])
    welsh = current_language.get() == "cy"
    kpis = await ContractKpi.select().where(ContractKpi.contract == contract_id).order_by(ContractKpi.position)
    years = (
        await ContractYear.select(ContractYear.financial_year, ContractYear.value_pence)
        .where(ContractYear.contract == contract_id)
        .order_by(ContractYear.financial_year)
    )
    clusters = (
        await ContractCluster.select(
            ContractCluster.cluster.id.as_alias("id"),
            ContractCluster.cluster.name.as_alias("name"),
            ContractCluster.cluster.name_cy.as_alias("name_cy"),
            ContractCluster.cluster.population.as_alias("population"),
        )
        .where(ContractCluster.contract == contract_id)
        .order_by(ContractCluster.cluster.name)
    )
    activity = await ContractActivity.select().where(ContractActivity.contract == contract_id)
    allocations = await ContractAllocation.select(
        ContractAllocation.financial_year,
        ContractAllocation.cluster,
        ContractAllocation.amount_pence,
        ContractAllocation.method,
    ).where(ContractAllocation.contract == contract_id)
    today = london_day(now)
    return ContractForMove(
        id=int(row["id"]),
        reference=row["reference"],
        title=row["title_cy"] if welsh and row["title_cy"] else row["title"],
        status=status.value,
        status_label=gettext(status.label),
        status_tag=status.tag,
        start_on=row["start_on"],
        end_on=row["end_on"],
        live_from_on=row["live_from_on"],
        terminated_on=row["terminated_on"],
        status_reason=row["status_reason"],
        today=today,
        kpis=[
            KpiRow(
                id=int(k["id"]),
                name=k["name_cy"] if welsh and k["name_cy"] else k["name"],
                unit=unit_shown(k["unit"]),
                direction=k["direction"],
                higher_is_better=k["direction"] != rules.KpiDirection.LOWER_IS_BETTER,
                baseline=k["baseline"],
                target=k["target"],
                green_from=k["green_from"],
                red_from=k["red_from"],
            )
            for k in kpis
        ],
        years=[
            YearRow(
                financial_year=int(y["financial_year"]),
                label=FinancialYear(int(y["financial_year"])).label,
                value_pence=int(y["value_pence"]),
            )
            for y in years
        ],
        clusters=[
            ClusterRow(
                id=int(c["id"]),
                name=c["name_cy"] if welsh and c["name_cy"] else c["name"],
                population=c["population"],
                name_is_english=welsh and not c["name_cy"],
            )
            for c in clusters
        ],
        activity={f"{a['financial_year']}-{a['quarter']}": int(a["units"]) for a in activity},
        allocations={f"{a['financial_year']}-{a['cluster']}": int(a["amount_pence"]) for a in allocations},
        allocation_method=allocations[0]["method"] if allocations else "",
        actions=[
            action.value
            for action in rules.contract_actions(manages=True, status=status, today=today, end_on=row["end_on"])
        ],
    )


def can(contract: ContractForMove, action: ContractAction) -> bool:
    return action.value in contract.actions
