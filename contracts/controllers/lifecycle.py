"""JSON API: a contract's status moves, the termination's preview, and what is set while mobilising."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from contracts.schemas.lifecycle import (
    ContractStatusOut,
    ContractSuspensionIn,
    ContractTerminationIn,
    KpiThresholdsIn,
    TerminationPreviewOut,
)
from contracts.services import lifecycle
from core.clock import Clock

COMMISSIONER = requires_role(Role.COMMISSIONER)


class ContractLifecycleController(Controller):
    path = "/api/v1/contracts/{contract_id:int}"
    tags = ["Contracts"]
    guards = [COMMISSIONER]

    @post("/mobilise", status_code=200, summary="Confirm mobilisation: live from today (not before the start date)")
    async def mobilise(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> ContractStatusOut:
        return await lifecycle.mobilise_contract(actor=actor, contract_id=contract_id, now=clock.now())

    @post("/suspend", status_code=200, summary="Suspend a live contract, with a reason")
    async def suspend(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        data: Annotated[ContractSuspensionIn, Body()],
    ) -> ContractStatusOut:
        return await lifecycle.suspend_contract(
            actor=actor, contract_id=contract_id, reason=data.reason, now=clock.now()
        )

    @post("/resume", status_code=200, summary="Resume a suspended contract")
    async def resume(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> ContractStatusOut:
        return await lifecycle.resume_contract(actor=actor, contract_id=contract_id, now=clock.now())

    @post(
        "/terminate",
        status_code=200,
        summary="Terminate from a date, with a reason: later quarters and later years are released from the ledger",
    )
    async def terminate(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        data: Annotated[ContractTerminationIn, Body()],
    ) -> ContractStatusOut:
        return await lifecycle.terminate_contract(
            actor=actor, contract_id=contract_id, terminated_on=data.terminated_on, reason=data.reason, now=clock.now()
        )

    @get(
        "/termination-preview",
        summary="What terminating on a date would do to the ledger and the payments",
    )
    async def termination_preview(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int, terminated_on: date
    ) -> TerminationPreviewOut:
        return await lifecycle.termination_preview(
            actor=actor, contract_id=contract_id, terminated_on=terminated_on, now=clock.now()
        )

    @put("/kpis", summary="Set the KPI thresholds and the activity plan while mobilising")
    async def set_kpis(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        data: Annotated[KpiThresholdsIn, Body()],
    ) -> ContractStatusOut:
        return await lifecycle.set_kpis(actor=actor, contract_id=contract_id, data=data, now=clock.now())
