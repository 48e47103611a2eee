"""Pages for the evaluation: evaluators declare and score; the commissioner names the panel, follows progress,
moderates, sees the ranking and awards; anyone reads the award notice; bidders make representations."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning import pdf, rules
from commissioning.controllers.ids import ids_in_range
from commissioning.pages import forms
from commissioning.queries import award as award_queries
from commissioning.queries import bids as bid_queries
from commissioning.queries import evaluation as evaluation_queries
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import (
    AwardIn,
    AwardValueIn,
    DeclarationIn,
    EvaluationActions,
    ModerationIn,
    ScoreIn,
    ScoresIn,
)
from commissioning.services import award, evaluation
from core.clock import Clock
from core.errors import DomainError, NotFound
from core.i18n import gettext
from core.pagination import MAX_LIMIT
from organisations import queries as org_queries
from web.forms import error_summary
from web.templating import page, with_flash

EVALUATOR = requires_role(Role.EVALUATOR)
COMMISSIONER = requires_role(Role.COMMISSIONER)


def _error(exc: DomainError, default: str) -> dict[str, str]:
    if exc.status_code == 404:
        raise exc
    return {exc.field or default: gettext(exc.message, **exc.params)}


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
        form = await request.form()
        conflict = str(form.get("conflict", "")) == "yes"
        known = [int(v) for v in form.getall("known", []) if str(v).isdigit()]
        errors: dict[str, str] = {}
        if str(form.get("conflict", "")) not in ("yes", "no"):
            errors["conflict"] = gettext("Say whether you have a conflict of interest")
        if not errors:
            try:
                recused = await evaluation.declare_interests(
                    actor=actor,
                    specification_id=specification_id,
                    now=clock.now(),
                    data=DeclarationIn(
                        known_vehicle_ids=known, conflict=conflict, statement=str(form.get("statement", "")).strip()
                    ),
                )
            except DomainError as exc:
                errors = _error(exc, "conflict")
            else:
                return with_flash(
                    Redirect(path=f"/evaluations/{specification_id}"), "recused" if recused else "declared"
                )
        return await self._panel_page(request, actor, clock, specification_id, errors, status_code=400)

    async def _score_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        specification_id: int,
        bid_id: int,
        values: dict[int, Any] | None,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        bid = await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=clock.now())
        state = await evaluation_queries.evaluation(actor=actor, specification_id=specification_id, now=clock.now())
        mine = {
            s.criterion: s for b in state.bids if b.bid_id == bid_id for s in b.scores if s.evaluator == actor.username
        }
        if values is None:
            values = {
                n: {
                    "score": str(mine[n].score) if n in mine else "",
                    "justification": mine[n].justification if n in mine else "",
                }
                for n in range(len(spec.criteria))
            }
        return page(
            request,
            "commissioning/score.html",
            {
                "title": gettext("Score %(vehicle)s", vehicle=bid.delivery_vehicle),
                "spec": spec,
                "bid": bid,
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @get("/{specification_id:int}/bids/{bid_id:int}")
    async def score_form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        bid_id: int,
    ) -> Template:
        return await self._score_page(request, actor, clock, specification_id, bid_id, None, {})

    @post("/{specification_id:int}/bids/{bid_id:int}")
    async def score(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        bid_id: int,
    ) -> Response[Any]:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        form = await request.form()
        values = {
            n: {"score": str(form.get(f"score-{n}", "")), "justification": str(form.get(f"why-{n}", "")).strip()}
            for n in range(len(spec.criteria))
        }
        errors: dict[str, str] = {}
        for n, row in values.items():
            if row["score"] not in {str(v) for v in range(6)}:
                errors[f"score-{n}"] = gettext("Choose a score from 0 to 5")
            if not row["justification"]:
                errors[f"why-{n}"] = gettext("Give the reason for the score")
        if not errors:
            try:
                await evaluation.score_bid(
                    actor=actor,
                    bid_id=bid_id,
                    now=clock.now(),
                    data=ScoresIn(
                        scores=[
                            ScoreIn(criterion=n, score=int(r["score"]), justification=r["justification"])
                            for n, r in values.items()
                        ]
                    ),
                )
            except DomainError as exc:
                errors = _error(exc, "score-0")
            else:
                return with_flash(Redirect(path=f"/evaluations/{specification_id}"), "scored")
        return await self._score_page(request, actor, clock, specification_id, bid_id, values, errors, status_code=400)


class CommissionerEvaluationPages(Controller):
    path = "/specifications"
    include_in_schema = False
    before_request = ids_in_range
    guards = [COMMISSIONER]

    async def _page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        specification_id: int,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        evaluators = await evaluation_queries.evaluators_to_name(specification_id)
        context: dict[str, Any] = {
            "title": gettext("Evaluation of %(reference)s", reference=spec.reference),
            "spec": spec,
            "evaluators": evaluators,
            "errors": errors,
            "error_list": error_summary(errors),
            "award": await award_queries.award_for_specification(specification_id),
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
                actor=actor, specification_id=specification_id, now=clock.now()
            )
        else:
            context["panel_names"] = await evaluation_queries.panel_names(specification_id)
        if spec.procurement_route is not rules.ProcurementRoute.COMPETITIVE:
            context["vehicles"] = [
                v for v in (await org_queries.list_delivery_vehicles(actor=actor, status="approved", limit=200)).items
            ]
        return page(request, "commissioning/evaluation.html", context, status_code=status_code)

    @get("/{specification_id:int}/evaluation")
    async def overview(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        return await self._page(request, actor, clock, specification_id, {})

    @get("/{specification_id:int}/evaluation-report.pdf")
    async def report(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[bytes]:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
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
        username = str((await request.form()).get("username", "")).strip()
        try:
            await evaluation.name_evaluator(
                actor=actor, specification_id=specification_id, username=username, now=clock.now()
            )
        except DomainError as exc:
            return await self._page(request, actor, clock, specification_id, _error(exc, "username"), status_code=400)
        return with_flash(Redirect(path=f"/specifications/{specification_id}/evaluation"), "panel_named")

    @post("/{specification_id:int}/moderation/{bid_id:int}/{criterion:int}")
    async def moderate(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        bid_id: int,
        criterion: int,
    ) -> Response[Any]:
        form = await request.form()
        score, reason = str(form.get("score", "")), str(form.get("reason", "")).strip()
        field = f"moderate-{bid_id}-{criterion}"
        errors: dict[str, str] = {}
        if score not in {str(v) for v in range(6)} or not reason:
            errors[field] = gettext("Choose the moderated score from 0 to 5 and give the reason")
        else:
            try:
                await evaluation.moderate(
                    actor=actor,
                    bid_id=bid_id,
                    now=clock.now(),
                    data=ModerationIn(criterion=criterion, score=int(score), reason=reason),
                )
            except DomainError as exc:
                errors = {field: _error(exc, field).popitem()[1]}
        if errors:
            return await self._page(request, actor, clock, specification_id, errors, status_code=400)
        return with_flash(Redirect(path=f"/specifications/{specification_id}/evaluation#moderation"), "moderated")

    @post("/{specification_id:int}/award")
    async def award_intention(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        form = await request.form()
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        rationale = str(form.get("rationale", "")).strip()
        errors: dict[str, str] = {}
        if not rationale:
            errors["rationale"] = gettext("Give the rationale for the award")
        data = None
        if spec.procurement_route is rules.ProcurementRoute.COMPETITIVE:
            bid_id = str(form.get("bid_id", ""))
            if not bid_id.isdigit():
                errors["bid_id"] = gettext("Choose the bid to award")
            elif not errors:
                data = AwardIn(rationale=rationale, bid_id=int(bid_id))
        else:
            vehicle = str(form.get("delivery_vehicle_id", ""))
            if not vehicle.isdigit():
                errors["delivery_vehicle_id"] = gettext("Choose the delivery vehicle")
            values = []
            for year in spec.years:
                pence = forms.pounds_field(
                    str(form.get(f"value-{year.financial_year}", "")), f"value-{year.financial_year}", errors
                )
                if pence is not None:
                    values.append(AwardValueIn(financial_year=year.financial_year, value_pence=pence))
            if not errors:
                data = AwardIn(rationale=rationale, delivery_vehicle_id=int(vehicle), values=values)
        if data is not None:
            try:
                made = await award.award_specification(
                    actor=actor, specification_id=specification_id, data=data, now=clock.now()
                )
            except DomainError as exc:
                errors = _error(exc, "rationale")
            else:
                return with_flash(Redirect(path=f"/awards/{made.id}"), "award_intended")
        return await self._page(request, actor, clock, specification_id, errors, status_code=400)


class AwardPages(Controller):
    path = "/awards"
    include_in_schema = False
    before_request = ids_in_range

    async def _page(
        self,
        request: Request,
        actor: Actor | None,
        clock: Clock,
        award_id: int,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        notice = await award_queries.get_award(actor=actor, award_id=award_id, now=clock.now())
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

    @get("/{award_id:int}")
    async def show(
        self, request: Request, maybe_actor: NamedDependency[Actor | None], clock: NamedDependency[Clock], award_id: int
    ) -> Template:
        return await self._page(request, maybe_actor, clock, award_id, {})

    @post("/{award_id:int}/representations", guards=[requires_role(Role.PROVIDER)])
    async def represent(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], award_id: int
    ) -> Response[Any]:
        text = str((await request.form()).get("text", "")).strip()
        try:
            await award.lodge_representation(actor=actor, award_id=award_id, text=text, now=clock.now())
        except DomainError as exc:
            return await self._page(request, actor, clock, award_id, _error(exc, "text"), status_code=400)
        return with_flash(Redirect(path=f"/awards/{award_id}"), "representation_lodged")

    @post("/{award_id:int}/representations/{representation_id:int}/answer", guards=[COMMISSIONER])
    async def answer(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        award_id: int,
        representation_id: int,
    ) -> Response[Any]:
        text = str((await request.form()).get("answer", "")).strip()
        try:
            await award.answer_representation(
                actor=actor, representation_id=representation_id, answer=text, now=clock.now()
            )
        except DomainError as exc:
            errors = {f"answer-{representation_id}": _error(exc, "answer").popitem()[1]}
            return await self._page(request, actor, clock, award_id, errors, status_code=400)
        return with_flash(Redirect(path=f"/awards/{award_id}"), "representation_answered")

    @post("/{award_id:int}/confirm", guards=[COMMISSIONER])
    async def confirm(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], award_id: int
    ) -> Response[Any]:
        try:
            await award.confirm_award(actor=actor, award_id=award_id, now=clock.now())
        except DomainError as exc:
            return await self._page(request, actor, clock, award_id, _error(exc, "confirm"), status_code=409)
        return with_flash(Redirect(path=f"/awards/{award_id}"), "contract_made")
