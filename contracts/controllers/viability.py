"""JSON API: delivery vehicles' viability and the national thresholds (issue 12, item 7)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import Body, QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role, signed_in
from contracts.queries import viability as queries
from contracts.schemas.viability import ViabilityReportOut, ViabilityThresholdsIn, ViabilityThresholdsOut
from contracts.services import viability as services
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT
from web.params import Limit, Offset

REPORT_READERS = requires_role(Role.NATIONAL_ADMIN, Role.PROVIDER)
SETTERS = requires_role(Role.NATIONAL_ADMIN)
FinancialYearLabel = Annotated[
    str | None,
    QueryParameter(
        name="financial_year",
        pattern=queries.YEAR_PATTERN,
        description='The first year of the report, like "2027-28"; the three after it are forecast. Default: now',
    ),
]
Sort = Annotated[
    str,
    QueryParameter(
        name="sort",
        pattern=queries.SORT_PATTERN,
        description="name, services, value or status (in the first year); a leading - reverses it",
    ),
]


class ViabilityController(Controller):
    path = "/api/v1/viability"
    tags = ["Viability"]

    @get("/", guards=[REPORT_READERS], summary="Each delivery vehicle's services, value and status, with a forecast")
    async def report(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        financial_year: FinancialYearLabel = None,
        sort: Sort = queries.DEFAULT_SORT,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> ViabilityReportOut:
        year = (
            queries.parse_financial_year(financial_year)
            if financial_year is not None
            else queries.current_financial_year(clock.now())
        )
        return await queries.viability_report(actor=actor, financial_year=year, sort=sort, limit=limit, offset=offset)

    @get("/thresholds", guards=[signed_in], summary="The national thresholds in force (anyone signed in)")
    async def thresholds(self) -> ViabilityThresholdsOut:
        return await queries.thresholds_in_force()

    @put("/thresholds", guards=[SETTERS], summary="Set the national thresholds (national administrators)")
    async def set_thresholds(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        data: Annotated[ViabilityThresholdsIn, Body()],
    ) -> ViabilityThresholdsOut:
        return await services.set_viability_thresholds(
            actor=actor,
            min_live_services=data.min_live_services,
            min_annual_value_pence=data.min_annual_value_pence,
            now=clock.now(),
        )
