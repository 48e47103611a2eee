"""The document kit's bar chart (core/barchart.py): one description drawn for the PDF and as SVG for the page."""

from __future__ import annotations

import re

from core.barchart import chart_drawing, chart_svg
from core.document import Chart, Layout, Section, Series, document_pdf
from tests.contracts_support_document import pdf_text

CHART = Chart(
    caption="Spend <per> cluster",
    category_heading="Cluster",
    categories=["Penarth & Llandochau", "Cardiff North"],
    series=[Series("Committed", [300, 100], ["£3.00", "£1.00"]), Series("Actual", [0, 50], ["£0.00", "£0.50"])],
)


def test_the_svg_names_itself_escapes_its_text_and_scales_bars_to_the_largest_value():
    svg = str(chart_svg(CHART, "c1"))
    assert 'role="img"' in svg and 'aria-labelledby="c1-title"' in svg
    assert '<title id="c1-title">Spend &lt;per&gt; cluster</title>' in svg
    assert "Penarth &amp; Llandochau" in svg and "<per>" not in svg
    assert "style=" not in svg and "<script" not in svg  # the page's CSP allows neither
    widths = [float(w) for w in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)" height="14.0"', svg)]
    assert widths[0] == max(widths) and widths[1] == 0 and abs(widths[2] / widths[0] - 1 / 3) < 0.01


def test_the_drawing_labels_each_bar_and_lists_the_series_top_down_in_the_legend_s_order():
    drawing = chart_drawing(CHART, 174)
    plot = drawing.contents[0]
    assert plot.barLabelArray == [["£0.00", "£0.50"], ["£3.00", "£1.00"]]  # ReportLab draws the first series lowest
    assert plot.data == [[0, 50], [300, 100]]
    vertical = chart_drawing(Chart("Years", "Year", ["2027-28"], [Series("Actual", [5], ["£0.05"])], False), 174)
    assert vertical.contents[0].barLabelArray == [["£0.05"]]


def test_a_chart_in_a_document_prints_its_caption_categories_and_labels():
    laid = Layout("Kicker", "Title", [], [Section(1, "Charts", [CHART])], "Closing")
    text = pdf_text(document_pdf(laid, title="t", footer="f", language="en"))
    for words in ("1. Charts", "Spend <per> cluster", "Cardiff North", "£3.00", "£0.50", "Committed", "Actual"):
        assert words in text, words


def test_a_long_name_is_cut_at_a_word_s_end():
    long = Chart("c", "Cluster", ["Cwm Tawe Cluster of the Swansea Bay Gŵyr area"], [Series("A", [1], ["£0.01"])])
    svg = str(chart_svg(long, "c"))
    assert "Cwm Tawe Cluster of the…" in svg and "Gŵyr" not in svg
