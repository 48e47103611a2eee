"""JSON API: a contract's variations (propose, approve, reject) and its history, version by version."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from contracts.queries import variations as queries
from contracts.schemas.variation import DecisionIn, VariationIn, VariationOut, VersionOut
from contracts.services import variations as services
from core.bounds import MAX_ID
from core.clock import Clock
from core.errors import NotFound

READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)
PROPOSERS = requires_role(Role.COMMISSIONER, Role.PROVIDER)
DECIDERS = requires_role(Role.COMMISSIONER, Role.NATIONAL_ADMIN)


def numbered(number: int) -> int:
    """A variation's number past the database's integers names nothing."""
    if not 1 <= number <= MAX_ID:
        raise NotFound("No such variation")
    return number


class VariationController(Controller):
    path = "/api/v1/contracts/{contract_id:int}"
    tags = ["Contracts"]
    before_request = ids_in_range

    @post(
        "/variations",
        guards=[PROPOSERS],
        status_code=201,
        summary="Propose a variation (a commissioner of the contract's PCPG, or its delivery vehicle)",
        description=(
            "A commissioner of the contract's PCPG proposes any change; someone else decides it. A user of the "
            "contract's delivery vehicle proposes a change of the annual values only (any other field is refused, "
            "naming it): when the change in the contract's total value is within the variation limit of the "
            "vehicle's earned autonomy tier this quarter, it is agreed at once (status approved, the note saying "
            "so); otherwise it waits for a commissioner's decision."
        ),
    )
    async def propose(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        data: Annotated[VariationIn, Body()],
    ) -> VariationOut:
        number = await services.propose_variation(actor=actor, contract_id=contract_id, change=data, now=clock.now())
        return await queries.get_variation(actor=actor, contract_id=contract_id, number=number)

    @get("/variations", guards=[READERS], summary="The contract's variations, newest first")
    async def list_variations(self, actor: NamedDependency[Actor], contract_id: int) -> list[VariationOut]:
        return await queries.list_variations(actor=actor, contract_id=contract_id)

    @get("/variations/{number:int}", guards=[READERS])
    async def get_variation(self, actor: NamedDependency[Actor], contract_id: int, number: int) -> VariationOut:
        return await queries.get_variation(actor=actor, contract_id=contract_id, number=numbered(number))

    @post(
        "/variations/{number:int}/approve",
        guards=[DECIDERS],
        status_code=200,
        summary="Approve (not the proposer): applies the change, re-checks the ledger, makes a new version",
    )
    async def approve(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        number: int,
        data: Annotated[DecisionIn, Body()],
    ) -> VariationOut:
        await services.approve_variation(
            actor=actor, contract_id=contract_id, number=numbered(number), decision=data, now=clock.now()
        )
        return await queries.get_variation(actor=actor, contract_id=contract_id, number=number)

    @post(
        "/variations/{number:int}/reject",
        guards=[DECIDERS],
        status_code=200,
        summary="Reject (not the proposer), saying why; the contract stays as it is",
    )
    async def reject(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        number: int,
        data: Annotated[DecisionIn, Body()],
    ) -> VariationOut:
        await services.reject_variation(
            actor=actor, contract_id=contract_id, number=numbered(number), decision=data, now=clock.now()
        )
        return await queries.get_variation(actor=actor, contract_id=contract_id, number=number)

    @get("/history", guards=[READERS], summary="Every version of the contract and what it changed, field by field")
    async def history(self, actor: NamedDependency[Actor], contract_id: int) -> list[VersionOut]:
        return await queries.history(actor=actor, contract_id=contract_id)
