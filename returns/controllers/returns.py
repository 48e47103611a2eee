"""JSON API: reading delivery returns (issue 13, item 7: every status, overdue included; scoped like contracts)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.bounds import MAX_ID
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from returns.queries import returns as queries
from returns.schemas.returns import ReturnOut, ReturnSummary
from web.params import Limit, Offset, PcpgFilter

READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)

StatusFilter = Annotated[
    str | None,
    QueryParameter(name="status", pattern=r"^(not_started|draft|submitted|queried|accepted|overdue)$"),
]
ContractFilter = Annotated[int | None, QueryParameter(name="contract", ge=1, le=MAX_ID)]
VehicleFilter = Annotated[int | None, QueryParameter(name="delivery_vehicle", ge=1, le=MAX_ID)]
YearFilter = Annotated[int | None, QueryParameter(name="financial_year", ge=2020, le=2100)]
Sort = Annotated[str, QueryParameter(name="sort", pattern=r"^-?(due_on|status)$")]


class ReturnController(Controller):
    path = "/api/v1/returns"
    tags = ["Delivery returns"]
    guards = [READERS]

    @get("/", summary="Returns the caller may read, by status (overdue: past due and not submitted), contract, ...")
    async def list_returns(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        status: StatusFilter = None,
        contract: ContractFilter = None,
        delivery_vehicle: VehicleFilter = None,
        pcpg: PcpgFilter = None,
        financial_year: YearFilter = None,
        sort: Sort = "due_on",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[ReturnSummary]:
        return await queries.list_returns(
            actor=actor,
            now=clock.now(),
            status=status,
            contract_id=contract,
            delivery_vehicle_id=delivery_vehicle,
            pcpg_id=pcpg,
            financial_year=financial_year,
            sort=sort,
            limit=limit,
            offset=offset,
        )

    @get("/{return_id:int}", summary="One return whole: its figures, KPI values with RAG, queries and versions")
    async def get_return(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> ReturnOut:
        return await queries.get_return(actor=actor, return_id=return_id, now=clock.now())
