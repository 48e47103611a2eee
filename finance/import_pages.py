"""Pages: budget lines from a file (issue 14, item 5). Download the template, upload it filled in, see what it would
change (new, changed, unchanged) and confirm: check your answers before a step that cannot be undone. The rows as
read are kept for their user between the check and the confirmation (finance.tables.BudgetImport), and confirming
checks every row again."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.services.bids import MAX_UPLOAD_BODY_BYTES
from core import spreadsheet
from core.clock import Clock
from core.i18n import gettext
from core.periods import FinancialYear
from finance import budget_file, budget_import, queries
from web.file_import import FileImport, upload_errors
from web.templating import page

SETTERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR)


def _years(clock: Clock) -> list[FinancialYear]:
    current = FinancialYear.containing(clock.today().date())
    return [FinancialYear(current.start_year + offset) for offset in range(-1, 4)]


def _chosen_year(clock: Clock, financial_year: int | None) -> int:
    """The template's year: the one asked for if it is offered, else the current one."""
    years = _years(clock)
    wanted = {year.start_year for year in years}
    return financial_year if financial_year in wanted else years[1].start_year


STEPS = FileImport(
    address="/budgets/import",
    preview_template="finance/budget_import_preview.html",
    done_address="/budgets",
    done_flash="budget_lines_imported",
    check=budget_import.check_budget_file,
    preview_kept=budget_import.preview_kept,
    confirm=budget_import.confirm_budget_file,
)


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
        return page(
            request,
            "finance/budget_import.html",
            {
                "title": gettext("Set budget lines from a file"),
                "years": _years(clock),
                "financial_year": year,
                "year_label": FinancialYear(year).label,
                **upload_errors(summary, problems),
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
        return await STEPS.upload(
            actor=actor, now=clock.now(), data=data, upload_page=partial(self._upload_page, request, clock)
        )

    @get("/{import_id:int}")
    async def preview(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], import_id: int
    ) -> Response[Any]:
        return await STEPS.preview(
            request,
            actor=actor,
            now=clock.now(),
            import_id=import_id,
            upload_page=partial(self._upload_page, request, clock),
        )

    @post("/{import_id:int}")
    async def confirm(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], import_id: int
    ) -> Response[Any]:
        return await STEPS.confirm_posted(
            request,
            actor=actor,
            now=clock.now(),
            import_id=import_id,
            upload_page=partial(self._upload_page, request, clock),
        )
