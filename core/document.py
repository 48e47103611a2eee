"""A document laid out once, in numbered sections of facts, tables and text in the reader's language, for its two
forms: the PDF (`document_pdf`, ReportLab) and its accessible twin, the web page (templates/macros/document.html).
Both render the same sections as they are, so they cannot say different things. The contract document, the
delivery return and the finance pack are laid out with it (contracts/document.py, returns/document.py,
finance/spend/pack.py); charts are drawn by core/barchart.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, TableStyle

from core.barchart import Chart, chart_drawing
from core.pdf import NHS_BLUE, build, para, styles, table


@dataclass(frozen=True)
class Facts:
    """Key and value, one a row: a summary list on the page, a two-column table in the PDF."""

    rows: list[tuple[str, str]]
    kind: str = "facts"


@dataclass(frozen=True)
class Grid:
    """A table with a header row; `numeric` columns align right; a `total` row closes it."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    numeric: frozenset[int] = frozenset()
    total: list[str] | None = None
    compact: bool = False  # a smaller type in the PDF, for a table of many amounts
    kind: str = "table"


@dataclass(frozen=True)
class Text:
    text: str
    small: bool = False
    kind: str = "text"


@dataclass(frozen=True)
class Subheading:
    text: str
    kind: str = "subheading"


Block = Facts | Grid | Text | Subheading | Chart


@dataclass(frozen=True)
class Section:
    number: int
    heading: str
    blocks: list[Block] = field(default_factory=list)
    new_page: bool = False  # in the PDF, the section starts a page (after a cover)

    @property
    def anchor(self) -> str:
        return f"section-{self.number}"


@dataclass(frozen=True)
class Layout:
    kicker: str
    title: str
    preamble: list[str]
    sections: list[Section]
    closing: str


WIDTH = 174  # mm between the margins of an A4 page


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


@lru_cache(maxsize=4)
def _style(bold: bool, right: bool, compact: bool) -> ParagraphStyle:
    base = styles()["cell_bold" if bold else "cell"]
    if not right and not compact:
        return base
    size = {"fontSize": 7.5, "leading": 10} if compact else {}
    return ParagraphStyle(
        f"{base.name}{'_right' if right else ''}{'_compact' if compact else ''}",
        parent=base,
        alignment=TA_RIGHT if right else base.alignment,
        **size,
    )


def _aligned(row: list[str], grid: Grid, *, bold: bool = False) -> list[Any]:
    """Amounts and counts align right, as in a ledger; other cells stay text for `table` to wrap (bold in the header
    and total rows)."""
    return [_cell(cell, _style(bold, n in grid.numeric, grid.compact)) for n, cell in enumerate(row)]


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
    if isinstance(block, Chart):
        return [para(block.caption, "h3"), chart_drawing(block, WIDTH)]
    assert isinstance(block, Text)
    return [para(block.text, "small" if block.small else "body")]


def document_pdf(laid: Layout, *, title: str, footer: str, language: str, address: str = "") -> bytes:
    """The layout as a PDF in numbered sections, with its web page's address at the end."""
    story: list[Any] = [para(laid.kicker, "small"), para(laid.title, "title")]
    story += [para(text) for text in laid.preamble]
    for section in laid.sections:
        if section.new_page:
            story.append(PageBreak())
        heading = para(f"{section.number}. {section.heading}", "h2")
        blocks = [flowable for block in section.blocks for flowable in _block(block)]
        story += [KeepTogether([heading, *blocks[:1]]), *blocks[1:]]  # a heading never ends a page alone
    story += [Spacer(1, 12), para(laid.closing, "small")]
    if address:
        story.append(para(address, "small"))
    return build(story, title=title, language=language, footer=footer)
