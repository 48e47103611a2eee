"""The bar chart (core/barchart.py): one description drawn for the PDF and as SVG for the page. The SVG names itself,
labels every bar with its series and value (not colour alone), scales to its container, escapes text, and draws bars
in proportion; the drawing labels each bar and lists its series in a legend."""

from __future__ import annotations

import re

import pytest

from core.barchart import NAME_CHARACTERS, PALETTE, SVG_WIDTH, Chart, Series, chart_drawing, chart_svg
from core.document import Layout, Section, document_pdf
from core.money import format_pounds
from tests.contracts_support_document import pdf_text

CHART = Chart(
    caption="Spend <per> cluster",
    category_heading="Cluster",
    categories=["Penarth & Llandochau", "Cardiff North"],
    series=[Series("Committed", [300, 100], ["£3.00", "£1.00"]), Series("Actual", [0, 50], ["£0.00", "£0.50"])],
)


def _pounds(values: list[int], language: str = "en") -> list[str]:
    return [format_pounds(pence, language) for pence in values]


def _chart(**changes) -> str:
    actual, committed = [100, 50], [200, 0]
    arguments = {
        "caption": "Spend by cluster",
        "category_heading": "Cluster",
        "categories": ["Cardiff North", "Cardiff East"],
        "series": [
            Series("Actual", actual, _pounds(actual)),
            Series("Committed", committed, [*_pounds(committed[:1]), "not known"]),
        ],
        "description": "Actual and committed.",
    }
    return str(chart_svg(Chart(**{**arguments, **changes}), "spend"))


def _widths(svg: str) -> list[float]:
    return [float(width) for width in re.findall(r'<rect class="app-chart-bar"[^>]* width="([0-9.]+)"', svg)]


def _labels(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]+)</text>", svg)


def test_the_svg_names_itself_to_assistive_technology_and_scales_to_its_container():
    svg = _chart()
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="spend-title spend-desc"' in svg
    assert '<title id="spend-title">Spend by cluster</title>' in svg
    assert '<desc id="spend-desc">Actual and committed.</desc>' in svg
    assert f'viewBox="0 0 {SVG_WIDTH} ' in svg and 'width="100%"' in svg and "height=" not in svg.split(">")[0]
    assert "style=" not in svg and "<script" not in svg  # the page's CSP allows neither
    plain = _chart(description="")  # no description: the title alone names it, and no empty <desc>
    assert 'aria-labelledby="spend-title"' in plain and "<desc" not in plain


def test_every_bar_is_labelled_with_its_series_and_value_so_colour_is_not_needed():
    svg = _chart()
    assert _labels(svg) == [
        "Cardiff North",
        "Actual: £1.00",
        "Committed: £2.00",
        "Cardiff East",
        "Actual: £0.50",
        "Committed: not known",
    ]
    fills = re.findall(r'<rect class="app-chart-bar"[^>]* fill="([^"]+)"', svg)
    assert fills == [PALETTE[0], PALETTE[1]] * 2


def test_values_are_written_in_pounds_in_the_reader_s_language():
    values = [123_456_78, 5]
    english = _chart(series=[Series("Actual", values, _pounds(values, "en"))])
    welsh = _chart(series=[Series("Gwirioneddol", values, _pounds(values, "cy"))])
    assert _labels(english)[1] == f"Actual: {format_pounds(123_456_78, 'en')}" == "Actual: £123,456.78"
    assert _labels(welsh)[1] == f"Gwirioneddol: {format_pounds(123_456_78, 'cy')}"
    assert "Actual: £0.05" in english


def test_a_label_goes_inside_its_bar_in_white_else_after_it_else_on_a_line_of_its_own():
    svg = _chart()
    inside = re.findall(r'<text[^>]*fill="#ffffff"[^>]*>([^<]+)</text>', svg)
    assert inside == ["Actual: £1.00", "Committed: £2.00"]  # long enough bars; a quarter of the plot is not
    after = re.search(r'<text x="([0-9.]+)"[^>]*>Actual: £0.50<', svg)
    assert after and float(after.group(1)) > _widths(svg)[2]
    name = "Committed per head of population, this year"  # too long to sit after a bar of two thirds
    wide = _chart(series=[Series(name, [300, 200], ["£3.00", "£2.00"])])
    own_line = re.search(rf'<text x="([0-9.]+)" y="([0-9.]+)"[^>]*>{name}: £2.00<', wide)
    bar = re.findall(r'<rect class="app-chart-bar" x="[^"]+" y="([0-9.]+)"', wide)[1]
    assert own_line and float(own_line.group(1)) == 6 and float(own_line.group(2)) > float(bar) + 18


def test_the_palette_is_nhs_colours_with_at_least_4_5_to_1_against_white():
    def luminance(colour: str) -> float:
        channels = [int(colour[n : n + 2], 16) / 255 for n in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in PALETTE:
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5, colour
    assert 1.05 / (luminance("#ffae00") + 0.05) < 4.5  # the check can fail: NHS warm yellow is too light


def test_bars_are_in_proportion_to_the_largest_value_and_zero_or_negative_draws_no_bar():
    widths = _widths(_chart())
    assert widths[1] == pytest.approx(SVG_WIDTH - 4)  # the largest spans the plot
    assert widths[0] == pytest.approx(widths[1] / 2)
    assert widths[2] == pytest.approx(widths[1] / 4)
    assert widths[3] == 0
    negative = _chart(series=[Series("Headroom", [-5, 10], ["-£0.05", "£0.10"])])
    assert _widths(negative)[0] == 0 and "Headroom: -£0.05" in negative
    assert _widths(_chart(series=[Series("Actual", [0, 0], ["£0.00", "£0.00"])])) == [0, 0]
    escaped = str(chart_svg(CHART, "c1"))  # the first series' first bar is the largest; a third for 100 of 300
    assert _widths(escaped)[0] == max(_widths(escaped)) and _widths(escaped)[1] == 0
    assert abs(_widths(escaped)[2] / _widths(escaped)[0] - 1 / 3) < 0.01


def test_text_is_escaped():
    svg = _chart(caption="A & B <script>", categories=["<b>North</b>", "East"], description='"quoted"')
    assert "<script>" not in svg and "<b>" not in svg
    assert "A &amp; B &lt;script&gt;" in svg and "&lt;b&gt;North&lt;/b&gt;" in svg
    assert "&#34;quoted&#34;" in svg
    kit = str(chart_svg(CHART, "c1"))
    assert '<title id="c1-title">Spend &lt;per&gt; cluster</title>' in kit
    assert "Penarth &amp; Llandochau" in kit and "<per>" not in kit


def test_a_series_must_give_a_value_and_a_label_for_each_category():
    with pytest.raises(ValueError):
        _chart(series=[Series("Actual", [1], ["£0.01"])])
    with pytest.raises(ValueError):
        _chart(series=[Series("Actual", [1, 2], ["£0.01"])])


def test_the_drawing_labels_each_bar_and_lists_the_series_top_down_in_the_legend_s_order():
    drawing = chart_drawing(CHART, 174)
    plot = drawing.contents[0]
    assert plot.barLabelArray == [["£0.00", "£0.50"], ["£3.00", "£1.00"]]  # ReportLab draws the first series lowest
    assert plot.data == [[0, 50], [300, 100]]
    assert [pair[1] for pair in drawing.contents[1].colorNamePairs] == ["Committed", "Actual"]
    vertical = chart_drawing(Chart("Years", "Year", ["2027-28"], [Series("Actual", [5], ["£0.05"])], False), 174)
    assert vertical.contents[0].barLabelArray == [["£0.05"]]


def test_a_chart_in_a_document_prints_its_caption_categories_and_labels():
    laid = Layout("Kicker", "Title", [], [Section(1, "Charts", [CHART])], "Closing")
    text = pdf_text(document_pdf(laid, title="t", footer="f", language="en"))
    for words in ("1. Charts", "Spend <per> cluster", "Cardiff North", "£3.00", "£0.50", "Committed", "Actual"):
        assert words in text, words


def test_a_long_name_is_cut_at_a_word_s_end():
    name = "Cwm Tawe Cluster of the Swansea Bay University Health Board Gŵyr area"
    long = Chart("c", "Cluster", [name], [Series("A", [1], ["£0.01"])])
    shown = _labels(str(chart_svg(long, "c")))[0]
    assert shown == "Cwm Tawe Cluster of the Swansea Bay University…" and len(shown) <= NAME_CHARACTERS
    assert chart_drawing(long, 174).contents[0].categoryAxis.categoryNames == ["Cwm Tawe Cluster of the Swansea Bay…"]
    fits = "Cwm Tawe Cluster of the Swansea Bay Gŵyr"  # a usual cluster name is whole in the SVG
    assert _labels(str(chart_svg(Chart("c", "Cluster", [fits], long.series), "c")))[0] == fits
