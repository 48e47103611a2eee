"""JSON API: quarterly payments (issue 13, item 4). Read by the contract's parties (scoped like returns); approved,
withheld and released by a finance director of the contract's health board. A quarter's payment is addressed by its
contract, financial year and quarter, as the contract's payment schedule names it (a payment has no row of its own
until a decision is taken on it)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import Body, QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from core.bounds import MAX_ID
from core.clock import Clock
from core.errors import NotFound
from core.pagination import DEFAULT_LIMIT
from returns.queries import payments as queries
from returns.schemas.payments import PaymentOut, PaymentReasonIn, PaymentsPage
from returns.services import payments as services
from web.params import Limit, Offset

READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)
FINANCE = requires_role(Role.FINANCE_DIRECTOR)

StatusFilter = Annotated[str | None, QueryParameter(name="status", pattern=r"^(scheduled|payable|approved|withheld)$")]
ContractFilter = Annotated[int | None, QueryParameter(name="contract", ge=1, le=MAX_ID)]
YearFilter = Annotated[int | None, QueryParameter(name="financial_year", ge=2020, le=2100)]
QUARTER = "/{financial_year:int}/{quarter:int}"


class _QuarterInRange:
    """A `before_request` hook: an id past the database's integers, a year outside 2020 to 2100 or a quarter other
    than 1 to 4 names no payment (the database drivers would refuse a huge number with a 500)."""

    async def __call__(self, request: Request[Any, Any, Any]) -> None:
        await ids_in_range(request)
        params = request.path_params
        if not 2020 <= params.get("financial_year", 2020) <= 2100 or not 1 <= params.get("quarter", 1) <= 4:
            raise NotFound("No such payment")


quarter_in_range = _QuarterInRange()


class PaymentController(Controller):
    path = "/api/v1/payments"
    tags = ["Payments"]
    guards = [READERS]

    @get("/", summary="Payments the caller may read: what is due first; status, contract and year filters")
    async def list_payments(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        status: StatusFilter = None,
        contract: ContractFilter = None,
        financial_year: YearFilter = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> PaymentsPage:
        return await queries.list_payments(
            actor=actor,
            now=clock.now(),
            status=status,
            contract_id=contract,
            financial_year=financial_year,
            limit=limit,
            offset=offset,
        )


class ContractPaymentController(Controller):
    path = "/api/v1/contracts/{contract_id:int}/payments"
    tags = ["Payments"]
    before_request = quarter_in_range

    @get(QUARTER, guards=[READERS], summary="One quarter's payment, with its split by cluster once approved")
    async def get_payment(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
    ) -> PaymentOut:
        return await queries.get_payment(
            actor=actor, contract_id=contract_id, financial_year=financial_year, quarter=quarter, now=clock.now()
        )

    @post(
        f"{QUARTER}/approve",
        guards=[FINANCE],
        status_code=200,
        summary="Approve a payment that is due: actual spend on its budget line (not by whoever accepted the return)",
    )
    async def approve(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
    ) -> PaymentOut:
        return await services.approve_payment(
            actor=actor, contract_id=contract_id, financial_year=financial_year, quarter=quarter, now=clock.now()
        )

    @post(
        f"{QUARTER}/withhold",
        guards=[FINANCE],
        status_code=200,
        summary="Withhold a payment that is due, with the reason (a performance notice)",
    )
    async def withhold(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
        data: Annotated[PaymentReasonIn, Body()],
    ) -> PaymentOut:
        return await services.withhold_payment(
            actor=actor,
            contract_id=contract_id,
            financial_year=financial_year,
            quarter=quarter,
            reason=data.reason,
            now=clock.now(),
        )

    @post(
        f"{QUARTER}/release",
        guards=[FINANCE],
        status_code=200,
        summary="Release a withheld payment, with the reason: it is due again",
    )
    async def release(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
        data: Annotated[PaymentReasonIn, Body()],
    ) -> PaymentOut:
        return await services.release_payment(
            actor=actor,
            contract_id=contract_id,
            financial_year=financial_year,
            quarter=quarter,
            reason=data.reason,
            now=clock.now(),
        )
