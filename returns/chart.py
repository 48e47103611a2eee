"""A KPI's SPC chart (returns/spc.py) drawn on the server as SVG, with the same reading as table rows for the table
alternative (issue 13, item 5). No JavaScript: the SVG scales to its container (a viewBox and width 100 %), names
itself to assistive technology (role img, a title and a description in the reader's language) and marks each special
cause by shape as well as colour."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import msgspec
from markupsafe import Markup, escape

from core.i18n import N_, gettext
from returns.spc import LimitsStatus, Spc, SpcPoint, Variation

WIDTH = 600
PLOT_TOP = 14
PLOT_HEIGHT = 220
FONT = 13
# A generous average glyph width (as a share of the font size) for laying text out without measuring it: labels are
# placed so that text this wide stays inside the viewBox, in Welsh as in English.
GLYPH = 0.62
PAD = 16

# Colours: SPC.md "Improvement vs concern" (ptd_spc_colours.R) for the points, each drawn with a dark outline so the
# shape stands out from the white ground (WCAG 1.4.11) whatever its fill; NHS.UK greys and red for the lines.
COLOURS = {
    Variation.IMPROVEMENT: "#00b0f0",
    Variation.CONCERN: "#e46c0a",
    Variation.COMMON_CAUSE: "#a6a6a6",
}
OUTLINE = "#212b32"
VALUE_LINE = "#4c6272"
MEAN_LINE = "#212b32"
LIMIT_LINE = "#768692"
TARGET_LINE = "#d5281b"
GRID = "#d8dde0"

# What each kind of point looks like; the legend and the table say it in words too.
SHAPES = {Variation.COMMON_CAUSE: "circle", Variation.IMPROVEMENT: "square", Variation.CONCERN: "triangle"}

_LEGEND = {
    "value": N_("Common cause variation"),
    Variation.IMPROVEMENT: N_("Special cause improvement"),
    Variation.CONCERN: N_("Special cause concern"),
    "mean": N_("Mean"),
    "limits": N_("Process limits"),
    "trial_limits": N_("Trial process limits"),
    "target": N_("Target"),
}


class SpcTableRow(msgspec.Struct, frozen=True, kw_only=True):
    """One quarter of the table alternative, every cell already in words."""

    period: str
    value: str
    mean: str
    lower_limit: str
    upper_limit: str
    signal: str


def number(value: Decimal, places: int | None = None) -> str:
    """A value as the chart and table show it: as reported (no exponent, no trailing zeros), or to `places`
    decimal places for worked-out figures (the mean and limits); never "-0"."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
        text = format(value, "f")
    else:
        text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text[1:] if text.startswith("-") and value.is_zero() else text


def signal_in_words(point: SpcPoint) -> str:
    if point.value is None:
        return gettext("No value reported")
    if point.signal is None:
        return gettext(point.variation.label)
    return gettext("%(variation)s: %(signal)s", variation=gettext(point.variation.label), signal=gettext(point.signal))


def spc_table_rows(reading: Spc) -> list[SpcTableRow]:
    """The table alternative to the chart: per quarter its value, the mean and limits, and its signal in words."""
    limits = reading.limits
    missing = gettext("Not available")
    return [
        SpcTableRow(
            period=point.period,
            value=number(point.value) if point.value is not None else gettext("No value reported"),
            mean=number(limits.mean, 2) if limits else missing,
            lower_limit=number(limits.lower, 2) if limits else missing,
            upper_limit=number(limits.upper, 2) if limits else missing,
            signal=signal_in_words(point),
        )
        for point in reading.points
    ]


def chart_description(reading: Spc) -> str:
    """The chart's <desc>: what a sighted reader takes from it, in sentences."""
    points = reading.points
    known = [point for point in points if point.value is not None]
    if not known:
        return gettext("No values have been reported yet.")
    sentences = [
        gettext(
            "%(count)s quarters from %(first)s to %(last)s, %(known)s with a value.",
            count=len(points),
            first=points[0].period,
            last=points[-1].period,
            known=len(known),
        )
    ]
    limits = reading.limits
    if limits is not None:
        sentences.append(
            gettext(
                "Mean %(mean)s; process limits %(lower)s to %(upper)s.",
                mean=number(limits.mean, 2),
                lower=number(limits.lower, 2),
                upper=number(limits.upper, 2),
            )
        )
    if reading.target is not None:
        sentences.append(gettext("Target %(target)s.", target=number(reading.target)))
    if limits is not None:
        improvement = sum(1 for point in points if point.variation is Variation.IMPROVEMENT)
        concern = sum(1 for point in points if point.variation is Variation.CONCERN)
        sentences.append(
            gettext(
                "Quarters showing special cause improvement: %(improvement)s; special cause concern: %(concern)s.",
                improvement=improvement,
                concern=concern,
            )
        )
    latest = known[-1]
    shown = number(latest.value) if latest.value is not None else ""
    sentences.append(gettext("Latest quarter, %(period)s: %(value)s.", period=latest.period, value=shown))
    if limits is not None:
        sentences.append(signal_in_words(latest) + ".")
    if reading.assurance is not None:
        sentences.append(gettext(reading.assurance.label) + ".")
    sentences += [gettext(message, **params) for message, params in reading.notes()]
    return " ".join(sentences)


def _text_width(text: str, size: float = FONT) -> float:
    return len(text) * size * GLYPH


def _fmt(number_: float) -> str:
    return f"{number_:.1f}".rstrip("0").rstrip(".")


def _ticks(low: float, high: float) -> list[float]:
    """About five round values spanning low..high (1, 2 or 5 times a power of ten apart)."""
    raw = (high - low) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _tick_label(value: float) -> str:
    return number(Decimal(repr(value)))


def _marker(variation: Variation, x: float, y: float, *, key: bool = False) -> str:
    fill = COLOURS[variation]
    role = "spc-key" if key else "spc-point"
    kind = f'class="{role} {role}--{variation.value}" data-shape="{SHAPES[variation]}"'
    if variation is Variation.IMPROVEMENT:
        return (
            f'<rect {kind} x="{_fmt(x - 5.5)}" y="{_fmt(y - 5.5)}" width="11" height="11" '
            f'fill="{fill}" stroke="{OUTLINE}" stroke-width="1.5"/>'
        )
    if variation is Variation.CONCERN:
        corners = [(x, y - 7.5), (x + 7, y + 5), (x - 7, y + 5)]
        listed = " ".join(f"{_fmt(a)},{_fmt(b)}" for a, b in corners)
        return f'<polygon {kind} points="{listed}" fill="{fill}" stroke="{OUTLINE}" stroke-width="1.5"/>'
    return f'<circle {kind} cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{fill}" stroke="{OUTLINE}" stroke-width="1"/>'


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, *, width: float = 1.5, dash: str = "") -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" y2="{_fmt(y2)}" stroke="{colour}" '
        f'stroke-width="{width}"{dashed}/>'
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = FONT) -> str:
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{_fmt(size)}" text-anchor="{anchor}" fill="{OUTLINE}">'
        f"{escape(text)}</text>"
    )


def _period_labels(periods: Sequence[str], xs: Sequence[float], spacing: float) -> list[tuple[int, float]]:
    """Which periods to label on the x axis, and where, so no two labels touch and none leaves the viewBox: every
    k-th one, counted back from the latest (the quarter a reader looks for first)."""
    if not periods:
        return []
    widest = max(_text_width(period) for period in periods)
    every = max(1, math.ceil((widest + 10) / spacing)) if spacing > 0 else len(periods)
    chosen = list(range(len(periods) - 1, -1, -every))
    placed = []
    for index in sorted(chosen):
        half = _text_width(periods[index]) / 2
        placed.append((index, min(max(xs[index], half + 1), WIDTH - half - 1)))
    return placed


def spc_chart_svg(reading: Spc, *, title: str, chart_id: str) -> Markup:
    """The chart as inline SVG: the quarters' values joined (a quarter without a value leaves a gap), the mean as a
    solid line, the process limits dashed, the target dotted, and each point drawn as a circle (common cause), a
    square (special cause improvement) or a triangle (special cause concern), filled in SPC.md's colours. A legend
    under the plot says what each line and shape is. `title` is the KPI's name in the reader's language."""
    points = reading.points
    limits = reading.limits
    known = [point.value for point in points if point.value is not None]
    levels = list(known)
    if limits is not None:
        levels += [limits.lower, limits.upper, limits.mean]
    if reading.target is not None:
        levels.append(reading.target)
    low, high = (float(min(levels)), float(max(levels))) if levels else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    margin = (high - low) * 0.08
    low, high = low - margin, high + margin
    ticks = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    tick_labels = [_tick_label(tick) for tick in ticks]

    plot_left = max(_text_width(label) for label in tick_labels) + 10
    plot_right = WIDTH - 8
    plot_bottom = PLOT_TOP + PLOT_HEIGHT

    def y_of(value: float | Decimal) -> float:
        return plot_bottom - (float(value) - low) / (high - low) * PLOT_HEIGHT

    inner_left, inner_right = plot_left + PAD, plot_right - PAD
    spacing = (inner_right - inner_left) / (len(points) - 1) if len(points) > 1 else 0.0
    if len(points) > 1:
        xs = [inner_left + i * spacing for i in range(len(points))]
    else:  # one quarter sits in the middle; none (a contract whose first quarter has not ended) draws no point
        xs = [(inner_left + inner_right) / 2] * len(points)

    body: list[str] = []
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        body.append(_line(plot_left, y, plot_right, y, GRID, width=1))
        body.append(_text(plot_left - 6, y + FONT * 0.35, label, anchor="end"))
    body.append(_line(plot_left, plot_bottom, plot_right, plot_bottom, OUTLINE, width=1))

    if limits is not None:
        limit_dash = "6 4" if reading.limits_status is LimitsStatus.SETTLED else "2 5"
        for level in (limits.lower, limits.upper):
            body.append(_line(plot_left, y_of(level), plot_right, y_of(level), LIMIT_LINE, width=1.5, dash=limit_dash))
        body.append(_line(plot_left, y_of(limits.mean), plot_right, y_of(limits.mean), MEAN_LINE, width=1.5))
    if reading.target is not None:
        y = y_of(reading.target)
        body.append(_line(plot_left, y, plot_right, y, TARGET_LINE, width=2, dash="10 3 2 3"))

    segments: list[list[tuple[float, float]]] = [[]]
    for x, point in zip(xs, points, strict=True):
        if point.value is None:
            segments.append([])
        else:
            segments[-1].append((x, y_of(point.value)))
    for segment in segments:
        if len(segment) > 1:
            listed = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in segment)
            body.append(f'<polyline points="{listed}" fill="none" stroke="{VALUE_LINE}" stroke-width="2"/>')
    for x, point in zip(xs, points, strict=True):
        if point.value is not None:
            body.append(_marker(point.variation, x, y_of(point.value)))

    label_y = plot_bottom + FONT + 6
    for index, x in _period_labels([point.period for point in points], xs, spacing or WIDTH):
        body.append(_text(x, label_y, points[index].period, anchor="middle"))

    legend, height = _legend(reading, top=label_y + 14)
    body += legend
    description = chart_description(reading)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cdv-spc-chart" viewBox="0 0 {WIDTH} {_fmt(height)}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="Frutiger W01, Arial, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )
    return Markup(svg)  # noqa: S704 - every text in it went through escape() above


def _legend(reading: Spc, *, top: float) -> tuple[list[str], float]:
    """The key under the plot: one entry per kind of point and line drawn, in two columns when every entry fits half
    the width, else one; returns the drawing and the chart's full height."""
    drawn = {point.variation for point in reading.points if point.value is not None}
    entries: list[tuple[str, str]] = []
    for variation in (Variation.COMMON_CAUSE, Variation.IMPROVEMENT, Variation.CONCERN):
        if variation in drawn:
            key = "value" if variation is Variation.COMMON_CAUSE else variation
            entries.append((f"point:{variation.value}", gettext(_LEGEND[key])))
    if reading.limits is not None:
        entries.append(("mean", gettext(_LEGEND["mean"])))
        trial = reading.limits_status is not LimitsStatus.SETTLED
        entries.append(("limits", gettext(_LEGEND["trial_limits" if trial else "limits"])))
    if reading.target is not None:
        entries.append(("target", gettext(_LEGEND["target"])))

    swatch = 30
    column = (WIDTH - 8) / 2
    columns = 2 if all(swatch + 8 + _text_width(text) <= column - 8 for _, text in entries) else 1
    row_height = FONT + 10
    drawing: list[str] = []
    for number_, (kind, text) in enumerate(entries):
        x = 4 + (number_ % columns) * column
        y = top + (number_ // columns) * row_height + row_height / 2
        if kind.startswith("point:"):
            variation = Variation(kind.removeprefix("point:"))
            drawing.append(_line(x, y, x + swatch, y, VALUE_LINE, width=2))
            drawing.append(_marker(variation, x + swatch / 2, y, key=True))
        elif kind == "mean":
            drawing.append(_line(x, y, x + swatch, y, MEAN_LINE, width=1.5))
        elif kind == "limits":
            dash = "6 4" if reading.limits_status is LimitsStatus.SETTLED else "2 5"
            drawing.append(_line(x, y, x + swatch, y, LIMIT_LINE, width=1.5, dash=dash))
        else:
            drawing.append(_line(x, y, x + swatch, y, TARGET_LINE, width=2, dash="10 3 2 3"))
        drawing.append(_text(x + swatch + 8, y + FONT * 0.35, text))
    rows = math.ceil(len(entries) / columns) if entries else 0
    return drawing, top + rows * row_height + 6
