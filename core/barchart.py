"""A document's bar chart (core.document.Chart) drawn twice from one description: as a ReportLab drawing for the PDF
(reportlab.graphics.charts.barcharts) and as server-rendered SVG for its web page twin, each bar labelled with its
value as the reader sees it. The page puts a table beside the SVG, so nothing is known only from the picture."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm

from core.pdf import FONT, register_fonts

if TYPE_CHECKING:
    from core.document import Chart

# NHS.UK blue and dark grey: told apart by the legend's words and the table too, not by colour alone.
COLOURS = ("#005eb8", "#768692", "#330072")
TEXT = "#212b32"

# SVG: a viewBox of this width scaled to its container; text placed as if each glyph were this share of its size.
SVG_WIDTH = 640
SVG_FONT = 12
GLYPH = 0.6
LABEL_CHARACTERS = 30


def _shortened(text: str, limit: int = LABEL_CHARACTERS) -> str:
    """A long name cut at a word's end (the table beside the chart has it whole), so no word is shown broken."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,-") + "…"


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
        plot.bars[index].fillColor = colors.HexColor(COLOURS[n % len(COLOURS)])
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
            (colors.HexColor(COLOURS[index % len(COLOURS)]), series.name) for index, series in enumerate(chart.series)
        ]
        drawing.add(legend)
    return drawing


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = SVG_FONT, extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{TEXT}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def _legend(chart: Chart, y: float) -> list[str]:
    parts = []
    x = 0.0
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 18, y, series.name))
        x += 18 + len(series.name) * SVG_FONT * GLYPH + 24
    return parts


def chart_svg(chart: Chart, identifier: str) -> Markup:
    """The chart as inline SVG (no script, no style attribute, so the page's CSP holds) that names itself to
    assistive technology by its caption; the table beside it carries every value."""
    bars = len(chart.series)
    top = 24 if bars > 1 else 4
    parts = _legend(chart, 14) if bars > 1 else []
    scale = _scale(chart)
    if chart.horizontal:
        left = LABEL_CHARACTERS * SVG_FONT * GLYPH + 8
        value_room = 16 * SVG_FONT * GLYPH
        plot_width = SVG_WIDTH - left - value_room
        bar, gap = 14.0, 8.0
        y = float(top)
        for index, category in enumerate(chart.categories):
            group = bars * bar
            parts.append(_text(left - 6, y + group / 2 + 4, _shortened(category), anchor="end"))
            for number, series in enumerate(chart.series):
                value = max(0, series.values[index])
                length = plot_width * value / scale
                colour = COLOURS[number % len(COLOURS)]
                parts.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{length:.1f}" height="{bar}" fill="{colour}"/>')
                parts.append(_text(left + length + 4, y + bar - 3, series.labels[index]))
                y += bar
            y += gap
        height = y + 4
        parts.append(f'<line x1="{left:.1f}" y1="{top}" x2="{left:.1f}" y2="{y - gap:.1f}" stroke="{TEXT}"/>')
    else:
        plot_height = 220.0
        label_room = 16 * SVG_FONT * GLYPH
        base = top + label_room + plot_height
        slot = SVG_WIDTH / max(1, len(chart.categories))
        bar = min(40.0, (slot - 12) / max(1, bars))
        for index, category in enumerate(chart.categories):
            start = index * slot + (slot - bar * bars) / 2
            for number, series in enumerate(chart.series):
                value = max(0, series.values[index])
                length = (plot_height + label_room * 0.3) * value / scale
                x = start + number * bar
                colour = COLOURS[number % len(COLOURS)]
                parts.append(
                    f'<rect x="{x:.1f}" y="{base - length:.1f}" width="{bar - 2:.1f}" height="{length:.1f}" '
                    f'fill="{colour}"/>'
                )
                centre = x + (bar - 2) / 2 + 4
                parts.append(
                    _text(
                        centre,
                        base - length - 4,
                        series.labels[index],
                        size=SVG_FONT - 1,
                        extra=f' transform="rotate(-90 {centre:.1f} {base - length - 4:.1f})"',
                    )
                )
            parts.append(_text(index * slot + slot / 2, base + 18, _shortened(category, 14), anchor="middle"))
        parts.append(f'<line x1="0" y1="{base:.1f}" x2="{SVG_WIDTH}" y2="{base:.1f}" stroke="{TEXT}"/>')
        height = base + 26
    title_id = f"{identifier}-title"
    return Markup(  # noqa: S704 - every text in it went through escape()
        f'<svg class="app-chart" viewBox="0 0 {SVG_WIDTH} {height:.0f}" width="100%" role="img" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg" font-family="Arial, sans-serif">'
        f'<title id="{title_id}">{escape(chart.caption)}</title>{"".join(parts)}</svg>'
    )
