"""ReportLab set-up shared by every document: a font with the Welsh letters ŵ and ŷ, and the house styles.

The built-in PDF fonts drop ŵ and ŷ silently (STACK-NOTES.md), so every style and table uses Roboto,
shipped in the font-roboto package.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import font_roboto
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "CdvSans"
FONT_BOLD = "CdvSans-Bold"
NHS_BLUE = colors.HexColor("#005eb8")
GREY = colors.HexColor("#4c6272")


@lru_cache(maxsize=1)
def register_fonts() -> None:
    files = Path(font_roboto.__file__).parent / "files"
    pdfmetrics.registerFont(TTFont(FONT, str(files / "Roboto-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(files / "Roboto-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, alignment=TA_LEFT, spaceAfter=6)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=GREY),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=20, leading=24, spaceAfter=10),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            spaceBefore=10,
            spaceAfter=6,
            textColor=NHS_BLUE,
        ),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=6),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=FONT_BOLD, fontSize=9, leading=12, spaceAfter=0),
    }


def para(text: Any, style: str = "body") -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles()[style])


def table(rows: list[list[Any]], widths: list[float], *, header: bool = True) -> Table:
    """Cells become wrapped paragraphs in the document font; the first row is a header when `header`."""
    cells = [
        [
            cell if not isinstance(cell, str | int) else para(cell, "cell_bold" if header and i == 0 else "cell")
            for cell in row
        ]
        for i, row in enumerate(rows)
    ]
    built = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1 if header else 0)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d8dde0")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [("FONTNAME", (0, 0), (-1, 0), FONT_BOLD), ("LINEBELOW", (0, 0), (-1, 0), 1, NHS_BLUE)]
    built.setStyle(TableStyle(commands))
    return built


def build(story: list[Any], *, title: str, language: str, footer: str) -> bytes:
    register_fonts()
    buffer = BytesIO()

    def decorate(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="NHS Wales",
        lang="cy-GB" if language == "cy" else "en-GB",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
