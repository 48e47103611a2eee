"""JSON API's document of a delivery return: the return as a PDF, for whoever may read the return (issue 13, item
8)."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response

from accounts.actor import Actor
from commissioning.controllers.ids import ids_in_range
from commissioning.rules import attachment_disposition
from core.clock import Clock
from returns.controllers.returns import READERS
from returns.pdf import file_name, return_pdf
from returns.queries.document import return_document


def document_address(request: Request, return_id: int) -> str:
    """The web page with the same content (the accessible twin), printed at the end of the PDF."""
    return str(request.base_url).rstrip("/") + f"/returns/{return_id}/document"


class ReturnDocumentController(Controller):
    path = "/api/v1/returns"
    tags = ["Delivery returns"]
    before_request = ids_in_range

    @get(
        "/{return_id:int}/document",
        guards=[READERS],
        media_type="application/pdf",
        summary="The delivery return as a PDF in the reader's language: activity, spend, outcomes, workforce, "
        "narrative, queries and versions",
    )
    async def document(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[bytes]:
        document = await return_document(actor=actor, return_id=return_id, now=clock.now())
        return Response(
            content=return_pdf(document, address=document_address(request, return_id)),
            media_type="application/pdf",
            headers={"content-disposition": attachment_disposition(file_name(document))},
        )
