"""JSON API's one document: the contract as a PDF, for whoever may read the contract."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from commissioning.rules import attachment_disposition
from contracts.pdf import contract_pdf
from contracts.queries.document import contract_document
from core.clock import Clock

READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)


def document_address(request: Request, contract_id: int) -> str:
    """The web page with the same content (the accessible twin), printed at the end of the PDF."""
    return str(request.base_url).rstrip("/") + f"/contracts/{contract_id}/document"


class ContractDocumentController(Controller):
    path = "/api/v1/contracts"
    tags = ["Contracts"]
    before_request = ids_in_range

    @get(
        "/{contract_id:int}/document",
        guards=[READERS],
        media_type="application/pdf",
        summary="The contract document (PDF) in the reader's language, in the structure of the NHS Standard Contract",
    )
    async def document(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[bytes]:
        document = await contract_document(actor=actor, contract_id=contract_id, now=clock.now())
        return Response(
            content=contract_pdf(document, address=document_address(request, contract_id)),
            media_type="application/pdf",
            headers={"content-disposition": attachment_disposition(f"{document.reference}.pdf")},
        )
