"""Pages: the returns list (the provider's returns to do; every other reader's delivery returns), one return whole,
and for the vehicle's users the form with save as draft, the template's upload and the check page before submitting
(issue 13, items 2 and 8)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.services.bids import MAX_UPLOAD_BODY_BYTES
from core.clock import Clock
from core.errors import DomainError, RuleBroken
from core.i18n import N_, gettext
from returns import figures_file, rules
from returns.pages.figures_form import WHOLE_RETURN, figure_values, read_figures
from returns.queries import returns as queries
from returns.queries.submission import spend_warning_of
from returns.rules import ReturnAction, ReturnStatus
from returns.schemas.returns import ReturnOut
from returns.services import submission
from web.forms import error_summary
from web.templating import form_page_offset, page, paging, with_flash

PAGE_SIZE = 25
READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)
PROVIDER = requires_role(Role.PROVIDER)
STATUS_CHOICES = (*((s.value, s.label) for s in ReturnStatus), ("overdue", rules.OVERDUE_LABEL))


def list_title(actor: Actor) -> str:
    return gettext(N_("Returns to do") if actor.role is Role.PROVIDER else N_("Delivery returns"))


def _base(return_id: int) -> str:
    return f"/returns/{return_id}"


class ReturnSubmissionPages(Controller):
    path = "/returns"
    include_in_schema = False

    @get("/", guards=[READERS])
    async def list_returns(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        status: str | None = None,
        offset: str | None = None,
    ) -> Template:
        shown_status = status if status in {value for value, _ in STATUS_CHOICES} else None
        try:
            result = await queries.list_returns(
                actor=actor, now=clock.now(), status=shown_status, limit=PAGE_SIZE, offset=form_page_offset(offset)
            )
        except RuleBroken:  # an offset past any page: the first page instead
            result = await queries.list_returns(actor=actor, now=clock.now(), status=shown_status, limit=PAGE_SIZE)
        return page(
            request,
            "returns/returns.html",
            {
                "title": list_title(actor),
                "is_provider": actor.role is Role.PROVIDER,
                "returns": result.items,
                "paging": paging(result, request),
                "status": shown_status,
                "statuses": [{"value": value, "text": gettext(label)} for value, label in STATUS_CHOICES],
            },
        )

    async def _return(self, actor: Actor, clock: Clock, return_id: int) -> ReturnOut:
        return await queries.get_return(actor=actor, return_id=return_id, now=clock.now())

    def _render(
        self,
        request: Request,
        template: str,
        actor: Actor,
        delivery_return: ReturnOut,
        title: str,
        status_code: int = 200,
        **context: Any,
    ) -> Template:
        summary = delivery_return.summary
        caption = gettext(
            N_("%(reference)s: quarter %(quarter)s of %(year)s")
            if summary.quarters == 1
            else N_("%(reference)s: quarters %(first)s to %(quarter)s of %(year)s (a half-yearly return)"),
            reference=summary.contract_reference,
            first=summary.first_quarter,
            quarter=summary.quarter,
            year=summary.year_label,
        )
        return page(
            request,
            template,
            {
                "title": f"{title} – {caption}",  # each return's pages are told apart by their titles
                "delivery_return": delivery_return,
                "return_path": _base(summary.id),
                "caption": caption,
                "list_title": list_title(actor),
                "actions": {a.action for a in delivery_return.actions},
                "errors": {},
                "error_list": [],
                **context,
            },
            status_code=status_code,
        )

    @get("/{return_id:int}", guards=[READERS])
    async def detail(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Template:
        delivery_return = await self._return(actor, clock, return_id)
        return self._render(
            request,
            "returns/return.html",
            actor,
            delivery_return,
            gettext(
                N_("Delivery return: %(reference)s, quarter %(quarter)s of %(year)s"),
                reference=delivery_return.summary.contract_reference,
                quarter=delivery_return.summary.quarter,
                year=delivery_return.summary.year_label,
            ),
            spend_warning=spend_warning_of(delivery_return),
        )

    def _form_page(
        self,
        request: Request,
        actor: Actor,
        delivery_return: ReturnOut,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return self._render(
            request,
            "returns/edit.html",
            actor,
            delivery_return,
            gettext(N_("Fill in the return")),
            status_code=status_code,
            values=values,
            errors=errors,
            error_list=error_summary(errors),
            editable=ReturnAction.EDIT.value in {a.action for a in delivery_return.actions},
        )

    @get("/{return_id:int}/edit", guards=[PROVIDER])
    async def edit_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Template:
        delivery_return = await self._return(actor, clock, return_id)
        return self._form_page(request, actor, delivery_return, figure_values(delivery_return), {})

    @post("/{return_id:int}/edit", guards=[PROVIDER])
    async def save(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[Any]:
        delivery_return = await self._return(actor, clock, return_id)
        posted = await request.form()
        form = read_figures(posted, delivery_return)
        await form.run(
            lambda figures: submission.save_draft(actor=actor, return_id=return_id, figures=figures, now=clock.now()),
            default_field="figures",
        )
        if not form.ok:
            return self._form_page(request, actor, delivery_return, form.values, form.errors, status_code=400)
        if posted.get("action") == "continue":
            return Redirect(path=f"{_base(return_id)}/submit")
        return with_flash(Redirect(path=_base(return_id)), "delivery_return_saved")

    # The template, filled in and uploaded

    @get("/{return_id:int}/template.csv", guards=[PROVIDER])
    async def template_csv(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[bytes]:
        delivery_return = await self._return(actor, clock, return_id)
        return Response(
            figures_file.template_csv(figures_file.template_rows(delivery_return)),
            media_type="text/csv",
            headers=figures_file.download_headers(figures_file.file_name(delivery_return, "csv")),
        )

    @get("/{return_id:int}/template.xlsx", guards=[PROVIDER])
    async def template_xlsx(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[bytes]:
        delivery_return = await self._return(actor, clock, return_id)
        return Response(
            figures_file.template_xlsx(figures_file.template_rows(delivery_return), delivery_return),
            media_type=figures_file.XLSX_TYPE,
            headers=figures_file.download_headers(figures_file.file_name(delivery_return, "xlsx")),
        )

    def _upload_page(
        self,
        request: Request,
        actor: Actor,
        delivery_return: ReturnOut,
        problems: list[str] | None = None,
        summary: str = "",
        status_code: int = 200,
    ) -> Template:
        error_list = [{"text": summary, "href": "#file"}] if summary else []
        error_list += [{"text": text, "href": "#file"} for text in problems or []]
        return self._render(
            request,
            "returns/upload.html",
            actor,
            delivery_return,
            gettext(N_("Upload the return's figures")),
            status_code=status_code,
            errors={"file": summary} if summary else {},
            error_list=error_list,
            editable=ReturnAction.EDIT.value in {a.action for a in delivery_return.actions},
        )

    @get("/{return_id:int}/upload", guards=[PROVIDER])
    async def upload_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Template:
        delivery_return = await self._return(actor, clock, return_id)
        return self._upload_page(request, actor, delivery_return)

    @post(
        "/{return_id:int}/upload",
        guards=[PROVIDER],
        request_max_body_size=MAX_UPLOAD_BODY_BYTES,
        upload_field="file",
    )
    async def upload(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        return_id: int,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Any]:
        delivery_return = await self._return(actor, clock, return_id)
        upload: Any = data.get("file")
        if upload is None or not getattr(upload, "filename", ""):
            return self._upload_page(
                request, actor, delivery_return, summary=gettext(N_("Choose the file to upload")), status_code=400
            )
        try:
            await submission.import_figures(
                actor=actor,
                return_id=return_id,
                content=await upload.read(),
                filename=upload.filename,
                now=clock.now(),
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            problems = exc.params.get("problems")
            rows = [gettext(text) for text in problems.values()] if isinstance(problems, dict) else []
            return self._upload_page(
                request,
                actor,
                delivery_return,
                problems=rows,
                summary=gettext(exc.message, **exc.params),
                status_code=400,
            )
        return with_flash(Redirect(path=f"{_base(return_id)}/edit"), "delivery_return_uploaded")

    # Check, then submit

    def _check_page(
        self,
        request: Request,
        actor: Actor,
        delivery_return: ReturnOut,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        ids = WHOLE_RETURN
        edit = f"{_base(delivery_return.summary.id)}/edit"
        error_list = [
            {"text": text, "href": f"{edit}#{ids.get(field, field)}" if field != "submit-return" else "#submit-return"}
            for field, text in (errors or {}).items()
        ]
        return self._render(
            request,
            "returns/submit.html",
            actor,
            delivery_return,
            gettext(N_("Check your answers before you submit the return")),
            status_code=status_code,
            edit_path=edit,
            errors=errors or {},
            error_list=error_list,
            spend_warning=spend_warning_of(delivery_return),
            can_submit=ReturnAction.SUBMIT.value in {a.action for a in delivery_return.actions},
        )

    @get("/{return_id:int}/submit", guards=[PROVIDER])
    async def check(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Template:
        delivery_return = await self._return(actor, clock, return_id)
        return self._check_page(request, actor, delivery_return)

    @post("/{return_id:int}/submit", guards=[PROVIDER])
    async def submit(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[Any]:
        delivery_return = await self._return(actor, clock, return_id)
        errors: dict[str, str] = {}
        try:
            await submission.submit_return(actor=actor, return_id=return_id, now=clock.now())
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            problems = exc.params.get("problems")
            if isinstance(problems, dict) and problems:
                errors = {field: gettext(text) for field, text in problems.items()}
            else:
                errors = {"submit-return": gettext(exc.message, **exc.params)}
            return self._check_page(request, actor, delivery_return, errors, status_code=400)
        return with_flash(Redirect(path=_base(return_id)), "delivery_return_submitted")
