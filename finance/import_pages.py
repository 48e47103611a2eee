"""Pages: budget lines from a file (issue 14, item 5). Download the template, upload it filled in, see what it would
change (new, changed, unchanged) and confirm: check your answers before a step that cannot be undone. The rows as
read are kept for their user between the check and the confirmation (finance.tables.BudgetImport), and confirming
checks every row again."""

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
from core import spreadsheet
from core.clock import Clock
from core.errors import DomainError
from core.i18n import N_, gettext
from core.periods import FinancialYear
from finance import budget_file, budget_import, queries
from finance.schemas import BudgetImportOut
from web.templating import page, with_flash

SETTERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR)
CHOOSE_A_FILE = N_("Choose the file to upload")


def _years(clock: Clock) -> list[FinancialYear]:
    current = FinancialYear.containing(clock.today().date())
    return [FinancialYear(current.start_year + offset) for offset in range(-1, 4)]


def _chosen_year(clock: Clock, financial_year: int | None) -> int:
    """The template's year: the one asked for if it is offered, else the current one."""
    years = _years(clock)
    wanted = {year.start_year for year in years}
    return financial_year if financial_year in wanted else years[1].start_year


def refusal(exc: DomainError) -> tuple[str, list[str]]:
    """A refusal as the error summary shows it: what is wrong, then each problem by row and column."""
    problems = exc.params.get("problems")
    rows = [gettext(text) for text in problems.values()] if isinstance(problems, dict) else []
    return gettext(exc.message, **exc.params), rows


class BudgetImportPages(Controller):
    path = "/budgets/import"
    include_in_schema = False
    guards = [SETTERS]

    def _upload_page(
        self,
        request: Request,
        clock: Clock,
        financial_year: int | None = None,
        summary: str = "",
        problems: list[str] | None = None,
        status_code: int = 200,
    ) -> Template:
        year = _chosen_year(clock, financial_year)
        error_list = [{"text": summary, "href": "#file"}] if summary else []
        error_list += [{"text": text, "href": "#file"} for text in problems or []]
        return page(
            request,
            "finance/budget_import.html",
            {
                "title": gettext("Set budget lines from a file"),
                "years": _years(clock),
                "financial_year": year,
                "year_label": FinancialYear(year).label,
                "errors": {"file": summary} if summary else {},
                "error_list": error_list,
            },
            status_code=status_code,
        )

    @get("/")
    async def upload_form(
        self, request: Request, clock: NamedDependency[Clock], financial_year: int | None = None
    ) -> Template:
        return self._upload_page(request, clock, financial_year)

    @get("/template.csv")
    async def template_csv(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], financial_year: int | None = None
    ) -> Response[bytes]:
        """The template pre-filled with the reader's PCPGs and the lines already set for the year, as CSV."""
        year = _chosen_year(clock, financial_year)
        return Response(
            budget_file.template_csv(await queries.template_lines(actor=actor, financial_year=year)),
            media_type=spreadsheet.CSV_TYPE,
            headers=spreadsheet.download_headers(budget_file.file_name(year, "csv")),
        )

    @get("/template.xlsx")
    async def template_xlsx(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], financial_year: int | None = None
    ) -> Response[bytes]:
        """The same template as an Excel workbook, with how to fill it in."""
        year = _chosen_year(clock, financial_year)
        lines = await queries.template_lines(actor=actor, financial_year=year)
        return Response(
            budget_file.template_xlsx(lines, year, clock.now()),
            media_type=spreadsheet.XLSX_TYPE,
            headers=spreadsheet.download_headers(budget_file.file_name(year, "xlsx")),
        )

    @post("/", request_max_body_size=MAX_UPLOAD_BODY_BYTES, upload_field="file")
    async def upload(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Any]:
        """Check the whole file: refused with every problem, or kept for the preview (nothing is changed yet)."""
        upload: Any = data.get("file")
        if upload is None or not getattr(upload, "filename", ""):
            return self._upload_page(request, clock, summary=gettext(CHOOSE_A_FILE), status_code=400)
        try:
            import_id, _ = await budget_import.check_budget_file(
                actor=actor, content=await upload.read(), filename=str(upload.filename), now=clock.now()
            )
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            summary, problems = refusal(exc)
            return self._upload_page(request, clock, summary=summary, problems=problems, status_code=400)
        return Redirect(path=f"/budgets/import/{import_id}")

    def _preview_page(
        self,
        request: Request,
        import_id: int,
        filename: str,
        preview: BudgetImportOut,
        summary: str = "",
        problems: list[str] | None = None,
        status_code: int = 200,
    ) -> Template:
        error_list = [{"text": summary, "href": "#changes"}] if summary else []
        error_list += [{"text": text, "href": "#changes"} for text in problems or []]
        return page(
            request,
            "finance/budget_import_preview.html",
            {
                "title": gettext("Check what the file changes"),
                "import_id": import_id,
                "filename": filename,
                "preview": preview,
                "to_change": preview.new + preview.changed,
                "error_list": error_list,
            },
            status_code=status_code,
        )

    @get("/{import_id:int}")
    async def preview(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], import_id: int
    ) -> Response[Any]:
        """What the file would change, worked out from the lines as they stand now."""
        try:
            filename, preview = await budget_import.preview_kept(actor=actor, import_id=import_id, now=clock.now())
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            summary, problems = refusal(exc)
            return self._upload_page(request, clock, summary=summary, problems=problems, status_code=409)
        return self._preview_page(request, import_id, filename, preview)

    @post("/{import_id:int}")
    async def confirm(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        import_id: int,
    ) -> Response[Any]:
        """Apply the file as previewed, every row checked again; if the lines moved since, show the preview anew."""
        seen = str((await request.form()).get("seen", ""))[:64]
        try:
            await budget_import.confirm_budget_file(actor=actor, import_id=import_id, seen=seen, now=clock.now())
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            summary, problems = refusal(exc)
            try:
                filename, preview = await budget_import.preview_kept(actor=actor, import_id=import_id, now=clock.now())
            except DomainError:
                return self._upload_page(request, clock, summary=summary, problems=problems, status_code=400)
            return self._preview_page(
                request, import_id, filename, preview, summary=summary, problems=problems, status_code=409
            )
        return with_flash(Redirect(path="/budgets"), "budget_lines_imported")
