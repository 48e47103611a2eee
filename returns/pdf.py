"""The delivery return's document as a PDF, in the reader's language. The same sections are on its web page (PDFs
cannot be tagged for screen readers, so the page is the accessible version)."""

from __future__ import annotations

from core.document import document_pdf
from core.i18n import current_language
from returns.document import layout, quarter_label
from returns.schemas.document import ReturnDocument


def return_pdf(document: ReturnDocument, *, address: str = "") -> bytes:
    """The return in numbered sections, with its web page's address at the end."""
    laid = layout(document)
    summary = document.the_return.summary
    return document_pdf(
        laid,
        title=f"{summary.contract_reference} – {laid.kicker}",
        footer=f"{summary.contract_reference} – {quarter_label(document.the_return)} – {summary.status_label}",
        language=current_language.get(),
        address=address,
    )


def file_name(document: ReturnDocument) -> str:
    summary = document.the_return.summary
    return f"{summary.contract_reference}-{summary.financial_year}-Q{summary.quarter}.pdf"
