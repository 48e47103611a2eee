"""Pages for reviewing delivery returns (issue 13, items 3 and 8): the commissioner's queue of submitted returns, the
review page (the figures as submitted, the spend against the quarter's share, KPI values with RAG, a comment box per
field) with "Accept" and "Query" each after a check page; the correction of an accepted return (figures and reason,
then a check page showing what changes); and a return's history. Each calls the same service as the API; none needs
JavaScript (long comments travel in the posted form, never in a link)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.errors import DomainError
from core.i18n import N_, gettext
from returns import rules
from returns.pages.figures_form import figure_values, read_figures
from returns.queries import history as history_queries
from returns.queries import review as queries
from returns.queries.history import change_words
from returns.queries.review import ReviewOut
from returns.schemas.returns import ReturnFiguresIn
from returns.schemas.review import REASON_MAX_LENGTH, QueryCommentIn
from returns.services import review
from returns.services.figures import figure_problems
from web.forms import button_form, error_summary
from web.templating import form_page_offset, page, paging, with_flash

PAGE_SIZE = 25
COMMISSIONER = requires_role(Role.COMMISSIONER)
CORRECTORS = requires_role(Role.PROVIDER, Role.COMMISSIONER)
READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)

COMMENT_PREFIX = "comment-"
NO_COMMENT = N_("Write a comment on at least one field to query the return")
COMMENT_TOO_LONG = N_("Write the comment in %(max)s characters or fewer")
GIVE_REASON = N_("Give the reason for the correction")
REASON_TOO_LONG = N_("Give the reason in %(max)s characters or fewer")
NOTHING_CHANGES = N_("Change at least one figure: these are the figures as accepted")


def _period(out: ReviewOut) -> str:
    summary = out.delivery_return.summary
    return gettext(N_("Q%(quarter)s %(year)s"), quarter=summary.quarter, year=summary.year_label)


def _comments(posted: Any, fields: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The comment boxes as typed (every field's), and the problems: none written, or one too long."""
    values = {field: str(posted.get(COMMENT_PREFIX + field, "")).strip() for field in fields}
    errors: dict[str, str] = {}
    for field, text in values.items():
        if len(text) > rules.COMMENT_MAX_LENGTH:
            errors[COMMENT_PREFIX + field] = gettext(COMMENT_TOO_LONG, max=f"{rules.COMMENT_MAX_LENGTH:,}")
    if not any(values.values()) and fields:
        errors[COMMENT_PREFIX + fields[0]] = gettext(NO_COMMENT)
    return values, errors


def _read_correction(posted: Any, out: ReviewOut) -> tuple[dict[str, str], ReturnFiguresIn | None, dict[str, str]]:
    """The correction form's answers as typed: the figures (read as the vehicle's form reads them) and the reason,
    with the problems on their fields (the service then checks the figures are a whole return, naming the same
    fields)."""
    form = read_figures(posted, out.delivery_return)
    values = form.values | {"reason": str(posted.get("reason", "")).strip()}
    errors = dict(form.errors)
    if form.data is not None:  # a correction replaces the figures whole: each one is asked for before the check page
        the_return = out.delivery_return
        _, problems = figure_problems(
            form.data,
            clusters={a.cluster_id: a.name for a in the_return.activity},
            kpis={k.contract_kpi_id: k.name for k in the_return.kpis},
            whole=True,
        )
        errors = problems | errors
    if not values["reason"]:
        errors["reason"] = gettext(GIVE_REASON)
    elif len(values["reason"]) > REASON_MAX_LENGTH:
        errors["reason"] = gettext(REASON_TOO_LONG, max=f"{REASON_MAX_LENGTH:,}")
    return values, (None if errors else form.data), errors


def _changes(out: ReviewOut, figures: ReturnFiguresIn) -> list[str]:
    """What the correction changes, in the words the history will use."""
    current = queries.flat_current(out.delivery_return)
    proposed = rules.flat_figures(review.snapshot(figures))
    names = out.names
    return [
        change_words(field, before, after, names, out.delivery_return.unit_of_activity)
        for field, before, after in rules.figure_changes(current, proposed, names.order)
    ]


class ReturnReviewPages(Controller):
    path = "/returns"
    include_in_schema = False

    def _render(
        self,
        request: Request,
        template: str,
        out: ReviewOut,
        title: str,
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        **context: Any,
    ) -> Template:
        errors = errors or {}
        summary = out.delivery_return.summary
        return page(
            request,
            template,
            {
                "title": title,
                "review": out,
                "delivery_return": out.delivery_return,
                "summary": summary,
                "period": _period(out),
                "return_path": f"/returns/{summary.id}",
                "contract_path": f"/contracts/{summary.contract_id}",
                "errors": errors,
                "error_list": error_summary(errors),
                **context,
            },
            status_code=status_code,
        )

    @get("/review", guards=[COMMISSIONER])
    async def queue(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], offset: str | None = None
    ) -> Template:
        result = await queries.review_queue(
            actor=actor, now=clock.now(), limit=PAGE_SIZE, offset=min(form_page_offset(offset), 1_000_000)
        )
        return page(
            request,
            "returns/review_queue.html",
            {"title": gettext(N_("Returns to review")), "items": result.items, "paging": paging(result, request)},
        )

    # Review: the figures with a comment box per field; accept or query, each after a check page.

    async def _review_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        return_id: int,
        *,
        comments: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        out = await queries.get_review(actor=actor, return_id=return_id, now=clock.now())
        return self._render(
            request,
            "returns/review.html",
            out,
            gettext(
                N_("Review the return: %(reference)s, %(period)s"),
                reference=out.delivery_return.summary.contract_reference,
                period=_period(out),
            ),
            errors=errors,
            status_code=status_code,
            comments=comments or {},
            comment_prefix=COMMENT_PREFIX,
        )

    @get("/{return_id:int}/review", guards=[COMMISSIONER])
    async def review_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Template:
        return await self._review_page(request, actor, clock, return_id)

    @post("/{return_id:int}/query", guards=[COMMISSIONER])
    async def query(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[Any]:
        """The comments typed, then the check page (rendered from the post: comments can be long), then the query
        once confirmed; "change" goes back to the comment boxes as typed. Nothing is written without confirm=yes."""
        out = await queries.get_review(actor=actor, return_id=return_id, now=clock.now())
        posted = await request.form()
        fields = [f.field for f in out.fields]
        values, errors = _comments(posted, fields)
        if errors or posted.get("change") == "yes":
            return await self._review_page(
                request, actor, clock, return_id, comments=values, errors=errors, status_code=400 if errors else 200
            )
        chosen = [QueryCommentIn(field=field, comment=text) for field, text in values.items() if text]
        if posted.get("confirm") == "yes":
            form = button_form(ids={"confirm": "confirm-button"})
            done = await form.run(
                lambda _: review.query_return(actor=actor, return_id=return_id, comments=chosen, now=clock.now()),
                default_field="confirm",
            )
            if done is not None:
                return with_flash(Redirect(path="/returns/review"), "return_queried")
            errors = form.errors
        labels = {f.field: f.label for f in out.fields}
        return self._render(
            request,
            "returns/query_check.html",
            out,
            gettext(N_("Check your query before you send it")),
            errors=errors,
            status_code=409 if errors else 200,
            chosen=[{"field": c.field, "label": labels[c.field], "comment": c.comment} for c in chosen],
            comment_prefix=COMMENT_PREFIX,
        )

    @get("/{return_id:int}/accept", guards=[COMMISSIONER])
    async def accept_check(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Template:
        out = await queries.get_review(actor=actor, return_id=return_id, now=clock.now())
        return self._render(
            request, "returns/accept_check.html", out, gettext(N_("Check before you accept the return"))
        )

    @post("/{return_id:int}/accept", guards=[COMMISSIONER])
    async def accept(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[Any]:
        form = button_form(ids={"confirm": "confirm-button"})
        done = await form.run(
            lambda _: review.accept_return(actor=actor, return_id=return_id, now=clock.now()), default_field="confirm"
        )
        if done is not None:
            return with_flash(Redirect(path="/returns/review"), "return_accepted")
        out = await queries.get_review(actor=actor, return_id=return_id, now=clock.now())
        return self._render(
            request,
            "returns/accept_check.html",
            out,
            gettext(N_("Check before you accept the return")),
            errors=form.errors,
            status_code=409,
        )

    # Correct an accepted return: the figures and a reason, the check page showing what changes, then confirm.

    async def _correct_page(
        self,
        request: Request,
        out: ReviewOut,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return self._render(
            request,
            "returns/correct.html",
            out,
            gettext(
                N_("Correct the accepted return: %(reference)s, %(period)s"),
                reference=out.delivery_return.summary.contract_reference,
                period=_period(out),
            ),
            errors=errors,
            status_code=status_code,
            values=values,
        )

    @get("/{return_id:int}/correct", guards=[CORRECTORS])
    async def correct_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Template:
        out = await queries.get_review(actor=actor, return_id=return_id, now=clock.now())
        return await self._correct_page(request, out, figure_values(out.delivery_return) | {"reason": ""}, {})

    @post("/{return_id:int}/correct", guards=[CORRECTORS])
    async def correct(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[Any]:
        """Figures and reason, then "check your answers" showing each change in words (rendered from the post), then
        the correction once confirmed; "change" goes back to the form as typed."""
        out = await queries.get_review(actor=actor, return_id=return_id, now=clock.now())
        posted = await request.form()
        values, figures, errors = _read_correction(posted, out)
        if figures is None or posted.get("change") == "yes":
            return await self._correct_page(request, out, values, errors, status_code=400 if errors else 200)
        changes = _changes(out, figures)
        if not changes:
            return await self._correct_page(
                request, out, values, {rules.SPEND_FIELD: gettext(NOTHING_CHANGES)}, status_code=400
            )
        if posted.get("confirm") == "yes":
            try:
                await review.correct_return(
                    actor=actor, return_id=return_id, figures=figures, reason=values["reason"], now=clock.now()
                )
            except DomainError as exc:
                if exc.status_code == 404:
                    raise
                problems = exc.params.get("problems")
                if isinstance(problems, dict) and problems:
                    errors = {field: gettext(text) for field, text in problems.items()}
                else:
                    errors = {
                        exc.field if exc.field in values else rules.SPEND_FIELD: gettext(exc.message, **exc.params)
                    }
                return await self._correct_page(
                    request, out, values, errors, status_code=409 if exc.status_code == 409 else 400
                )
            return with_flash(Redirect(path=f"/returns/{return_id}/history"), "return_corrected")
        return self._render(
            request,
            "returns/correct_check.html",
            out,
            gettext(N_("Check the correction before you make it")),
            values=values,
            changes=changes,
            reason=values["reason"],
        )

    @get("/{return_id:int}/history", guards=[READERS])
    async def history(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Template:
        found = await history_queries.return_history(actor=actor, return_id=return_id, now=clock.now())
        names = await queries.field_names(found.summary.contract_id)
        return page(
            request,
            "returns/history.html",
            {
                "title": gettext(
                    N_("History of the return: %(reference)s, %(period)s"),
                    reference=found.summary.contract_reference,
                    period=gettext(
                        N_("Q%(quarter)s %(year)s"), quarter=found.summary.quarter, year=found.summary.year_label
                    ),
                ),
                "history": found,
                "summary": found.summary,
                "labels": {field: names.label(field) for field in {q.field for v in found.versions for q in v.queries}},
                "contract_path": f"/contracts/{found.summary.contract_id}",
            },
        )
