"""Pages of the yearly maturity assessment: the list, one assessment, and each step's form with its check page
before the step that cannot be undone (submit, submit the review, confirm). Each form post calls the same service
as the API; a refusal shows the form again with the NHS.UK error summary, field by field."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from core.clock import Clock
from core.errors import DomainError, NotAllowed
from core.i18n import N_, gettext
from core.pagination import DEFAULT_LIMIT
from maturity.queries import assessments as queries
from maturity.queries.matrix import list_domains
from maturity.schemas import (
    AssessmentOut,
    ConfirmationIn,
    ReviewDeclarationIn,
    ReviewerIn,
    ReviewIn,
    SelfAssessmentIn,
)
from maturity.services import assessments
from organisations.queries import vehicle_pcpg_ids
from web.forms import Form, KeyedRows, button_form, error_summary, read_form
from web.templating import form_page_offset, page, paging, with_flash

READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)
PROVIDER = requires_role(Role.PROVIDER)
NAMERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER)
REVIEWERS = requires_role(Role.COMMISSIONER, Role.PROVIDER)
CONFIRMERS = requires_role(Role.COMMISSIONER)

ROW_MESSAGES = {
    "answers.level": N_("Choose a level from 1 to 4"),
    "answers.evidence": N_("Check the evidence"),
    "answers.comment": N_("Check the comment"),
    "answers.reason": N_("Check the reason"),
}
REVIEWER_MESSAGES = {"reviewer_id": N_("Choose the peer reviewer")}
DECLARATION_MESSAGES = {"conflict": N_("Say whether you have a conflict of interest")}


def _base(assessment_id: int) -> str:
    return f"/maturity/assessments/{assessment_id}"


def _rows(domain_ids: list[int], text: str, *, optional: bool) -> KeyedRows:
    """One row per domain of the matrix: its level (radios) and its text, named `level-{domain}`, `{text}-{domain}`."""
    return KeyedRows(
        "answer",
        domain_ids,
        field="domain_id",
        names={"level": "level-{key}", text: text + "-{key}"},
        optional=optional,
    )


def _stored(assessment: AssessmentOut, level: str, text: str, *, default_level: str | None = None) -> dict[str, Any]:
    """The answers as the form first shows them, by domain and input."""
    values: dict[int, dict[str, str]] = {}
    for answer in assessment.answers:
        chosen = getattr(answer, level)
        if chosen is None and default_level:
            chosen = getattr(answer, default_level)
        values[answer.domain_id] = {"level": "" if chosen is None else str(chosen), text: getattr(answer, text) or ""}
    return {"values": {"answers": values}, "errors": {}, "error_list": []}


def _summary_to(errors: dict[str, str], form_path: str) -> list[dict[str, str]]:
    """A check page's error summary, each link to the field on the form page."""
    return [{"text": message, "href": f"{form_path}#{field}"} for field, message in errors.items()]


class MaturityAssessmentPages(Controller):
    path = "/maturity"
    include_in_schema = False
    before_request = ids_in_range

    async def _list(self, request: Request, actor: Actor, offset: str | None, errors: dict[str, str]) -> Template:
        result = await queries.list_assessments(actor=actor, limit=DEFAULT_LIMIT, offset=form_page_offset(offset))
        return page(
            request,
            "maturity/assessments.html",
            {
                "title": gettext("Maturity assessments"),
                "assessments": result.items,
                "paging": paging(result, request),
                "can_start": actor.role is Role.PROVIDER and actor.delivery_vehicle_id is not None,
                "show_matrix": actor.role is Role.NATIONAL_ADMIN,
                "vehicle_href": f"/delivery-vehicles/{actor.delivery_vehicle_id}/maturity"
                if actor.delivery_vehicle_id
                else None,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=400 if errors else 200,
        )

    @get("/", guards=[READERS])
    async def list_assessments(
        self, request: Request, actor: NamedDependency[Actor], offset: str | None = None
    ) -> Template:
        return await self._list(request, actor, offset, {})

    @post("/assessments", guards=[PROVIDER])
    async def start(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = button_form()
        started = await form.run(
            lambda _: assessments.start_assessment(actor=actor, now=clock.now()),
            default_field="start",
            passes=(NotAllowed,),
        )
        if started is not None:
            return with_flash(Redirect(path=f"{_base(started)}/self-assessment"), "maturity_assessment_started")
        return await self._list(request, actor, None, form.errors)

    async def _assessment_page(
        self, request: Request, actor: Actor, assessment_id: int, errors: dict[str, str] | None = None
    ) -> Template:
        assessment = await queries.get_assessment(actor=actor, assessment_id=assessment_id)
        errors = errors or {}
        return page(
            request,
            "maturity/assessment.html",
            {
                "title": gettext(
                    "Maturity assessment %(year)s: %(vehicle)s",
                    year=assessment.year_label,
                    vehicle=assessment.delivery_vehicle,
                ),
                "assessment": assessment,
                "base": _base(assessment_id),
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=400 if errors else 200,
        )

    @get("/assessments/{assessment_id:int}", guards=[READERS])
    async def assessment(self, request: Request, actor: NamedDependency[Actor], assessment_id: int) -> Template:
        return await self._assessment_page(request, actor, assessment_id)

    # The vehicle's self-assessment, then its check page and submission

    async def _self_form(
        self, request: Request, actor: Actor, assessment_id: int, form: Form[SelfAssessmentIn] | None = None
    ) -> Template:
        assessment = await queries.get_assessment(actor=actor, assessment_id=assessment_id)
        if not assessment.actions.edit_self_assessment:
            raise NotAllowed()
        shown = form.context() if form is not None else _stored(assessment, "self_level", "evidence")
        return page(
            request,
            "maturity/self_assessment.html",
            {"title": gettext("Your self-assessment"), "assessment": assessment, "base": _base(assessment_id), **shown},
            status_code=200 if form is None else 400,
        )

    @get("/assessments/{assessment_id:int}/self-assessment", guards=[PROVIDER])
    async def self_assessment_form(
        self, request: Request, actor: NamedDependency[Actor], assessment_id: int
    ) -> Template:
        return await self._self_form(request, actor, assessment_id)

    @post("/assessments/{assessment_id:int}/self-assessment", guards=[PROVIDER])
    async def save_self_assessment(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], assessment_id: int
    ) -> Response[Any]:
        domain_ids = [d.id for d in await list_domains()]
        form = await read_form(
            request,
            SelfAssessmentIn,
            messages=ROW_MESSAGES,
            keyed_rows={"answers": _rows(domain_ids, "evidence", optional=True)},
        )
        await form.run(
            lambda data: assessments.save_self_assessment(
                actor=actor, assessment_id=assessment_id, data=data, now=clock.now()
            ),
            default_field="answers",
            passes=(NotAllowed,),
        )
        if not form.ok:
            return await self._self_form(request, actor, assessment_id, form)
        if (await request.form()).get("then") == "check":
            return Redirect(path=f"{_base(assessment_id)}/submit")
        return with_flash(Redirect(path=_base(assessment_id)), "maturity_self_assessment_saved")

    async def _check_page(
        self,
        request: Request,
        actor: Actor,
        assessment_id: int,
        *,
        step: str,
        errors: dict[str, str] | None = None,
        hidden: dict[str, str] | None = None,
    ) -> Template:
        assessment = await queries.get_assessment(actor=actor, assessment_id=assessment_id)
        allowed = {
            "submit": assessment.actions.submit,
            "review": assessment.actions.review,
            "confirm": assessment.actions.confirm,
        }[step]
        if not allowed:
            raise NotAllowed()
        base = _base(assessment_id)
        steps = {
            "submit": (N_("Check your answers before you submit"), f"{base}/self-assessment", f"{base}/submit"),
            "review": (N_("Check your review before you submit it"), f"{base}/review", f"{base}/review/submit"),
            "confirm": (N_("Check the levels before you confirm them"), f"{base}/confirm", f"{base}/confirm"),
        }
        heading, form_path, action = steps[step]
        errors = errors or {}
        return page(
            request,
            "maturity/check.html",
            {
                "title": gettext(heading),
                "assessment": assessment,
                "base": base,
                "step": step,
                "form_path": form_path,
                "action": action,
                "hidden": hidden or {},
                "change_href": f"{form_path}?{urlencode(hidden)}" if hidden else form_path,
                "confirming": _confirming(assessment, hidden or {}),
                "errors": errors,
                "error_list": _summary_to(errors, form_path),
            },
            status_code=400 if errors else 200,
        )

    @get("/assessments/{assessment_id:int}/submit", guards=[PROVIDER])
    async def check_self_assessment(
        self, request: Request, actor: NamedDependency[Actor], assessment_id: int
    ) -> Template:
        return await self._check_page(request, actor, assessment_id, step="submit")

    @post("/assessments/{assessment_id:int}/submit", guards=[PROVIDER])
    async def submit(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], assessment_id: int
    ) -> Response[Any]:
        try:
            await assessments.submit_self_assessment(actor=actor, assessment_id=assessment_id, now=clock.now())
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            return await self._check_page(request, actor, assessment_id, step="submit", errors=_errors_of(exc))
        return with_flash(Redirect(path=_base(assessment_id)), "maturity_assessment_submitted")

    # Naming the peer reviewer

    async def _reviewer_form(
        self,
        request: Request,
        actor: Actor,
        assessment_id: int,
        form: Form[ReviewerIn] | None = None,
    ) -> Template:
        assessment = await queries.get_assessment(actor=actor, assessment_id=assessment_id)
        if not assessment.actions.name_reviewer:
            raise NotAllowed()
        candidates = await queries.reviewer_candidates(
            vehicle_id=assessment.delivery_vehicle_id,
            vehicle_pcpgs=await vehicle_pcpg_ids(assessment.delivery_vehicle_id),
            assessment_id=assessment_id,
        )
        shown = form.context() if form is not None else {"values": {}, "errors": {}, "error_list": []}
        return page(
            request,
            "maturity/reviewer.html",
            {
                "title": gettext("Name the peer reviewer"),
                "assessment": assessment,
                "base": _base(assessment_id),
                "candidates": candidates,
                **shown,
            },
            status_code=200 if form is None else 400,
        )

    @get("/assessments/{assessment_id:int}/reviewer", guards=[NAMERS])
    async def reviewer_form(self, request: Request, actor: NamedDependency[Actor], assessment_id: int) -> Template:
        return await self._reviewer_form(request, actor, assessment_id)

    @post("/assessments/{assessment_id:int}/reviewer", guards=[NAMERS])
    async def name_reviewer(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], assessment_id: int
    ) -> Response[Any]:
        form = await read_form(request, ReviewerIn, messages=REVIEWER_MESSAGES)
        await form.run(
            lambda data: assessments.name_reviewer(
                actor=actor, assessment_id=assessment_id, data=data, now=clock.now()
            ),
            default_field="reviewer_id",
            passes=(NotAllowed,),
        )
        if form.ok:
            return with_flash(Redirect(path=_base(assessment_id)), "maturity_reviewer_named")
        return await self._reviewer_form(request, actor, assessment_id, form)

    # The reviewer: declaration, review, its check page and submission

    @post("/assessments/{assessment_id:int}/declaration", guards=[REVIEWERS])
    async def declare(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], assessment_id: int
    ) -> Response[Any]:
        form = await read_form(
            request,
            ReviewDeclarationIn,
            messages=DECLARATION_MESSAGES,
            choices={"conflict": {"yes": True, "no": False}},
            required=("conflict",),
        )
        stopped = await form.run(
            lambda data: assessments.declare_review_interests(
                actor=actor, assessment_id=assessment_id, data=data, now=clock.now()
            ),
            default_field="conflict",
            passes=(NotAllowed,),
        )
        if form.ok:
            flash = "maturity_review_conflict" if stopped else "maturity_interests_declared"
            return with_flash(Redirect(path=_base(assessment_id)), flash)
        return await self._assessment_page(request, actor, assessment_id, form.errors)

    async def _review_form(
        self, request: Request, actor: Actor, assessment_id: int, form: Form[ReviewIn] | None = None
    ) -> Template:
        assessment = await queries.get_assessment(actor=actor, assessment_id=assessment_id)
        if not assessment.actions.review:
            raise NotAllowed()
        shown = form.context() if form is not None else _stored(assessment, "review_level", "review_comment")
        if form is None:  # the form's input is `comment`
            for values in shown["values"]["answers"].values():
                values["comment"] = values.pop("review_comment")
        return page(
            request,
            "maturity/review.html",
            {"title": gettext("Peer review"), "assessment": assessment, "base": _base(assessment_id), **shown},
            status_code=200 if form is None else 400,
        )

    @get("/assessments/{assessment_id:int}/review", guards=[REVIEWERS])
    async def review_form(self, request: Request, actor: NamedDependency[Actor], assessment_id: int) -> Template:
        return await self._review_form(request, actor, assessment_id)

    @post("/assessments/{assessment_id:int}/review", guards=[REVIEWERS])
    async def save_review(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], assessment_id: int
    ) -> Response[Any]:
        domain_ids = [d.id for d in await list_domains()]
        form = await read_form(
            request,
            ReviewIn,
            messages=ROW_MESSAGES,
            keyed_rows={"answers": _rows(domain_ids, "comment", optional=True)},
        )
        await form.run(
            lambda data: assessments.save_review(actor=actor, assessment_id=assessment_id, data=data, now=clock.now()),
            default_field="answers",
            passes=(NotAllowed,),
        )
        if not form.ok:
            return await self._review_form(request, actor, assessment_id, form)
        if (await request.form()).get("then") == "check":
            return Redirect(path=f"{_base(assessment_id)}/review/submit")
        return with_flash(Redirect(path=_base(assessment_id)), "maturity_review_saved")

    @get("/assessments/{assessment_id:int}/review/submit", guards=[REVIEWERS])
    async def check_review(self, request: Request, actor: NamedDependency[Actor], assessment_id: int) -> Template:
        return await self._check_page(request, actor, assessment_id, step="review")

    @post("/assessments/{assessment_id:int}/review/submit", guards=[REVIEWERS])
    async def submit_review(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], assessment_id: int
    ) -> Response[Any]:
        try:
            await assessments.submit_review(actor=actor, assessment_id=assessment_id, now=clock.now())
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            return await self._check_page(request, actor, assessment_id, step="review", errors=_errors_of(exc))
        return with_flash(Redirect(path=_base(assessment_id)), "maturity_review_submitted")

    # The commissioner confirms: the form, its check page, then the confirmation

    async def _confirm_form(
        self, request: Request, actor: Actor, assessment_id: int, form: Form[ConfirmationIn] | None = None
    ) -> Template:
        assessment = await queries.get_assessment(actor=actor, assessment_id=assessment_id)
        if not assessment.actions.confirm:
            raise NotAllowed()
        if form is not None:
            shown = form.context()
        elif any(name.startswith(("level-", "reason-")) for name in request.query_params):  # back from the check page
            shown = {"values": {"answers": _answers_from(assessment, dict(request.query_params))}, "errors": {}}
            shown["error_list"] = []
        else:
            shown = _stored(assessment, "confirmed_level", "confirmation_reason", default_level="review_level")
            for values in shown["values"]["answers"].values():
                values["reason"] = values.pop("confirmation_reason")
        return page(
            request,
            "maturity/confirm.html",
            {"title": gettext("Confirm the levels"), "assessment": assessment, "base": _base(assessment_id), **shown},
            status_code=200 if form is None else 400,
        )

    async def _read_confirmation(self, request: Request) -> Form[ConfirmationIn]:
        domain_ids = [d.id for d in await list_domains()]
        return await read_form(
            request,
            ConfirmationIn,
            messages=ROW_MESSAGES,
            keyed_rows={"answers": _rows(domain_ids, "reason", optional=False)},
        )

    @get("/assessments/{assessment_id:int}/confirm", guards=[CONFIRMERS])
    async def confirm_form(self, request: Request, actor: NamedDependency[Actor], assessment_id: int) -> Template:
        return await self._confirm_form(request, actor, assessment_id)

    @post("/assessments/{assessment_id:int}/confirm", guards=[CONFIRMERS])
    async def confirm(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], assessment_id: int
    ) -> Response[Any]:
        """The levels, then check your answers (NHS.UK pattern), then the confirmation once the check page's button
        says so (`confirm=yes`)."""
        form = await self._read_confirmation(request)
        posted = await request.form()
        if posted.get("confirm") != "yes":
            await form.run(
                lambda data: assessments.check_confirmation(actor=actor, assessment_id=assessment_id, data=data),
                default_field="answers",
                passes=(NotAllowed,),
            )
            if not form.ok:
                return await self._confirm_form(request, actor, assessment_id, form)
            hidden = {name: str(value) for name, value in posted.items() if name.startswith(("level-", "reason-"))}
            return await self._check_page(request, actor, assessment_id, step="confirm", hidden=hidden)
        await form.run(
            lambda data: assessments.confirm_assessment(
                actor=actor, assessment_id=assessment_id, data=data, now=clock.now()
            ),
            default_field="answers",
            passes=(NotAllowed,),
        )
        if form.ok:
            return with_flash(Redirect(path=_base(assessment_id)), "maturity_assessment_confirmed")
        return await self._confirm_form(request, actor, assessment_id, form)


def _errors_of(exc: DomainError) -> dict[str, str]:
    problems = exc.params.get("problems")
    if isinstance(problems, dict) and problems:
        return {field: gettext(message) for field, message in problems.items()}
    return {exc.field or "answers": gettext(exc.message, **exc.params)}


def _answers_from(assessment: AssessmentOut, given: dict[str, str]) -> dict[int, dict[str, str]]:
    return {
        a.domain_id: {"level": given.get(f"level-{a.domain_id}", ""), "reason": given.get(f"reason-{a.domain_id}", "")}
        for a in assessment.answers
    }


def _confirming(assessment: AssessmentOut, hidden: dict[str, str]) -> list[dict[str, Any]]:
    """On the confirm check page: each domain's level as the commissioner chose it, the reviewer's and the reason."""
    if not hidden:
        return []
    return [
        {
            "domain_id": a.domain_id,
            "domain": a.domain,
            "level": hidden.get(f"level-{a.domain_id}", ""),
            "review_level": a.review_level,
            "reason": hidden.get(f"reason-{a.domain_id}", ""),
        }
        for a in assessment.answers
    ]
