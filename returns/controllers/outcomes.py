"""JSON API: outcomes against KPIs from accepted returns (issue 13, item 5): a contract's KPIs with RAG and SPC, a
PCPG's contracts' RAG, and the equity view of one KPI across clusters and delivery vehicles."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock, london_day
from core.errors import RuleBroken
from core.pagination import DEFAULT_LIMIT
from core.periods import FinancialYear
from returns.queries import outcomes as queries
from returns.schemas.outcomes import ContractOutcomesOut, EquityOut, PcpgOutcomesOut
from web.params import NO_NUL, Limit, Offset, PcpgFilter, ServiceFilter

READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)
VIEWERS = requires_role(Role.COMMISSIONER, Role.NATIONAL_ADMIN)

YearFilter = Annotated[
    int | None,
    QueryParameter(
        name="financial_year", ge=2020, le=2100, description="Its first year (2027 for 2027-28); default now"
    ),
]
KpiFilter = Annotated[
    str | None,
    QueryParameter(
        name="kpi", min_length=1, max_length=300, pattern=NO_NUL, description="A menu KPI's code, or a KPI's name"
    ),
]
Sort = Annotated[
    str,
    QueryParameter(
        name="sort", pattern=queries.SORT_PATTERN, description="reference, title or delivery_vehicle; - reverses"
    ),
]


def chosen_year(financial_year: int | None, clock: Clock) -> int:
    if financial_year is not None:
        return financial_year
    return FinancialYear.containing(london_day(clock.now())).start_year


def chosen_pcpg(actor: Actor, pcpg: int | None) -> int:
    """A commissioner's view opens on their first PCPG; a national administrator names one."""
    if pcpg is not None:
        return pcpg
    if actor.role is Role.COMMISSIONER and actor.pcpg_ids:
        return min(actor.pcpg_ids)
    raise RuleBroken("Choose a PCPG", field="pcpg")


class OutcomesController(Controller):
    path = "/api/v1"
    tags = ["Outcomes"]

    @get(
        "/contracts/{contract_id:int}/outcomes",
        guards=[READERS],
        summary="Each KPI quarter by quarter from accepted returns: value, target, RAG, SPC reading and chart",
    )
    async def contract_outcomes(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> ContractOutcomesOut:
        return await queries.contract_outcomes(actor=actor, contract_id=contract_id, now=clock.now())

    @get("/outcomes", guards=[VIEWERS], summary="A PCPG's contracts with each KPI's latest accepted RAG in the year")
    async def pcpg_outcomes(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        pcpg: PcpgFilter = None,
        financial_year: YearFilter = None,
        sort: Sort = queries.DEFAULT_SORT,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> PcpgOutcomesOut:
        return await queries.pcpg_outcomes(
            actor=actor,
            pcpg_id=chosen_pcpg(actor, pcpg),
            financial_year=chosen_year(financial_year, clock),
            sort=sort,
            limit=limit,
            offset=offset,
        )

    @get(
        "/equity",
        guards=[VIEWERS],
        summary="One KPI of a menu service across clusters (activity per 1,000 population) and delivery vehicles",
    )
    async def equity(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        service: ServiceFilter = None,
        kpi: KpiFilter = None,
        financial_year: YearFilter = None,
    ) -> EquityOut:
        if service is None:
            raise RuleBroken("Choose a service from the national menu", field="service")
        if kpi is None or not kpi.strip():
            raise RuleBroken("Choose a KPI", field="kpi")
        return await queries.equity_view(
            actor=actor, menu_service_id=service, kpi=kpi, financial_year=chosen_year(financial_year, clock)
        )
