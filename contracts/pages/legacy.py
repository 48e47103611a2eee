"""Pages: contracts made before this service, from a file (issue 14, item 5). Download the template, upload it
filled in, see what it would change (new, changed, unchanged) and confirm: the budget lines' pages
(finance/import_pages.py) in the same steps. The rows as read are kept for their user between the check and the
confirmation (contracts.tables.ContractImport), and confirming checks every row again."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor
from commissioning.services.bids import MAX_UPLOAD_BODY_BYTES
from contracts import legacy_file
from contracts.controllers.legacy import IMPORTERS
from contracts.schemas.legacy import LegacyImportOut
from contracts.services import legacy
from core import spreadsheet
from core.clock import Clock
from core.errors import DomainError
from core.i18n import gettext
from finance.import_pages import CHOOSE_A_FILE, refusal
from web.templating import page, with_flash


class LegacyImportPages(Controller):
    path = "/contracts/import"
    include_in_schema = False
    guards = [IMPORTERS]

    def _upload_page(
        self, request: Request, summary: str = "", problems: list[str] | None = None, status_code: int = 200
    ) -> Template:
        error_list = [{"text": summary, "href": "#file"}] if summary else []
        error_list += [{"text": text, "href": "#file"} for text in problems or []]
        return page(
            request,
            "contracts/legacy_import.html",
            {
                "title": gettext("Bring in contracts made before this service"),
                "errors": {"file": summary} if summary else {},
                "error_list": error_list,
            },
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
        """Check the whole file: refused with every problem, or kept for the preview (nothing is changed yet)."""
        upload: Any = data.get("file")
        if upload is None or not getattr(upload, "filename", ""):
            return self._upload_page(request, summary=gettext(CHOOSE_A_FILE), status_code=400)
        try:
            import_id, _ = await legacy.check_contracts_file(
                actor=actor, content=await upload.read(), filename=str(upload.filename), now=clock.now()
            )
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            summary, problems = refusal(exc)
            return self._upload_page(request, summary=summary, problems=problems, status_code=400)
        return Redirect(path=f"/contracts/import/{import_id}")

    def _preview_page(
        self,
        request: Request,
        import_id: int,
        filename: str,
        preview: LegacyImportOut,
        summary: str = "",
        problems: list[str] | None = None,
        status_code: int = 200,
    ) -> Template:
        error_list = [{"text": summary, "href": "#changes"}] if summary else []
        error_list += [{"text": text, "href": "#changes"} for text in problems or []]
        return page(
            request,
            "contracts/legacy_import_preview.html",
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
        """What the file would change, worked out from the contracts and budget lines as they stand now."""
        try:
            filename, preview = await legacy.preview_kept(actor=actor, import_id=import_id, now=clock.now())
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            summary, problems = refusal(exc)
            return self._upload_page(request, summary=summary, problems=problems, status_code=409)
        return self._preview_page(request, import_id, filename, preview)

    @post("/{import_id:int}")
    async def confirm(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], import_id: int
    ) -> Response[Any]:
        """Apply the file as previewed, every row checked again; if anything moved since, show the preview anew."""
        seen = str((await request.form()).get("seen", ""))[:64]
        try:
            await legacy.confirm_contracts_file(actor=actor, import_id=import_id, seen=seen, now=clock.now())
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            summary, problems = refusal(exc)
            try:
                filename, preview = await legacy.preview_kept(actor=actor, import_id=import_id, now=clock.now())
            except DomainError:
                return self._upload_page(request, summary=summary, problems=problems, status_code=400)
            return self._preview_page(
                request, import_id, filename, preview, summary=summary, problems=problems, status_code=409
            )
        return with_flash(Redirect(path="/contracts"), "contracts_imported")
