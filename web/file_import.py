"""The pages' steps for rows brought in from a file (budget lines, contracts made before this service): upload the
filled-in template, see what it would change, confirm. Each step is the same whatever the rows are, so it is written
once here; a domain gives its service's three calls (check, preview, confirm) and its two pages (the upload page
drawn with a summary of problems, and the preview's template).

A refusal of the whole file lists every problem by row and column in the error summary; a refusal because the
rows or the lines moved since the preview shows the preview anew, with what changed; 403 and 404 are raised as
they are (out of scope is absent)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from litestar import Request
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor
from core.errors import DomainError
from core.i18n import N_, gettext
from web.templating import page, with_flash

CHOOSE_A_FILE = N_("Choose the file to upload")
PREVIEW_TITLE = N_("Check what the file changes")


class UploadPage(Protocol):
    """The domain's upload page, drawn with what is wrong (nothing on a first visit) and the answer's status."""

    def __call__(self, summary: str = "", problems: list[str] | None = None, status_code: int = 200) -> Template: ...


class Preview(Protocol):
    new: int
    changed: int


def refusal(exc: DomainError) -> tuple[str, list[str]]:
    """A refusal as the error summary shows it: what is wrong, then each problem by row and column."""
    problems = exc.params.get("problems")
    rows = [gettext(text) for text in problems.values()] if isinstance(problems, dict) else []
    return gettext(exc.message, **exc.params), rows


def upload_errors(summary: str, problems: list[str] | None) -> dict[str, Any]:
    """The upload page's error summary and the file input's message, for its template."""
    error_list = [{"text": summary, "href": "#file"}] if summary else []
    error_list += [{"text": text, "href": "#file"} for text in problems or []]
    return {"errors": {"file": summary} if summary else {}, "error_list": error_list}


@dataclass(frozen=True)
class FileImport:
    """One kind of file's steps: where its pages live, its service's calls and where a confirmed file leads."""

    address: str  # the upload page; a kept check is at f"{address}/{id}"
    preview_template: str
    done_address: str
    done_flash: str
    check: Callable[..., Awaitable[tuple[int, Any]]]  # (actor=, content=, filename=, now=) -> (kept id, preview)
    preview_kept: Callable[..., Awaitable[tuple[str, Any]]]  # (actor=, import_id=, now=) -> (file name, preview)
    confirm: Callable[..., Awaitable[Any]]  # (actor=, import_id=, seen=, now=)

    async def upload(
        self, *, actor: Actor, now: datetime, data: dict[str, Any], upload_page: UploadPage
    ) -> Response[Any]:
        """Check the whole file: refused with every problem, or kept for the preview (nothing is changed yet)."""
        upload: Any = data.get("file")
        if upload is None or not getattr(upload, "filename", ""):
            return upload_page(summary=gettext(CHOOSE_A_FILE), status_code=400)
        try:
            import_id, _ = await self.check(
                actor=actor, content=await upload.read(), filename=str(upload.filename), now=now
            )
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            summary, problems = refusal(exc)
            return upload_page(summary=summary, problems=problems, status_code=400)
        return Redirect(path=f"{self.address}/{import_id}")

    def preview_page(
        self,
        request: Request,
        import_id: int,
        filename: str,
        preview: Preview,
        summary: str = "",
        problems: list[str] | None = None,
        status_code: int = 200,
    ) -> Template:
        error_list = [{"text": summary, "href": "#changes"}] if summary else []
        error_list += [{"text": text, "href": "#changes"} for text in problems or []]
        return page(
            request,
            self.preview_template,
            {
                "title": gettext(PREVIEW_TITLE),
                "import_id": import_id,
                "filename": filename,
                "preview": preview,
                "to_change": preview.new + preview.changed,
                "error_list": error_list,
            },
            status_code=status_code,
        )

    async def preview(
        self, request: Request, *, actor: Actor, now: datetime, import_id: int, upload_page: UploadPage
    ) -> Response[Any]:
        """What the file would change, worked out from how things stand now."""
        try:
            filename, preview = await self.preview_kept(actor=actor, import_id=import_id, now=now)
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            summary, problems = refusal(exc)
            return upload_page(summary=summary, problems=problems, status_code=409)
        return self.preview_page(request, import_id, filename, preview)

    async def confirm_posted(
        self, request: Request, *, actor: Actor, now: datetime, import_id: int, upload_page: UploadPage
    ) -> Response[Any]:
        """Apply the file as previewed, every row checked again; if anything moved since, show the preview anew."""
        seen = str((await request.form()).get("seen", ""))[:64]
        try:
            await self.confirm(actor=actor, import_id=import_id, seen=seen, now=now)
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            summary, problems = refusal(exc)
            try:
                filename, preview = await self.preview_kept(actor=actor, import_id=import_id, now=now)
            except DomainError:
                return upload_page(summary=summary, problems=problems, status_code=400)
            return self.preview_page(
                request, import_id, filename, preview, summary=summary, problems=problems, status_code=409
            )
        return with_flash(Redirect(path=self.done_address), self.done_flash)
