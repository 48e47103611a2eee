"""The contract document as a PDF, in the reader's language. The same sections are on its web page (PDFs cannot be
tagged for screen readers, so the page is the accessible version)."""

from __future__ import annotations

from contracts.document import layout
from contracts.schemas.document import ContractDocument
from core.document import document_pdf
from core.i18n import current_language, gettext


def contract_pdf(document: ContractDocument, *, address: str = "") -> bytes:
    """The document in numbered sections like a standard contract, with its web page's address at the end."""
    laid = layout(document)
    return document_pdf(
        laid,
        title=f"{document.reference} – {laid.title}",
        footer=f"{document.reference} – {laid.title} – " + gettext("Version %(version)s", version=document.version),
        language=current_language.get(),
        address=address,
    )
