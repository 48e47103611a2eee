"""JSON API: a contract's annual performance ratings (issue 13, item 6): its readers read them; the commissioner of
its PCPG records a year's, every KPI at once."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from core.clock import Clock
from returns.queries import ratings as queries
from returns.schemas.ratings import ContractRatingsOut, PerformanceRatingsIn
from returns.services import ratings as services

READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)
RATERS = requires_role(Role.COMMISSIONER)


class PerformanceRatingController(Controller):
    path = "/api/v1/contracts/{contract_id:int}/ratings"
    tags = ["Delivery returns"]
    before_request = ids_in_range

    @get(
        "/",
        guards=[READERS],
        summary="The contract's performance ratings by year, each KPI with its accepted quarters' RAG and the "
        "rating they suggest",
    )
    async def list_ratings(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> ContractRatingsOut:
        return await queries.get_ratings(actor=actor, contract_id=contract_id, now=clock.now())

    @post(
        "/",
        guards=[RATERS],
        status_code=201,
        summary="Rate every KPI for a financial year that has ended (or the termination year): good, "
        "approaching_target, requires_improvement or inadequate; a rated year is changed only with replace: true",
    )
    async def rate(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        data: Annotated[PerformanceRatingsIn, Body()],
    ) -> ContractRatingsOut:
        await services.rate_performance(actor=actor, contract_id=contract_id, ratings=data, now=clock.now())
        return await queries.get_ratings(actor=actor, contract_id=contract_id, now=clock.now())
