"""Pages: the finance pack (a PDF and its web page twin) and the spend report's Excel file, made at once or, for a
large report, as an export job whose page refreshes itself until the file is offered (issue 14, items 2 and 3)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.datastructures import MultiDict
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor
from commissioning.rules import attachment_disposition
from core.clock import Clock
from core.errors import NotFound, RuleBroken
from core.i18n import N_, gettext
from finance import queries
from finance.exports import XLSX_TYPE
from finance.pages import READERS
from finance.spend import jobs, pack
from finance.spend.pages import SPEND_INPUTS, filters_in_words, read_spend_filters
from finance.spend.schemas import SpendFilterIn
from web.templating import page

QUERY_NAMES = {"group_by", *SPEND_INPUTS.values()}


def _kept(query: Any) -> list[tuple[str, str]]:
    return [(key, value) for key, value in query.multi_items() if value and key in QUERY_NAMES]


def _filters(query: Any) -> SpendFilterIn:
    """The spend page's query; a download refuses what the page would show as an error (422 naming it)."""
    filters, errors = read_spend_filters(query)
    if errors:
        field, message = next(iter(errors.items()))
        raise RuleBroken(message, field=field)
    return filters


def _twin_address(request: Request, kept: list[tuple[str, str]]) -> str:
    query = "?" + urlencode(kept) if kept else ""
    return str(request.base_url).rstrip("/") + "/finance/spend/document" + query


async def _about(actor: Actor, filters: SpendFilterIn) -> list[tuple[str, str]]:
    pcpgs, _ = await queries.ledger_filter_choices(actor=actor)
    boards = {pcpg.health_board_id: pcpg.health_board for pcpg in pcpgs}
    return filters_in_words(filters, pcpgs, boards)


def _file(content: bytes, name: str, media_type: str) -> Response[bytes]:
    return Response(content, media_type=media_type, headers={"Content-Disposition": attachment_disposition(name)})


class FinancePackPages(Controller):
    """For finance directors (their health board), commissioners (their PCPGs) and national administrators: the
    spend report's scope decides what each pack holds."""

    path = "/finance"
    include_in_schema = False
    guards = [READERS]

    @get("/spend/document")
    async def pack_page(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Template:
        """The pack's accessible twin: the same sections, with each chart's figures as a table."""
        filters = _filters(request.query_params)
        kept = _kept(request.query_params)
        found = await pack.finance_pack(actor=actor, filters=filters, now=clock.now())
        laid = pack.layout(found)
        query = "?" + urlencode(kept) if kept else ""
        return page(
            request,
            "finance/pack.html",
            {
                # Each choice of filters is a pack of its own, told apart by its title.
                "title": f"{laid.kicker}: {laid.title}"
                + (
                    ""
                    if not kept
                    else " (" + "; ".join(f"{name} {value}" for name, value in await _about(actor, filters)) + ")"
                ),
                "laid": laid,
                "pdf_href": "/finance/spend.pdf" + query,
                "spend_href": "/finance/spend" + query,
                "prepared_later": await jobs.runs_in_background(actor=actor, filters=filters),
            },
        )

    async def _offer(self, request: Request, kind: str) -> Template:
        """A large report: the page that offers to prepare the file in the background (a GET never starts one)."""
        return page(
            request,
            "finance/export_offer.html",
            {
                "title": gettext(N_("This file will take a while to prepare")),
                "kind_label": gettext(jobs.KIND_NAMES[kind]),
                "kind": kind,
                "kept": _kept(request.query_params),
                "back_href": "/finance/spend"
                + ("?" + urlencode(_kept(request.query_params)) if _kept(request.query_params) else ""),
            },
        )

    @get("/spend.pdf")
    async def pack_pdf(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        filters = _filters(request.query_params)
        if await jobs.runs_in_background(actor=actor, filters=filters):
            return await self._offer(request, jobs.PACK)
        asked = jobs.Asked(filters=filters, address=_twin_address(request, _kept(request.query_params)))
        content, name = await jobs.make_pack(actor, asked, clock.now(), jobs.no_progress)
        return _file(content, name, jobs.MEDIA_TYPES[jobs.PACK])

    @get("/spend.xlsx")
    async def spend_xlsx(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        """A sheet per grouping asked for (for two, the pair, then each alone), and the About sheet."""
        filters = _filters(request.query_params)
        if await jobs.runs_in_background(actor=actor, filters=filters):
            return await self._offer(request, jobs.WORKBOOK)
        asked = jobs.Asked(filters=filters, about=await _about(actor, filters))
        content, name = await jobs.make_workbook(actor, asked, clock.now(), jobs.no_progress)
        return _file(content, name, XLSX_TYPE)

    @post("/exports")
    async def ask_for_export(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Redirect:
        """Make the job (the file in the reader's language), start it in this process, and show its page."""
        form = await request.form()
        fields = MultiDict([(key, value) for key, value in form.multi_items() if isinstance(value, str)])
        kind = str(fields.get("kind", ""))
        if kind not in jobs.MAKERS:
            raise NotFound("No such file")
        filters = _filters(fields)
        asked = jobs.Asked(
            filters=filters,
            about=await _about(actor, filters),
            address=_twin_address(request, _kept(fields)) if kind == jobs.PACK else "",
        )
        job_id = await jobs.create_export_job(actor=actor, kind=kind, asked=asked, now=clock.now())
        jobs.start_export_job(job_id)
        return Redirect(path=f"/finance/exports/{job_id}", status_code=303)

    @get("/exports/{job_id:int}")
    async def export_page(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], job_id: int
    ) -> Template:
        """Refreshes itself every 3 seconds (no JavaScript) until the file is ready or has failed; a job whose run
        died is started again here."""
        job = await jobs.get_export_job(actor=actor, job_id=job_id, now=clock.now())
        if job.needs_a_run:
            jobs.start_export_job(job_id)
        titles = {
            True: N_("Your file is ready"),
            False: N_("Your file is being prepared"),
        }
        title = N_("Your file could not be prepared") if job.finished and not job.ready else titles[job.ready]
        return page(request, "finance/export_job.html", {"title": gettext(title), "job": job})

    @get("/exports/{job_id:int}/file")
    async def export_download(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], job_id: int
    ) -> Response[bytes]:
        content, name, media_type = await jobs.export_file(actor=actor, job_id=job_id, now=clock.now())
        return _file(content, name, media_type)
