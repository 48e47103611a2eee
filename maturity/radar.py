"""A radar-style chart of maturity levels, as server-rendered SVG: one axis per domain of the matrix, rings at levels
1 to 4, the latest year as a solid shape with its level written at each point, an earlier year dashed.

The page puts a table of the same levels right beside it, so nothing is known only from the picture. The SVG scales
to its container (viewBox, width 100 %), names itself (role img, <title>, <desc>), writes every domain's name and
level as text, and tells the years apart by line style and a written key as well as by colour (WCAG 1.4.1). Colours
are NHS.UK's with at least 4.5:1 against white (core/barchart.py's palette)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from core.barchart import AXIS, PALETTE, TEXT

WIDTH = 640
HEIGHT = 470
CENTRE_X = 320
CENTRE_Y = 215
RADIUS = 130
LABEL_RADIUS = 152
FONT = 16
LINE = 19
MAX_LEVEL = 4


@dataclass(frozen=True)
class RadarSeries:
    """One year's levels, one per domain in the chart's order (None where a domain has no level that year)."""

    name: str
    levels: list[int | None]


def _point(index: int, count: int, radius: float) -> tuple[float, float]:
    """The point on axis `index` (the first straight up, then clockwise) at `radius` from the centre."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTRE_X + radius * math.cos(angle), CENTRE_Y + radius * math.sin(angle)


def _lines(name: str) -> list[str]:
    """A long name on two lines, broken at the space nearest its middle."""
    if len(name) <= 14 or " " not in name:
        return [name]
    spaces = [n for n, ch in enumerate(name) if ch == " "]
    at = min(spaces, key=lambda n: abs(n - len(name) / 2))
    return [name[:at], name[at + 1 :]]


def _polygon(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar_svg(
    *, identifier: str, title: str, description: str, domains: list[str], series: list[RadarSeries]
) -> Markup:
    """The chart; `series` newest first (the first is drawn solid and labelled, the rest dashed)."""
    count = len(domains)
    if count < 3:
        return Markup("")
    title_id, desc_id = f"{identifier}-title", f"{identifier}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" class="app-radar" font-family="Frutiger W01, Arial, '
        f'sans-serif" font-size="{FONT}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]
    for level in range(1, MAX_LEVEL + 1):
        ring = [_point(i, count, RADIUS * level / MAX_LEVEL) for i in range(count)]
        parts.append(f'<polygon points="{_polygon(ring)}" fill="none" stroke="{AXIS}" stroke-width="1"/>')
        x, y = _point(0, count, RADIUS * level / MAX_LEVEL)
        parts.append(
            f'<text x="{x - 16:.1f}" y="{y + 5:.1f}" text-anchor="end" fill="{TEXT}" font-size="12" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{level}</text>'
        )
    for i, name in enumerate(domains):
        x, y = _point(i, count, RADIUS)
        parts.append(
            f'<line x1="{CENTRE_X}" y1="{CENTRE_Y}" x2="{x:.1f}" y2="{y:.1f}" stroke="{AXIS}" stroke-width="1"/>'
        )
        lx, ly = _point(i, count, LABEL_RADIUS)
        anchor = "middle" if abs(lx - CENTRE_X) < 20 else ("start" if lx > CENTRE_X else "end")
        lines = _lines(name)
        top = ly - (len(lines) - 1) * LINE / 2 + (0 if ly >= CENTRE_Y - 5 else -LINE / 2) + 5
        if ly > CENTRE_Y + RADIUS - 10:
            top = ly + 10
        spans = "".join(
            f'<tspan x="{lx:.1f}" y="{top + n * LINE:.1f}">{escape(text)}</tspan>' for n, text in enumerate(lines)
        )
        parts.append(f'<text text-anchor="{anchor}" fill="{TEXT}" font-weight="bold">{spans}</text>')
    for rank, one in reversed(list(enumerate(series))):
        colour = PALETTE[0] if rank == 0 else PALETTE[1 + (rank - 1) % (len(PALETTE) - 1)]
        points = [_point(i, count, RADIUS * (level or 0) / MAX_LEVEL) for i, level in enumerate(one.levels)]
        dash = "" if rank == 0 else ' stroke-dasharray="8 5"'
        fill = f'fill="{colour}" fill-opacity="0.12"' if rank == 0 else 'fill="none"'
        parts.append(f'<polygon points="{_polygon(points)}" {fill} stroke="{colour}" stroke-width="3"{dash}/>')
        if rank == 0:
            for (x, y), value in zip(points, one.levels, strict=True):
                if value is None:
                    continue
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{colour}"/>')
                parts.append(
                    f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle" fill="#ffffff" font-weight="bold">'
                    f"{value}</text>"
                )
    key_y = HEIGHT - 12 - LINE * (len(series) - 1)
    for rank, one in enumerate(series):
        colour = PALETTE[0] if rank == 0 else PALETTE[1 + (rank - 1) % (len(PALETTE) - 1)]
        dash = "" if rank == 0 else ' stroke-dasharray="8 5"'
        y = key_y + rank * LINE
        parts.append(f'<line x1="20" y1="{y - 5}" x2="60" y2="{y - 5}" stroke="{colour}" stroke-width="3"{dash}/>')
        parts.append(f'<text x="68" y="{y}" fill="{TEXT}">{escape(one.name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it is escaped above
