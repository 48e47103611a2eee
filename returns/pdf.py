"""The delivery return's document as a PDF, in the reader's language. The same sections are on its web page (PDFs
cannot be tagged for screen readers, so the page is the accessible version). Drawn as the contract document is
(contracts/pdf.py): the same blocks, fonts with ŵ and ŷ (core/pdf.py), a heading never alone at a page's foot."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Spacer, TableStyle

from contracts.document import Block, Facts, Grid, Subheading, Text
from core.i18n import current_language
from core.pdf import NHS_BLUE, para, styles, table
from core.pdf import build as build_pdf
from returns.document import layout, quarter_label
from returns.schemas.document import ReturnDocument

WIDTH = 174  # mm between the margins of an A4 page


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


@lru_cache(maxsize=2)
def _right(bold: bool) -> ParagraphStyle:
    base = styles()["cell_bold" if bold else "cell"]
    return ParagraphStyle(f"{base.name}_right", parent=base, alignment=TA_RIGHT)


def _aligned(row: list[str], grid: Grid, *, bold: bool = False) -> list[Any]:
    return [
        _cell(cell, _right(bold) if n in grid.numeric else styles()["cell_bold" if bold else "cell"])
        for n, cell in enumerate(row)
    ]


def _block(block: Block) -> list[Any]:
    if isinstance(block, Facts):
        facts = [[_cell(key, styles()["cell_bold"]), _cell(value, styles()["cell"])] for key, value in block.rows]
        return [table(facts, [55, WIDTH - 55], header=False)]
    if isinstance(block, Grid):
        rows: list[list[Any]] = [_aligned(block.header, block, bold=True)]
        rows += [_aligned(row, block) for row in block.rows]
        if block.total is not None:
            rows.append(_aligned(block.total, block, bold=True))
        built = table(rows, block.widths)  # the header row repeats on every page the table runs onto
        if block.total is not None:
            built.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 1, NHS_BLUE)]))
        return [built]
    if isinstance(block, Subheading):
        return [para(block.text, "h3")]
    assert isinstance(block, Text)
    return [para(block.text, "small" if block.small else "body")]


def return_pdf(document: ReturnDocument, *, address: str = "") -> bytes:
    """The return in numbered sections, with its web page's address at the end."""
    language = current_language.get()
    laid = layout(document)
    story: list[Any] = [para(laid.kicker, "small"), para(laid.title, "title")]
    story += [para(text) for text in laid.preamble]
    for section in laid.sections:
        heading = para(f"{section.number}. {section.heading}", "h2")
        blocks = [flowable for block in section.blocks for flowable in _block(block)]
        story += [KeepTogether([heading, *blocks[:1]]), *blocks[1:]]
    story += [Spacer(1, 12), para(laid.closing, "small")]
    if address:
        story.append(para(address, "small"))
    summary = document.the_return.summary
    return build_pdf(
        story,
        title=f"{summary.contract_reference} – {laid.kicker}",
        language=language,
        footer=f"{summary.contract_reference} – {quarter_label(document.the_return)} – {summary.status_label}",
    )


def file_name(document: ReturnDocument) -> str:
    summary = document.the_return.summary
    return f"{summary.contract_reference}-{summary.financial_year}-Q{summary.quarter}.pdf"
