"""The bar chart (web/charts.py): values in, SVG out; it names itself, labels every bar with its series and value
(not colour alone), scales to its container, escapes text, and draws bars in proportion."""

from __future__ import annotations

import re

import pytest

from web.charts import PALETTE, WIDTH, Series, bar_chart_svg


def _chart(**changes):
    arguments = {
        "chart_id": "spend",
        "title": "Spend by cluster",
        "description": "Actual and committed.",
        "categories": ["Cardiff North", "Cardiff East"],
        "series": [Series(name="Actual", values=[100, 50]), Series(name="Committed", values=[200, None])],
        "show": lambda pence: f"£{pence / 100:.2f}",
        "missing": "not known",
    }
    return str(bar_chart_svg(**{**arguments, **changes}))


def _widths(svg: str) -> list[float]:
    return [float(width) for width in re.findall(r'<rect class="cdv-bar"[^>]* width="([0-9.]+)"', svg)]


def test_the_chart_names_itself_to_assistive_technology_and_scales_to_its_container():
    svg = _chart()
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="spend-title spend-desc"' in svg
    assert '<title id="spend-title">Spend by cluster</title>' in svg
    assert '<desc id="spend-desc">Actual and committed.</desc>' in svg
    assert f'viewBox="0 0 {WIDTH} ' in svg and 'width="100%"' in svg and "height=" not in svg.split(">")[0]


def test_every_bar_is_labelled_with_its_series_and_value_so_colour_is_not_needed():
    svg = _chart()
    labels = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    assert labels == [
        "Cardiff North",
        "Actual: £1.00",
        "Committed: £2.00",
        "Cardiff East",
        "Actual: £0.50",
        "Committed: not known",
    ]
    fills = re.findall(r'<rect class="cdv-bar"[^>]* fill="([^"]+)"', svg)
    assert fills == [PALETTE[0], PALETTE[1]] * 2


def test_bars_are_in_proportion_to_the_largest_value_and_none_or_negative_draws_no_bar():
    widths = _widths(_chart())
    assert widths[1] == pytest.approx(WIDTH - 4)  # the largest spans the plot
    assert widths[0] == pytest.approx(widths[1] / 2)
    assert widths[2] == pytest.approx(widths[1] / 4)
    assert widths[3] == 0
    negative = _chart(series=[Series(name="Headroom", values=[-5, 10])])
    assert _widths(negative)[0] == 0 and "Headroom: £-0.05" in negative
    assert _widths(_chart(series=[Series(name="Actual", values=[0, 0])])) == [0, 0]


def test_text_is_escaped():
    svg = _chart(title="A & B <script>", categories=["<b>North</b>", "East"], description='"quoted"')
    assert "<script>" not in svg and "<b>" not in svg
    assert "A &amp; B &lt;script&gt;" in svg and "&lt;b&gt;North&lt;/b&gt;" in svg


def test_a_series_must_give_a_value_for_each_category():
    with pytest.raises(ValueError):
        _chart(series=[Series(name="Actual", values=[1])])
