"""Bar charts drawn on the server as SVG (issue 14, item 3): values in, markup out, no JavaScript, no database.

Like the SPC chart (returns/chart.py), a chart scales to its container (a viewBox and width 100 %, so it reflows at
320 px), names itself to assistive technology (role img, a <title> and a <desc> in the reader's language) and never
relies on colour alone: each bar is labelled with its series' name and its value. Each page puts a table with the
same figures next to it. Bars are horizontal: each category's name has a line of its own above its bars, so a long
cluster name needs no room beside them and nothing is cut at any width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import msgspec
from markupsafe import Markup, escape

WIDTH = 400
FONT = 14
BAR = 18
GAP = 4  # between the bars of one category
GROUP_GAP = 14  # between categories
LABEL_ROOM = 20  # a category's name line
# A generous average glyph width, as a share of the font size, for placing a value's label without measuring it.
GLYPH = 0.6
INK = "#212b32"  # NHS.UK text colour
AXIS = "#4c6272"  # NHS.UK dark grey
# NHS.UK palette colours with at least 4.5:1 against white (WCAG 1.4.11 asks 3:1 of graphics): NHS blue, NHS dark
# pink, NHS dark grey, NHS purple.
PALETTE = ("#005eb8", "#ae2573", "#4c6272", "#330072")


class Series(msgspec.Struct, frozen=True, kw_only=True):
    """One kind of bar (e.g. actual spend): its name in the reader's language and a value per category (None: no
    bar and the label says so)."""

    name: str
    values: Sequence[int | None]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{FONT}" text-anchor="{anchor}" fill="{INK}"{weight}>'
        f"{escape(text)}</text>"
    )


def bar_chart_svg(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    show: Callable[[int], str],
    missing: str = "",
) -> Markup:
    """A horizontal bar chart: for each category its name, then one bar per series, scaled to the largest value
    (negative values draw no bar; their label still shows them). `show` writes a value as the reader reads it (pounds
    in their language); `missing` is what a label says for a value of None. Every text is escaped."""
    if any(len(one.values) != len(categories) for one in series):
        raise ValueError("each series needs a value for each category")
    largest = max((value for one in series for value in one.values if value is not None and value > 0), default=0)
    left, right = 2.0, WIDTH - 2.0
    body: list[str] = []
    y = 0.0
    for index, category in enumerate(categories):
        y += LABEL_ROOM
        body.append(_text(left, y - 5, category, bold=True))
        for number, one in enumerate(series):
            value = one.values[index]
            label = f"{one.name}: {missing if value is None else show(value)}"
            length = 0.0 if value is None or value <= 0 or largest == 0 else (right - left) * value / largest
            colour = PALETTE[number % len(PALETTE)]
            body.append(
                f'<rect class="cdv-bar" x="{_fmt(left)}" y="{_fmt(y)}" width="{_fmt(length)}" height="{BAR}" '
                f'fill="{colour}"/>'
            )
            wide = len(label) * FONT * GLYPH
            baseline = y + BAR / 2 + FONT * 0.35
            if length >= wide + 8:  # inside the bar, in white (at least 4.5:1 on each palette colour)
                body.append(
                    f'<text x="{_fmt(left + 4)}" y="{_fmt(baseline)}" font-size="{FONT}" fill="#ffffff">'
                    f"{escape(label)}</text>"
                )
            elif left + length + 4 + wide <= right:  # after the bar
                body.append(_text(left + length + 4, baseline, label))
            else:  # on a line of its own under the bar
                y += BAR + GAP
                body.append(_text(left + 4, y + FONT * 0.8, label))
                y += FONT - BAR + 2
            y += BAR + GAP
        y += GROUP_GAP - GAP
    body.append(f'<line x1="{_fmt(left)}" y1="0" x2="{_fmt(left)}" y2="{_fmt(y)}" stroke="{AXIS}" stroke-width="1"/>')
    height = max(y, 1.0)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cdv-bar-chart" viewBox="0 0 {WIDTH} {_fmt(height)}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'font-family="Frutiger W01, Arial, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )
    return Markup(svg)  # noqa: S704 - every text in it went through escape() above
