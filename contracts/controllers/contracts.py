"""JSON API: reading contracts (issue 12, item 1) and their allocations by cluster (item 2)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import Body, QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from contracts.queries import contracts as queries
from contracts.schemas.contract import AllocationYearOut, ContractOut, ContractSummary
from contracts.schemas.lifecycle import AllocationSplitIn, ContractStatusOut
from contracts.services import lifecycle
from core.bounds import MAX_ID
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from web.params import Limit, Offset, PcpgFilter, ServiceFilter

READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)

StatusFilter = Annotated[
    str | None, QueryParameter(name="status", pattern=r"^(mobilising|live|suspended|terminated|expired)$")
]
VehicleFilter = Annotated[int | None, QueryParameter(name="delivery_vehicle", ge=1, le=MAX_ID)]
YearFilter = Annotated[int | None, QueryParameter(name="financial_year", ge=2020, le=2100)]
Sort = Annotated[str, QueryParameter(name="sort", pattern=r"^-?(reference|title|start_on|value|status)$")]


class ContractController(Controller):
    path = "/api/v1/contracts"
    tags = ["Contracts"]
    guards = [READERS]

    @get(
        "/",
        summary="Contracts the caller may read: a provider its vehicle's, a commissioner its PCPGs', a finance "
        "director its health board's",
    )
    async def list_contracts(
        self,
        actor: NamedDependency[Actor],
        status: StatusFilter = None,
        pcpg: PcpgFilter = None,
        delivery_vehicle: VehicleFilter = None,
        service: ServiceFilter = None,
        financial_year: YearFilter = None,
        sort: Sort = "reference",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[ContractSummary]:
        return await queries.list_contracts(
            actor=actor,
            status=status,
            pcpg_id=pcpg,
            delivery_vehicle_id=delivery_vehicle,
            menu_service_id=service,
            financial_year=financial_year,
            sort=sort,
            limit=limit,
            offset=offset,
        )

    @get("/{contract_id:int}", summary="The contract whole: particulars, schedules, allocations, history, actions")
    async def get_contract(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> ContractOut:
        return await queries.get_contract(actor=actor, contract_id=contract_id, now=clock.now())

    @get("/{contract_id:int}/allocations", summary="Each year's value by cluster, with the population used")
    async def allocations(
        self, actor: NamedDependency[Actor], contract_id: int, financial_year: YearFilter = None
    ) -> list[AllocationYearOut]:
        return await queries.list_allocations(actor=actor, contract_id=contract_id, financial_year=financial_year)

    @put(
        "/{contract_id:int}/allocations",
        guards=[requires_role(Role.COMMISSIONER)],
        summary="Enter the split by cluster (pounds or percentages) while mobilising",
    )
    async def set_allocations(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        data: Annotated[AllocationSplitIn, Body()],
    ) -> ContractStatusOut:
        """Beside the reading of the same address: Litestar answers one path's OPTIONS from one controller."""
        return await lifecycle.set_allocations(actor=actor, contract_id=contract_id, data=data, now=clock.now())
