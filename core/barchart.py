"""A bar chart (core.document.Chart) drawn twice from one description: as a ReportLab drawing for the PDF
(reportlab.graphics.charts.barcharts) and as server-rendered SVG for web pages (a document's web twin and the finance
dashboard), each bar labelled with its value as the reader sees it. Each page puts a table of the same figures beside
the SVG, so nothing is known only from the picture.

The SVG scales to its container (a viewBox and width 100 %, so it reflows at 320 px), names itself to assistive
technology (role img, a <title> and, when given, a <desc>) and never relies on colour alone: each bar is labelled with
its series' name and its value. Its bars are horizontal, each category's name on a line of its own above them, so a
long name needs no room beside the bars; the PDF may draw the same chart with vertical bars."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm

from core.pdf import FONT, register_fonts


@dataclass(frozen=True)
class Series:
    """One set of bars: `values` set their lengths (in any one unit, pence for money), `labels` are the same values
    as the reader sees them, printed on the bars and in the table beside the chart."""

    name: str
    values: list[int]
    labels: list[str]


@dataclass(frozen=True)
class Chart:
    """A bar chart (core/barchart.py): a ReportLab drawing in the PDF; on the page, SVG with a table of the same
    values beside it (the table alternative). `description` (the SVG's <desc>) says in words what the chart shows;
    `horizontal` is the PDF's bars (the SVG's are always horizontal, so they reflow)."""

    caption: str
    category_heading: str
    categories: list[str]
    series: list[Series]
    horizontal: bool = True
    description: str = ""
    kind: str = "chart"

    def __post_init__(self) -> None:
        count = len(self.categories)
        if any(len(series.values) != count or len(series.labels) != count for series in self.series):
            raise ValueError("each series needs a value and a label for each category")

    def svg(self, identifier: str) -> Markup:
        return chart_svg(self, identifier)


# NHS.UK palette colours with at least 4.5:1 against white (WCAG 1.4.11 asks 3:1 of graphics, and a label written
# in white inside a bar needs 4.5:1): NHS blue, NHS dark pink, NHS dark grey, NHS purple. Told apart by the legend's
# words (PDF) or each bar's label (SVG) and the table too, not by colour alone.
PALETTE = ("#005eb8", "#ae2573", "#4c6272", "#330072")
TEXT = "#212b32"  # NHS.UK text colour
AXIS = "#4c6272"  # NHS.UK dark grey

# SVG: a viewBox of this width scaled to its container; text placed as if each glyph were this share of its size.
SVG_WIDTH = 400
SVG_FONT = 14
BAR = 18
GAP = 4  # between the bars of one category
GROUP_GAP = 14  # between categories
NAME_ROOM = 20  # a category's name line
GLYPH = 0.6
# The most characters of a category's name that fit on its line in the SVG (the table beside it has the name whole).
NAME_CHARACTERS = int((SVG_WIDTH - 4) / (SVG_FONT * GLYPH))


def _shortened(text: str, limit: int) -> str:
    """A long name cut at a word's end (the table beside the chart has it whole), so no word is shown broken."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():  # the cut is inside a word: back to the word before it
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,-") + "…"


def _scale(chart: Chart) -> int:
    return max([1, *(value for series in chart.series for value in series.values)])


def chart_drawing(chart: Chart, width_mm: float) -> Drawing:
    """The chart as a ReportLab drawing `width_mm` wide: horizontal bars with the categories on the left, or
    vertical bars with their labels turned upright; a legend when there is more than one series."""
    register_fonts()
    count = max(1, len(chart.categories))
    bars = len(chart.series)
    width = width_mm * mm
    legend_height = 14 if bars > 1 else 0
    if chart.horizontal:
        bar_room = 9 * bars + 4
        height = count * bar_room + 20 + legend_height
        plot: HorizontalBarChart | VerticalBarChart = HorizontalBarChart()
        plot.x, plot.y = 62 * mm, 10
        plot.width, plot.height = width - 62 * mm - 26 * mm, count * bar_room
        plot.categoryAxis.labels.boxAnchor = "e"
        plot.categoryAxis.labels.dx = -4
        plot.categoryAxis.reverseDirection = True  # the first category at the top, as the table reads
        plot.barLabels.boxAnchor = "w"
        plot.barLabels.dx = 3
    else:
        height = 200 + legend_height
        plot = VerticalBarChart()
        plot.x, plot.y = 10 * mm, 24
        plot.width, plot.height = width - 12 * mm, 150
        plot.barLabels.angle = 90
        plot.barLabels.boxAnchor = "w"
        plot.barLabels.dy = 3
    # ReportLab draws a group's first series lowest: reversed, horizontal bars read top down in the legend's order.
    order = list(range(bars))[::-1] if chart.horizontal else list(range(bars))
    plot.data = [[max(0, value) for value in chart.series[n].values] or [0] for n in order]
    plot.categoryAxis.categoryNames = [_shortened(name, 40) for name in chart.categories] or [""]
    plot.categoryAxis.labels.fontName = FONT
    plot.categoryAxis.labels.fontSize = 7
    plot.valueAxis.valueMin = 0
    plot.valueAxis.valueMax = _scale(chart) * (1.25 if not chart.horizontal else 1.0)
    plot.valueAxis.visibleLabels = False
    plot.valueAxis.visibleTicks = False
    plot.valueAxis.visible = False
    plot.barLabelFormat = "values"
    plot.barLabelArray = [chart.series[n].labels or [""] for n in order]
    plot.barLabels.fontName = FONT
    plot.barLabels.fontSize = 7
    plot.barLabels.fillColor = colors.HexColor(TEXT)
    plot.barSpacing = 1
    plot.groupSpacing = 4
    for index, n in enumerate(order):
        plot.bars[index].fillColor = colors.HexColor(PALETTE[n % len(PALETTE)])
        plot.bars[index].strokeColor = None
    drawing = Drawing(width, height)
    drawing.add(plot)
    if bars > 1:
        legend = Legend()
        legend.x, legend.y = plot.x, height - 4
        legend.fontName, legend.fontSize = FONT, 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 120
        legend.colorNamePairs = [
            (colors.HexColor(PALETTE[index % len(PALETTE)]), series.name) for index, series in enumerate(chart.series)
        ]
        drawing.add(legend)
    return drawing


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, anchor: str = "start", bold: bool = False, fill: str = TEXT) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{SVG_FONT}" text-anchor="{anchor}" fill="{fill}"{weight}>'
        f"{escape(text)}</text>"
    )


def chart_svg(chart: Chart, identifier: str) -> Markup:
    """The chart as inline SVG (no script, no style attribute, so the page's CSP holds): for each category its name,
    then one bar per series scaled to the largest value (zero or negative values draw no bar; their label still
    shows them), each labelled "series: value" inside the bar in white when it fits, else after it, else on a line
    of its own. Every text is escaped."""
    scale = _scale(chart)
    left, right = 2.0, SVG_WIDTH - 2.0
    body: list[str] = []
    y = 0.0
    for index, category in enumerate(chart.categories):
        y += NAME_ROOM
        body.append(_text(left, y - 5, _shortened(category, NAME_CHARACTERS), bold=True))
        for number, series in enumerate(chart.series):
            value = series.values[index]
            label = f"{series.name}: {series.labels[index]}"
            length = (right - left) * max(0, value) / scale
            colour = PALETTE[number % len(PALETTE)]
            body.append(
                f'<rect class="app-chart-bar" x="{_fmt(left)}" y="{_fmt(y)}" width="{_fmt(length)}" height="{BAR}" '
                f'fill="{colour}"/>'
            )
            wide = len(label) * SVG_FONT * GLYPH
            baseline = y + BAR / 2 + SVG_FONT * 0.35
            if length >= wide + 8:
                body.append(_text(left + 4, baseline, label, fill="#ffffff"))
            elif left + length + 4 + wide <= right:
                body.append(_text(left + length + 4, baseline, label))
            else:
                y += BAR + GAP
                body.append(_text(left + 4, y + SVG_FONT * 0.8, label))
                y += SVG_FONT - BAR + 2
            y += BAR + GAP
        y += GROUP_GAP - GAP
    body.append(f'<line x1="{_fmt(left)}" y1="0" x2="{_fmt(left)}" y2="{_fmt(y)}" stroke="{AXIS}" stroke-width="1"/>')
    title_id, desc_id = f"{identifier}-title", f"{identifier}-desc"
    labelled_by = f"{title_id} {desc_id}" if chart.description else title_id
    desc = f'<desc id="{desc_id}">{escape(chart.description)}</desc>' if chart.description else ""
    return Markup(  # noqa: S704 - every text in it went through escape()
        f'<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {_fmt(max(y, 1.0))}" '
        f'width="100%" role="img" aria-labelledby="{labelled_by}" font-family="Frutiger W01, Arial, sans-serif">'
        f'<title id="{title_id}">{escape(chart.caption)}</title>{desc}{"".join(body)}</svg>'
    )
