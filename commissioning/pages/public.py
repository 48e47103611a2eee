"""Pages anyone can read: open opportunities, a specification (with its PDF) and its answered questions;
plus the forms to ask and answer a question."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning import pdf
from commissioning.queries import award as award_queries
from commissioning.queries import clarifications as clarification_queries
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import AnswerIn, ClarificationIn, SpecificationOut
from commissioning.services import clarifications
from commissioning.services.specifications import readiness
from core.clock import Clock
from core.errors import NotAllowed
from core.i18n import N_, gettext
from menu import queries as menu_queries
from needs.queries.engagements import you_said_we_did
from needs.queries.scope import writes_pcpg
from organisations import queries as org_queries
from web.forms import Form, read_form
from web.templating import form_page_offset, page, paging, with_flash

QUESTION_MESSAGES = {"question": N_("Enter your question")}
ANSWER_MESSAGES = {"answer": N_("Enter the answer")}


async def detail_context(request: Request, actor: Actor | None, spec: Any, now: Any) -> dict[str, Any]:
    manager = spec.actions.manage
    language = request.scope["state"]["language"]
    context: dict[str, Any] = {
        "title": f"{spec.title_cy if language == 'cy' else spec.title} ({spec.reference})",
        "spec": spec,
        "clarifications": await clarification_queries.list_clarifications(
            actor=actor, specification_id=spec.id, manager=manager
        ),
        "known_population": sum(c.population for c in spec.clusters if c.population is not None),
        "award_id": (award.id if (award := await award_queries.award_for_specification(spec.id)) else None),
        "unknown_population": sum(1 for c in spec.clusters if c.population is None),
        "you_said_we_did": (await you_said_we_did([spec.id])).get(spec.id, []),
        "engagement_add_href": f"/engagement/new?specification_id={spec.id}"
        if actor is not None and writes_pcpg(actor, spec.pcpg_id)
        else "",
    }
    if spec.actions.complete_draft and actor is not None:
        context["problems"] = (await readiness(actor=actor, specification_id=spec.id, now=now)).items
        context["effects"] = await specification_queries.ledger_effect(spec)
    return context


class PublicSpecificationPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/opportunities")
    async def opportunities(
        self,
        request: Request,
        maybe_actor: NamedDependency[Actor | None],
        clock: NamedDependency[Clock],
        health_board: int | None = None,
        pcpg: int | None = None,
        service: int | None = None,
        offset: str | None = None,
    ) -> Template:
        result = await specification_queries.list_specifications(
            actor=maybe_actor,
            now=clock.now(),
            open_only=True,
            health_board_id=health_board,
            pcpg_id=pcpg,
            menu_service_id=service,
            limit=20,
            offset=form_page_offset(offset),
        )
        return page(
            request,
            "commissioning/opportunities.html",
            {
                "title": gettext("Open opportunities"),
                "specs": result.items,
                "paging": paging(result, request),
                "boards": (await org_queries.list_health_boards(limit=200)).items,
                "pcpgs": (await org_queries.list_pcpgs(limit=200)).items,
                "services": (await menu_queries.list_menu_services(limit=200, include_retired=True)).items,
                "health_board": health_board,
                "pcpg": pcpg,
                "service": service,
            },
        )

    @get("/specifications/{specification_id:int}")
    async def detail(
        self,
        request: Request,
        maybe_actor: NamedDependency[Actor | None],
        clock: NamedDependency[Clock],
        specification_id: int,
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=maybe_actor, specification_id=specification_id, now=clock.now()
        )
        context = await detail_context(request, maybe_actor, spec, clock.now())
        context.update(errors={}, question="")
        return page(request, "commissioning/specification.html", context)

    @get("/specifications/{specification_id:int}/specification.pdf")
    async def document(
        self,
        request: Request,
        maybe_actor: NamedDependency[Actor | None],
        clock: NamedDependency[Clock],
        specification_id: int,
    ) -> Response[bytes]:
        spec = await specification_queries.get_specification(
            actor=maybe_actor, specification_id=specification_id, now=clock.now()
        )
        route, status = pdf.labels(spec)
        body = pdf.specification_pdf(
            spec,
            route_label=route,
            status_label=status,
            deadline_text=pdf.deadline_text(spec),
            clarifications=await clarification_queries.list_clarifications(
                actor=maybe_actor, specification_id=spec.id, manager=False
            ),
            address=str(request.base_url).rstrip("/") + f"/specifications/{spec.id}",
        )
        return Response(
            content=body,
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="{spec.reference}.pdf"'},
        )

    async def _detail_with_errors(
        self, request: Request, actor: Actor, clock: Clock, spec: SpecificationOut, form: Form[Any], question: str
    ) -> Template:
        context = await detail_context(request, actor, spec, clock.now())
        context.update(form.context(), question=question)
        return page(request, "commissioning/specification.html", context, status_code=400)

    @post("/specifications/{specification_id:int}/questions", guards=[requires_role(Role.PROVIDER)])
    async def ask(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        await clarifications.check_asker(actor)
        form = await read_form(request, ClarificationIn, messages=QUESTION_MESSAGES)
        await form.run(
            lambda data: clarifications.ask_clarification(
                actor=actor, specification_id=specification_id, question=data.question, now=clock.now()
            ),
            default_field="question",
            passes=(NotAllowed,),
        )
        if form.ok:
            return with_flash(Redirect(path=f"/specifications/{specification_id}#questions"), "question_asked")
        return await self._detail_with_errors(request, actor, clock, spec, form, form.values.get("question", ""))

    @post("/questions/{clarification_id:int}/answer", guards=[requires_role(Role.COMMISSIONER)])
    async def answer(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], clarification_id: int
    ) -> Response[Any]:
        specification_id = await clarification_queries.get_question_specification(
            actor=actor, clarification_id=clarification_id
        )
        form = await read_form(
            request, AnswerIn, messages=ANSWER_MESSAGES, ids={"answer": f"answer-{clarification_id}"}
        )
        await form.run(
            lambda data: clarifications.answer_clarification(
                actor=actor, clarification_id=clarification_id, answer=data.answer, now=clock.now()
            ),
            default_field="answer",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/specifications/{specification_id}#questions"), "question_answered")
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        return await self._detail_with_errors(request, actor, clock, spec, form, "")
