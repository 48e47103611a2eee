"""JSON API of the maturity matrix and the yearly assessments: the same services as the pages."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from maturity.queries import assessments as queries
from maturity.queries import matrix as matrix_queries
from maturity.schemas import (
    AssessmentOut,
    AssessmentSummary,
    ConfirmationIn,
    MaturityDomainIn,
    MaturityDomainOut,
    ReviewDeclarationIn,
    ReviewerIn,
    ReviewIn,
    SelfAssessmentIn,
    VehicleMaturityOut,
)
from maturity.services import assessments, matrix
from web.params import Limit, Offset

NATIONAL_ADMIN = requires_role(Role.NATIONAL_ADMIN)
PROVIDER = requires_role(Role.PROVIDER)
READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)
NAMERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER)
REVIEWERS = requires_role(Role.COMMISSIONER, Role.PROVIDER)
CONFIRMERS = requires_role(Role.COMMISSIONER)


class MaturityController(Controller):
    path = "/api/v1/maturity"
    tags = ["Maturity"]
    before_request = ids_in_range

    @get("/domains", guards=[READERS], summary="The maturity matrix: each domain with its four level descriptors")
    async def domains(self) -> list[MaturityDomainOut]:
        return await matrix_queries.list_domains()

    @patch("/domains/{domain_id:int}", guards=[NATIONAL_ADMIN], summary="Reword a domain (national administrator)")
    async def change_domain(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        domain_id: int,
        data: Annotated[MaturityDomainIn, Body()],
    ) -> MaturityDomainOut:
        await matrix.change_domain(actor=actor, domain_id=domain_id, data=data, now=clock.now())
        return await matrix_queries.get_domain(domain_id)

    @get("/assessments", guards=[READERS], summary="The assessments you may read, newest year first")
    async def list_assessments(
        self,
        actor: NamedDependency[Actor],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[AssessmentSummary]:
        return await queries.list_assessments(actor=actor, limit=limit, offset=offset)

    @post("/assessments", guards=[PROVIDER], summary="Start your delivery vehicle's self-assessment for this year")
    async def start(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> Response[AssessmentOut]:
        assessment_id = await assessments.start_assessment(actor=actor, now=clock.now())
        shown = await queries.get_assessment(actor=actor, assessment_id=assessment_id)
        return Response(shown, status_code=201, headers={"Location": f"/api/v1/maturity/assessments/{assessment_id}"})

    @get("/assessments/{assessment_id:int}", guards=[READERS])
    async def get_assessment(self, actor: NamedDependency[Actor], assessment_id: int) -> AssessmentOut:
        return await queries.get_assessment(actor=actor, assessment_id=assessment_id)

    @put(
        "/assessments/{assessment_id:int}/self-assessment",
        guards=[PROVIDER],
        summary="Save the levels and evidence so far (a domain left out keeps its answer)",
    )
    async def save_self_assessment(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        assessment_id: int,
        data: Annotated[SelfAssessmentIn, Body()],
    ) -> AssessmentOut:
        await assessments.save_self_assessment(actor=actor, assessment_id=assessment_id, data=data, now=clock.now())
        return await queries.get_assessment(actor=actor, assessment_id=assessment_id)

    @post(
        "/assessments/{assessment_id:int}/submit",
        guards=[PROVIDER],
        status_code=200,
        summary="Submit the self-assessment: refused, naming each field, while a domain lacks a level or evidence",
    )
    async def submit(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], assessment_id: int
    ) -> AssessmentOut:
        await assessments.submit_self_assessment(actor=actor, assessment_id=assessment_id, now=clock.now())
        return await queries.get_assessment(actor=actor, assessment_id=assessment_id)

    @post(
        "/assessments/{assessment_id:int}/reviewer",
        guards=[NAMERS],
        status_code=200,
        summary="Name the peer reviewer: a user of another delivery vehicle or a commissioner of another PCPG",
    )
    async def name_reviewer(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        assessment_id: int,
        data: Annotated[ReviewerIn, Body()],
    ) -> AssessmentOut:
        await assessments.name_reviewer(actor=actor, assessment_id=assessment_id, data=data, now=clock.now())
        return await queries.get_assessment(actor=actor, assessment_id=assessment_id)

    @post(
        "/assessments/{assessment_id:int}/declaration",
        guards=[REVIEWERS],
        status_code=200,
        summary="The peer reviewer declares interests before seeing the answers; a conflict stops the review",
    )
    async def declare(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        assessment_id: int,
        data: Annotated[ReviewDeclarationIn, Body()],
    ) -> AssessmentOut:
        await assessments.declare_review_interests(actor=actor, assessment_id=assessment_id, data=data, now=clock.now())
        return await queries.get_assessment(actor=actor, assessment_id=assessment_id)

    @put(
        "/assessments/{assessment_id:int}/review",
        guards=[REVIEWERS],
        summary="Save the review so far: per domain the self-assessed level to agree, or another with a comment",
    )
    async def save_review(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        assessment_id: int,
        data: Annotated[ReviewIn, Body()],
    ) -> AssessmentOut:
        await assessments.save_review(actor=actor, assessment_id=assessment_id, data=data, now=clock.now())
        return await queries.get_assessment(actor=actor, assessment_id=assessment_id)

    @post("/assessments/{assessment_id:int}/review/submit", guards=[REVIEWERS], status_code=200)
    async def submit_review(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], assessment_id: int
    ) -> AssessmentOut:
        await assessments.submit_review(actor=actor, assessment_id=assessment_id, now=clock.now())
        return await queries.get_assessment(actor=actor, assessment_id=assessment_id)

    @post(
        "/assessments/{assessment_id:int}/confirm",
        guards=[CONFIRMERS],
        status_code=200,
        summary="The vehicle's commissioner confirms a level per domain; final",
    )
    async def confirm(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        assessment_id: int,
        data: Annotated[ConfirmationIn, Body()],
    ) -> AssessmentOut:
        await assessments.confirm_assessment(actor=actor, assessment_id=assessment_id, data=data, now=clock.now())
        return await queries.get_assessment(actor=actor, assessment_id=assessment_id)

    @get(
        "/delivery-vehicles/{delivery_vehicle_id:int}",
        guards=[READERS],
        summary="A vehicle's latest confirmed levels and every earlier confirmed year",
    )
    async def vehicle(self, actor: NamedDependency[Actor], delivery_vehicle_id: int) -> VehicleMaturityOut:
        return await queries.vehicle_maturity(actor=actor, delivery_vehicle_id=delivery_vehicle_id)
