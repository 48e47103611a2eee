"""Pages: contracts made before this service, from a file (issue 14, item 5). Download the template, upload it
filled in, see what it would change (new, changed, unchanged) and confirm: the budget lines' pages
(finance/import_pages.py) in the same steps. The rows as read are kept for their user between the check and the
confirmation (contracts.tables.ContractImport), and confirming checks every row again."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Response, Template

from accounts.actor import Actor
from commissioning.services.bids import MAX_UPLOAD_BODY_BYTES
from contracts import legacy_file
from contracts.controllers.legacy import IMPORTERS
from contracts.services import legacy
from core import spreadsheet
from core.clock import Clock
from core.i18n import gettext
from web.file_import import FileImport, upload_errors
from web.templating import page

STEPS = FileImport(
    address="/contracts/import",
    preview_template="contracts/legacy_import_preview.html",
    done_address="/contracts",
    done_flash="contracts_imported",
    check=legacy.check_contracts_file,
    preview_kept=legacy.preview_kept,
    confirm=legacy.confirm_contracts_file,
)


class LegacyImportPages(Controller):
    path = "/contracts/import"
    include_in_schema = False
    guards = [IMPORTERS]

    def _upload_page(
        self, request: Request, summary: str = "", problems: list[str] | None = None, status_code: int = 200
    ) -> Template:
        return page(
            request,
            "contracts/legacy_import.html",
            {"title": gettext("Bring in contracts made before this service"), **upload_errors(summary, problems)},
            status_code=status_code,
        )

    @get("/")
    async def upload_form(self, request: Request) -> Template:
        return self._upload_page(request)

    @get("/template.csv")
    async def template_csv(self, clock: NamedDependency[Clock]) -> Response[bytes]:
        """The template as CSV: the contracts' headings, then the KPIs' headings below them."""
        return Response(
            legacy_file.template_csv(clock.today().date()),
            media_type=spreadsheet.CSV_TYPE,
            headers=spreadsheet.download_headers(legacy_file.file_name("csv")),
        )

    @get("/template.xlsx")
    async def template_xlsx(self, clock: NamedDependency[Clock]) -> Response[bytes]:
        """The template as an Excel workbook: contracts, KPIs and how to fill it in, a sheet each."""
        return Response(
            legacy_file.template_xlsx(clock.today().date(), clock.now()),
            media_type=spreadsheet.XLSX_TYPE,
            headers=spreadsheet.download_headers(legacy_file.file_name("xlsx")),
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
            actor=actor, now=clock.now(), data=data, upload_page=partial(self._upload_page, request)
        )

    @get("/{import_id:int}")
    async def preview(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], import_id: int
    ) -> Response[Any]:
        return await STEPS.preview(
            request, actor=actor, now=clock.now(), import_id=import_id, upload_page=partial(self._upload_page, request)
        )

    @post("/{import_id:int}")
    async def confirm(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], import_id: int
    ) -> Response[Any]:
        return await STEPS.confirm_posted(
            request, actor=actor, now=clock.now(), import_id=import_id, upload_page=partial(self._upload_page, request)
        )
