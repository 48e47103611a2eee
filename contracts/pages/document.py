"""The contract document's pages: its accessible web page and the same content as a PDF."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response, Template

from accounts.actor import Actor
from commissioning.controllers.ids import ids_in_range
from contracts.controllers.document import READERS, document_address
from contracts.document import layout
from contracts.pdf import contract_pdf
from contracts.queries.document import contract_document
from core.clock import Clock
from core.i18n import gettext
from web.templating import page


class ContractDocumentPages(Controller):
    """Its own controller under /contracts, beside the contract pages' controller: Litestar joins the two paths'
    handlers, each path given once."""

    path = "/contracts"
    include_in_schema = False
    before_request = ids_in_range

    @get("/{contract_id:int}/document", guards=[READERS])
    async def document(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Template:
        document = await contract_document(actor=actor, contract_id=contract_id, now=clock.now())
        laid = layout(document)
        return page(
            request,
            "contracts/document.html",
            {
                "title": gettext("Contract document %(reference)s", reference=document.reference),
                "document": document,
                "laid": laid,
            },
        )

    @get("/{contract_id:int}/document.pdf", guards=[READERS])
    async def document_pdf(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[bytes]:
        document = await contract_document(actor=actor, contract_id=contract_id, now=clock.now())
        return Response(
            content=contract_pdf(document, address=document_address(request, contract_id)),
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="{document.reference}.pdf"'},
        )
