"""The delivery return's document pages: its accessible web page and the same content as a PDF (issue 13, item 8)."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response, Template

from accounts.actor import Actor
from commissioning.controllers.ids import ids_in_range
from core.clock import Clock
from core.i18n import gettext
from returns.controllers.document import document_address
from returns.controllers.returns import READERS
from returns.document import layout, quarter_label
from returns.pdf import file_name, return_pdf
from returns.queries.document import return_document
from web.templating import page


class ReturnDocumentPages(Controller):
    """Its own controller under /returns, beside the return's other pages: Litestar joins the paths' handlers."""

    path = "/returns"
    include_in_schema = False
    before_request = ids_in_range

    @get("/{return_id:int}/document", guards=[READERS])
    async def document(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Template:
        document = await return_document(actor=actor, return_id=return_id, now=clock.now())
        summary = document.the_return.summary
        return page(
            request,
            "returns/document.html",
            {
                "title": gettext(
                    "Delivery return %(quarter)s: %(reference)s",
                    quarter=quarter_label(document.the_return),
                    reference=summary.contract_reference,
                ),
                "return_id": return_id,
                "laid": layout(document),
            },
        )

    @get("/{return_id:int}/document.pdf", guards=[READERS])
    async def document_pdf(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], return_id: int
    ) -> Response[bytes]:
        document = await return_document(actor=actor, return_id=return_id, now=clock.now())
        return Response(
            content=return_pdf(document, address=document_address(request, return_id)),
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="{file_name(document)}"'},
        )
