"""JSON API: a delivery vehicle fills in a return and submits it (issue 13, item 2): save the figures as a draft,
download the template and upload it filled in, submit (answered with the spend warning, if any)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.services.bids import MAX_UPLOAD_BODY_BYTES
from core.clock import Clock
from returns import figures_file
from returns.queries import returns as return_queries
from returns.queries.submission import get_submission
from returns.schemas.returns import ReturnFiguresIn
from returns.schemas.submission import FiguresUploadIn, SubmissionOut
from returns.services import submission

PROVIDER = requires_role(Role.PROVIDER)


class ReturnSubmissionController(Controller):
    path = "/api/v1/returns/{return_id:int}"
    tags = ["Delivery returns"]
    guards = [PROVIDER]

    @put(
        "/figures",
        summary="Save the figures as a draft (they replace what was saved; a draft may leave figures out). A queried "
        "return stays queried until it is submitted again",
    )
    async def save_figures(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int, data: ReturnFiguresIn
    ) -> SubmissionOut:
        await submission.save_draft(actor=actor, return_id=return_id, figures=data, now=clock.now())
        return await get_submission(actor=actor, return_id=return_id, now=clock.now())

    @post(
        "/submit",
        status_code=200,
        summary="Submit the saved figures: once the quarter is over and every figure is there (422 naming each one "
        "missing). Answers the return with `spend_warning` when the spend is more than 10% away from the quarter's "
        "share of the contract's value (a warning, not a refusal)",
    )
    async def submit(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> SubmissionOut:
        await submission.submit_return(actor=actor, return_id=return_id, now=clock.now())
        return await get_submission(actor=actor, return_id=return_id, now=clock.now())

    @get(
        "/template.csv",
        media_type="text/csv",
        summary="The return's template as CSV, pre-filled with its clusters, KPIs and saved figures",
    )
    async def template_csv(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[bytes]:
        delivery_return = await return_queries.get_return(actor=actor, return_id=return_id, now=clock.now())
        return Response(
            figures_file.template_csv(figures_file.template_rows(delivery_return)),
            media_type="text/csv",
            headers=figures_file.download_headers(figures_file.file_name(delivery_return, "csv")),
        )

    @get(
        "/template.xlsx",
        media_type=figures_file.XLSX_TYPE,
        summary="The return's template as an Excel workbook, with an About sheet",
    )
    async def template_xlsx(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[bytes]:
        delivery_return = await return_queries.get_return(actor=actor, return_id=return_id, now=clock.now())
        return Response(
            figures_file.template_xlsx(figures_file.template_rows(delivery_return), delivery_return),
            media_type=figures_file.XLSX_TYPE,
            headers=figures_file.download_headers(figures_file.file_name(delivery_return, "xlsx")),
        )

    @post(
        "/upload",
        status_code=200,
        summary="Upload the template filled in (CSV or XLSX, 10 MiB at most) as the draft, all or nothing: a file "
        "with problems is refused whole (422, one error per problem naming its row and column), and so is the "
        "template of another return",
        request_max_body_size=MAX_UPLOAD_BODY_BYTES,
        upload_field="file",
    )
    async def upload(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        return_id: int,
        data: Annotated[FiguresUploadIn, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> SubmissionOut:
        content = await data.file.read()
        await submission.import_figures(
            actor=actor, return_id=return_id, content=content, filename=data.file.filename, now=clock.now()
        )
        return await get_submission(actor=actor, return_id=return_id, now=clock.now())
