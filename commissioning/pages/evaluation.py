"""Pages for the evaluation: evaluators declare and score; the commissioner names the panel, follows progress,
moderates, sees the ranking and awards; anyone reads the award notice; bidders make representations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning import pdf, rules
from commissioning.controllers.ids import ids_in_range
from commissioning.queries import award as award_queries
from commissioning.queries import bids as bid_queries
from commissioning.queries import evaluation as evaluation_queries
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import (
    AwardCheckOut,
    AwardIn,
    AwardOut,
    BidModerationIn,
    BidOut,
    DeclarationIn,
    EvaluationActions,
    PanelMemberIn,
    PanelRemovalFormIn,
    RepresentationIn,
    ScoresIn,
    SpecificationOut,
)
from commissioning.services import award, evaluation
from contracts.queries import viability as viability_queries
from contracts.schemas.viability import DecisionPreviewOut
from core.clock import Clock
from core.errors import NotAllowed, NotFound
from core.i18n import N_, gettext
from core.pagination import MAX_LIMIT
from core.public_ids import BidPath
from organisations import queries as org_queries
from web.forms import Form, KeyedRows, button_form, error_summary, read_form
from web.templating import page, with_flash

EVALUATOR = requires_role(Role.EVALUATOR)
COMMISSIONER = requires_role(Role.COMMISSIONER)


DECLARATION_MESSAGES = {"conflict": N_("Say whether you have a conflict of interest")}
SCORE_MESSAGES = {
    "scores.score": N_("Choose a score from 0 to 5"),
    "scores.justification": N_("Give the reason for the score"),
}
PANEL_MESSAGES = {"username": N_("Choose a user with the evaluator role")}
REMOVAL_MESSAGES = {
    "user_id": N_("Choose the evaluator to remove"),
    "reason": N_("Give the reason for removing them from the panel"),
}
MODERATION_MESSAGE = N_("Choose the moderated score from 0 to 5 and give the reason")
AWARD_MESSAGES = {
    "rationale": N_("Give the rationale for the award"),
    "bid_id": N_("Choose the bid to award"),
    "delivery_vehicle_id": N_("Choose the delivery vehicle"),
    "values.value_pence": N_("Enter an amount in pounds, like 1250.00"),
}
REPRESENTATION_MESSAGES = {"text": N_("Say what your representation is")}
ANSWER_MESSAGES = {"text": N_("Enter the answer")}


def _scores(spec: SpecificationOut) -> KeyedRows:
    return KeyedRows(
        "score",
        range(len(spec.criteria)),
        field="criterion",
        names={"score": "score-{key}", "justification": "why-{key}"},
        refused_on="score",
    )


async def _read_award(request: Request, spec: SpecificationOut) -> Form[AwardIn]:
    """AwardIn takes either a bid (competitive) or a vehicle and each year's value (a direct award); the page asks
    for the ones its form offers and takes nothing else from the post."""
    if spec.procurement_route.is_competitive:
        return await read_form(
            request,
            AwardIn,
            messages=AWARD_MESSAGES,
            required=("bid_id",),
            fixed={"delivery_vehicle_id": None, "values": []},
        )
    return await read_form(
        request,
        AwardIn,
        messages=AWARD_MESSAGES,
        keyed_rows={
            "values": KeyedRows(
                "value",
                [y.financial_year for y in spec.years],
                field="financial_year",
                names={"value": "value-{key}"},
                refused_on="value",
            )
        },
        pounds={"values.value": "values.value_pence"},
        above_zero={"values.value_pence": N_("Each year's maximum value must be more than £0")},
        required=("delivery_vehicle_id",),
        fixed={"bid_id": None},
    )


def _award_inputs(spec: SpecificationOut) -> tuple[str, ...]:
    """The inputs of the award form the page offers for the specification's route."""
    if spec.procurement_route.is_competitive:
        return ("bid_id", "rationale")
    return ("delivery_vehicle_id", *(f"value-{y.financial_year}" for y in spec.years), "rationale")


def _award_answers(spec: SpecificationOut, given: Any) -> dict[str, str]:
    """The award form's answers as typed (a post, or the query a Change link carries back), by input name."""
    return {name: str(given.get(name, "")).strip() for name in _award_inputs(spec) if name in given}


async def _viability_preview(checked: AwardCheckOut) -> DecisionPreviewOut | None:
    """How the award would change the winning vehicle's viability in each year of the term (contracts, issue 12)."""
    if checked.delivery_vehicle_id is None:
        return None
    return await viability_queries.award_preview(
        vehicle_id=checked.delivery_vehicle_id, values={v.financial_year: v.value_pence for v in checked.values}
    )


class EvaluatorPages(Controller):
    path = "/evaluations"
    include_in_schema = False
    before_request = ids_in_range
    guards = [EVALUATOR]

    @get("/")
    async def mine(self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> Template:
        specs = (
            await specification_queries.list_specifications(
                actor=actor,
                now=clock.now(),
                ids=await evaluation_queries.panel_specification_ids(actor),
                limit=MAX_LIMIT,
            )
        ).items
        return page(request, "commissioning/evaluations.html", {"title": gettext("Your evaluations"), "specs": specs})

    async def _panel_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        specification_id: int,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        member, declaration = await bid_queries.panel_member(specification_id, actor.user_id)
        if not member:
            raise NotFound("No such specification")
        context: dict[str, Any] = {
            "title": gettext("Evaluate %(reference)s", reference=spec.reference),
            "spec": spec,
            "declaration": declaration,
            "errors": errors,
            "error_list": error_summary(errors),
        }
        offers = EvaluationActions(
            **rules.evaluation_actions(
                status=spec.status, bid_deadline_at=spec.bid_deadline_at, now=clock.now(), awarded=False
            )
        )
        context.update(offers=offers, sealed=offers.sealed)
        if not context["sealed"] and declaration is None:
            context["bidders"] = await bid_queries.bidders(specification_id)
        if declaration is not None and not declaration["conflict"] and not context["sealed"]:
            context["evaluation"] = await evaluation_queries.evaluation(
                actor=actor, specification_id=specification_id, now=clock.now()
            )
        return page(request, "commissioning/evaluate.html", context, status_code=status_code)

    @get("/{specification_id:int}")
    async def panel(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        return await self._panel_page(request, actor, clock, specification_id, {})

    @post("/{specification_id:int}/declaration")
    async def declare(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        form = await read_form(
            request,
            DeclarationIn,
            messages=DECLARATION_MESSAGES,
            inputs={"known_vehicle_ids": "known"},
            lists=("known_vehicle_ids",),
            choices={"conflict": {"yes": True, "no": False}},
            required=("conflict",),  # the API reads no answer as no conflict; the evaluator is asked to say
        )
        recused = await form.run(
            lambda data: evaluation.declare_interests(
                actor=actor, specification_id=specification_id, now=clock.now(), data=data
            ),
            default_field="conflict",
            passes=(NotAllowed,),
        )
        if form.ok:
            return with_flash(Redirect(path=f"/evaluations/{specification_id}"), "recused" if recused else "declared")
        return await self._panel_page(request, actor, clock, specification_id, form.errors, status_code=400)

    async def _score_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        spec: SpecificationOut,
        bid: BidOut,
        form: Form[ScoresIn] | None = None,
    ) -> Template:
        if form is not None:
            shown = form.context()
        else:
            state = await evaluation_queries.evaluation(actor=actor, specification_id=spec.id, now=clock.now())
            mine = {
                s.criterion: s
                for b in state.bids
                if b.bid_id == bid.id
                for s in b.scores
                if s.evaluator == actor.username
            }
            scores = {
                n: {
                    "score": str(mine[n].score) if n in mine else "",
                    "justification": mine[n].justification if n in mine else "",
                }
                for n in range(len(spec.criteria))
            }
            shown = {"values": {"scores": scores}, "errors": {}}
        return page(
            request,
            "commissioning/score.html",
            {"title": gettext("Score %(vehicle)s", vehicle=bid.delivery_vehicle), "spec": spec, "bid": bid, **shown},
            status_code=200 if form is None else 400,
        )

    async def _spec_and_bid(
        self, actor: Actor, clock: Clock, specification_id: int, bid_id: str
    ) -> tuple[SpecificationOut, BidOut]:
        """The bid as the reader may see it: a sealed one, or one a recused or undeclared evaluator asks for, is as
        absent as one that does not exist."""
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        return spec, await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())

    @get("/{specification_id:int}/bids/{bid_id:str}")
    async def score_form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        bid_id: BidPath,
    ) -> Template:
        spec, bid = await self._spec_and_bid(actor, clock, specification_id, bid_id)
        return await self._score_page(request, actor, clock, spec, bid)

    @post("/{specification_id:int}/bids/{bid_id:str}")
    async def score(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        bid_id: BidPath,
    ) -> Response[Any]:
        spec, bid = await self._spec_and_bid(actor, clock, specification_id, bid_id)
        form = await read_form(request, ScoresIn, messages=SCORE_MESSAGES, keyed_rows={"scores": _scores(spec)})
        await form.run(
            lambda data: evaluation.score_bid(actor=actor, bid_id=bid_id, now=clock.now(), data=data),
            default_field="scores",
            passes=(NotAllowed,),
        )
        if form.ok:
            return with_flash(Redirect(path=f"/evaluations/{specification_id}"), "scored")
        return await self._score_page(request, actor, clock, spec, bid, form)


class CommissionerEvaluationPages(Controller):
    path = "/specifications"
    include_in_schema = False
    before_request = ids_in_range
    guards = [COMMISSIONER]

    async def _managed(self, actor: Actor, clock: Clock, specification_id: int) -> SpecificationOut:
        """Another PCPG's specification is as absent as one that does not exist, whatever was posted."""
        return await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )

    async def _page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        spec: SpecificationOut,
        errors: dict[str, str],
        status_code: int = 200,
        award_answers: dict[str, str] | None = None,
    ) -> Template:
        evaluators = await evaluation_queries.evaluators_to_name(spec.id)
        context: dict[str, Any] = {
            "title": gettext("Evaluation of %(reference)s", reference=spec.reference),
            "spec": spec,
            "evaluators": evaluators,
            "award_answers": award_answers or {},
            "errors": errors,
            "error_list": error_summary(errors),
            "award": await award_queries.award_for_specification(spec.id),
        }
        offers = EvaluationActions(
            **rules.evaluation_actions(
                status=spec.status,
                bid_deadline_at=spec.bid_deadline_at,
                now=clock.now(),
                awarded=context["award"] is not None,
            )
        )
        context.update(offers=offers, sealed=offers.sealed)
        if not context["sealed"]:
            context["evaluation"] = await evaluation_queries.evaluation(
                actor=actor, specification_id=spec.id, now=clock.now()
            )
        else:
            context["panel_names"] = await evaluation_queries.panel_names(spec.id)
        if not spec.procurement_route.is_competitive:
            context["vehicles"] = await org_queries.list_approved_vehicles(actor=actor)
        return page(request, "commissioning/evaluation.html", context, status_code=status_code)

    @get("/{specification_id:int}/evaluation")
    async def overview(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        """The award form comes back filled in from the query a check page's Change link carries."""
        spec = await self._managed(actor, clock, specification_id)
        answers = _award_answers(spec, request.query_params)
        return await self._page(request, actor, clock, spec, {}, award_answers=answers)

    @get("/{specification_id:int}/evaluation-report.pdf")
    async def report(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[bytes]:
        spec = await self._managed(actor, clock, specification_id)
        state = await evaluation_queries.evaluation(actor=actor, specification_id=specification_id, now=clock.now())
        return Response(
            content=pdf.evaluation_pdf(spec, state),
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="{spec.reference}-evaluation.pdf"'},
        )

    @post("/{specification_id:int}/panel")
    async def name(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        form = await read_form(request, PanelMemberIn, messages=PANEL_MESSAGES)
        await form.run(
            lambda data: evaluation.name_evaluator(
                actor=actor, specification_id=specification_id, username=data.username, now=clock.now()
            ),
            default_field="username",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/specifications/{specification_id}/evaluation"), "panel_named")
        spec = await self._managed(actor, clock, specification_id)
        return await self._page(request, actor, clock, spec, form.errors, status_code=400)

    @post("/{specification_id:int}/panel/removal")
    async def remove(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        spec = await self._managed(actor, clock, specification_id)
        form = await read_form(request, PanelRemovalFormIn, messages=REMOVAL_MESSAGES, required=("reason",))
        await form.run(
            lambda data: evaluation.remove_evaluator(
                actor=actor, specification_id=spec.id, user_id=data.user_id, reason=data.reason, now=clock.now()
            ),
            default_field="user_id",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/specifications/{specification_id}/evaluation"), "panel_member_removed")
        return await self._page(request, actor, clock, spec, form.errors, status_code=400)

    @post("/{specification_id:int}/moderation/{bid_id:str}")
    async def moderate(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        bid_id: BidPath,
    ) -> Response[Any]:
        """One form per bid: each criterion's moderated score and reason (a criterion left blank is left as it was).
        The bid is looked up before the form is read, so a sealed bid is not found just as an absent one is."""
        spec = await self._managed(actor, clock, specification_id)
        await bid_queries.visible_bid(actor=actor, bid_id=bid_id, now=clock.now())
        form = await read_form(
            request,
            BidModerationIn,
            messages={
                "scores": MODERATION_MESSAGE,
                "scores.score": MODERATION_MESSAGE,
                "scores.reason": MODERATION_MESSAGE,
            },
            keyed_rows={
                "scores": KeyedRows(
                    "scores", range(len(spec.criteria)), field="criterion", optional=True, refused_on="score"
                )
            },
        )
        await form.run(
            lambda data: evaluation.moderate_bid(actor=actor, bid_id=bid_id, now=clock.now(), data=data),
            default_field="scores",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/specifications/{specification_id}/evaluation#moderation"), "moderated")
        # Every bid has its own form on the page: its problems are named after it, so each link finds its input.
        errors = {f"moderate-{bid_id}-{field}": message for field, message in form.errors.items()}
        return await self._page(request, actor, clock, spec, errors, status_code=400)

    @post("/{specification_id:int}/award")
    async def award_intention(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        """The award form, then check your answers (NHS.UK pattern), then the notice once confirmed: every post is
        read and checked again in full, and nothing is written before the confirmation."""
        spec = await self._managed(actor, clock, specification_id)
        posted = await request.form()
        answers = _award_answers(spec, posted)
        form = await _read_award(request, spec)
        if posted.get("confirm") != "yes":
            checked = await form.run(
                lambda data: award.check_award(
                    actor=actor, specification_id=specification_id, data=data, now=clock.now()
                ),
                default_field="rationale",
            )
            if checked is not None:
                return self._check_page(request, spec, checked, answers, await _viability_preview(checked))
        else:
            made = await form.run(
                lambda data: award.award_specification(
                    actor=actor, specification_id=specification_id, data=data, now=clock.now()
                ),
                default_field="rationale",
            )
            if made is not None:
                return with_flash(Redirect(path=f"/awards/{made.id}"), "award_intended")
        return await self._page(request, actor, clock, spec, form.errors, status_code=400, award_answers=answers)

    def _check_page(
        self,
        request: Request,
        spec: SpecificationOut,
        checked: AwardCheckOut,
        answers: dict[str, str],
        preview: DecisionPreviewOut | None = None,
    ) -> Template:
        return page(
            request,
            "commissioning/award_check.html",
            {
                "title": gettext("Check before you issue the notice"),
                "spec": spec,
                "check": checked,
                "answers": answers,
                "preview": preview,
                "change_href": f"/specifications/{spec.id}/evaluation?{urlencode(answers)}",
            },
        )


class AwardPages(Controller):
    path = "/awards"
    include_in_schema = False
    before_request = ids_in_range

    async def _page(
        self,
        request: Request,
        actor: Actor | None,
        clock: Clock,
        notice: AwardOut,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=notice.specification_id, now=clock.now()
        )
        comparison = await award_queries.comparison_for(actor=actor, notice=notice, now=clock.now())
        return page(
            request,
            "commissioning/award.html",
            {
                "title": gettext("Award of %(reference)s", reference=notice.reference),
                "notice": notice,
                "spec": spec,
                "comparison": comparison,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    async def _notice(self, actor: Actor | None, clock: Clock, award_id: int) -> AwardOut:
        return await award_queries.get_award(actor=actor, award_id=award_id, now=clock.now())

    @get("/{award_id:int}")
    async def show(
        self, request: Request, maybe_actor: NamedDependency[Actor | None], clock: NamedDependency[Clock], award_id: int
    ) -> Template:
        return await self._page(request, maybe_actor, clock, await self._notice(maybe_actor, clock, award_id), {})

    @post("/{award_id:int}/representations", guards=[requires_role(Role.PROVIDER)])
    async def represent(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], award_id: int
    ) -> Response[Any]:
        form = await read_form(request, RepresentationIn, messages=REPRESENTATION_MESSAGES)
        await form.run(
            lambda data: award.lodge_representation(actor=actor, award_id=award_id, text=data.text, now=clock.now()),
            default_field="text",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/awards/{award_id}"), "representation_lodged")
        notice = await self._notice(actor, clock, award_id)
        return await self._page(request, actor, clock, notice, form.errors, status_code=400)

    @post("/{award_id:int}/representations/{representation_id:int}/answer", guards=[COMMISSIONER])
    async def answer(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        award_id: int,
        representation_id: int,
    ) -> Response[Any]:
        notice = await self._notice(actor, clock, award_id)
        if not any(r.id == representation_id for r in notice.representations):
            raise NotFound("No such representation")  # one the notice does not show this reader is absent to them
        form = await read_form(
            request,
            RepresentationIn,
            messages=ANSWER_MESSAGES,
            inputs={"text": "answer"},
            ids={"answer": f"answer-{representation_id}"},
        )
        await form.run(
            lambda data: award.answer_representation(
                actor=actor, representation_id=representation_id, answer=data.text, now=clock.now()
            ),
            default_field="answer",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/awards/{award_id}"), "representation_answered")
        return await self._page(request, actor, clock, notice, form.errors, status_code=400)

    @post("/{award_id:int}/confirm", guards=[COMMISSIONER])
    async def confirm(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], award_id: int
    ) -> Response[Any]:
        form = button_form()
        await form.run(
            lambda _: award.confirm_award(actor=actor, award_id=award_id, now=clock.now()), default_field="confirm"
        )
        if form.ok:
            return with_flash(Redirect(path=f"/awards/{award_id}"), "contract_made")
        notice = await self._notice(actor, clock, award_id)
        return await self._page(request, actor, clock, notice, form.errors, status_code=409)
