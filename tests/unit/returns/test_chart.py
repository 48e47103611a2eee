"""The SPC chart as server-rendered SVG and its table alternative (returns/chart.py): it parses, names itself in the
reader's language, marks special causes by shape as well as colour, keeps its text inside the viewBox, runs no
script, and the table says each quarter's signal in words."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest

from core.i18n import current_language
from returns.chart import GLYPH, spc_chart_svg, spc_table_rows
from returns.spc import spc

SVG = "{http://www.w3.org/2000/svg}"
# SPC.md's worked example (higher is better), 2022/23 Q1 ... 2025/26 Q4.
WORKED = [80, 82, 79, 81, 83, 80, 66, 81, 79, 82, 84, 83, 85, 84, 86, 85]
PERIODS = [f"{year}/{str(year + 1)[2:]} Q{quarter}" for year in range(2022, 2026) for quarter in range(1, 5)]


@contextmanager
def language(code: str) -> Iterator[None]:
    token = current_language.set(code)
    try:
        yield
    finally:
        current_language.reset(token)


def reading(values=WORKED, periods=PERIODS, **options):
    pairs = [(p, None if v is None else Decimal(str(v))) for p, v in zip(periods, values, strict=True)]
    return spc(pairs, "higher_is_better", **options)


def chart(the_reading=None, title="Seen within 2 days") -> ET.Element:
    svg = spc_chart_svg(the_reading or reading(target=Decimal(85)), title=title, chart_id="kpi-7")
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, parsed to check it


def points(root: ET.Element, variation: str) -> list[ET.Element]:
    return [e for e in root.iter() if (e.get("class") or "").split()[-1:] == [f"spc-point--{variation}"]]


def test_the_chart_is_an_image_named_by_its_title_and_description():
    root = chart()
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("width") == "100%" and root.get("viewBox").startswith("0 0 600 ")
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and title.text == "Seen within 2 days"
    assert desc.tag == f"{SVG}desc"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "Mean 81.25; process limits 71.50 to 91.00." in desc.text
    assert "special cause improvement: 7; special cause concern: 1." in desc.text
    assert "Latest quarter, 2025/26 Q4: 85." in desc.text


def test_special_causes_are_marked_by_shape_as_well_as_colour():
    root = chart()
    improvement, concern, common = points(root, "improvement"), points(root, "concern"), points(root, "common_cause")
    assert (len(improvement), len(concern), len(common)) == (7, 1, 8)
    assert {e.tag for e in improvement} == {f"{SVG}rect"}
    assert {e.tag for e in concern} == {f"{SVG}polygon"}
    assert {e.tag for e in common} == {f"{SVG}circle"}
    assert len({e.get("fill") for e in improvement + concern + common}) == 3
    # The key shows the same shapes, named.
    keys = {e.get("class").split()[-1]: e.tag for e in root.iter() if (e.get("class") or "").startswith("spc-key")}
    assert keys == {
        "spc-key--common_cause": f"{SVG}circle",
        "spc-key--improvement": f"{SVG}rect",
        "spc-key--concern": f"{SVG}polygon",
    }
    texts = [e.text for e in root.iter(f"{SVG}text")]
    assert {"Special cause improvement", "Special cause concern", "Mean", "Process limits", "Target"} <= set(texts)


def test_a_series_without_signals_draws_only_circles():
    root = chart(reading([9, 11] * 6, PERIODS[:12]))
    assert points(root, "improvement") == [] and points(root, "concern") == []
    assert len(points(root, "common_cause")) == 12
    assert "Special cause improvement" not in [e.text for e in root.iter(f"{SVG}text")]


def test_the_limits_are_dashed_the_mean_solid_and_the_target_drawn():
    root = chart()
    lines = [e for e in root.iter(f"{SVG}line") if e.get("stroke") != "#d8dde0"]
    dashed_grey = [e for e in lines if e.get("stroke") == "#768692" and e.get("stroke-dasharray")]
    assert len(dashed_grey) == 3, "two limits and their key"
    assert [e for e in lines if e.get("stroke") == "#d5281b"], "the target"
    no_target = chart(reading())
    assert not [e for e in no_target.iter(f"{SVG}line") if e.get("stroke") == "#d5281b"]


def test_a_missing_quarter_leaves_a_gap_in_the_line():
    values = [*WORKED[:5], None, *WORKED[6:]]
    root = chart(reading(values))
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert len(list(chart(reading()).iter(f"{SVG}polyline"))) == 1


def test_there_is_no_script_and_no_event_handler():
    root = chart()
    assert not list(root.iter(f"{SVG}script"))
    assert not [name for e in root.iter() for name in e.attrib if name.lower().startswith("on")]


@pytest.mark.parametrize("code", ["en", "cy"])
@pytest.mark.parametrize("count", [1, 3, 16, 40])
def test_every_text_stays_inside_the_view_box(code, count):
    periods = [f"{2000 + i // 4}/{str(2001 + i // 4)[2:]} Q{i % 4 + 1}" for i in range(count)]
    values = [Decimal(1000 + (i * 37) % 500) / 7 for i in range(count)]
    with language(code):
        root = chart(spc(list(zip(periods, values, strict=True)), "lower_is_better", target=Decimal(150)))
    _, _, width, height = (float(n) for n in root.get("viewBox").split())
    for text in root.iter(f"{SVG}text"):
        size, x, y = float(text.get("font-size")), float(text.get("x")), float(text.get("y"))
        extent = len(text.text) * size * GLYPH
        left = {"start": x, "middle": x - extent / 2, "end": x - extent}[text.get("text-anchor")]
        assert 0 <= left and left + extent <= width, text.text
        assert size <= y <= height, text.text


def test_the_chart_speaks_welsh():
    with language("cy"):
        root = chart(title="Gwelwyd o fewn 2 ddiwrnod")
    assert root[0].text == "Gwelwyd o fewn 2 ddiwrnod"
    assert "Cymedr 81.25; terfynau proses 71.50 i 91.00." in root[1].text
    texts = {e.text for e in root.iter(f"{SVG}text")}
    assert {"Gwelliant achos arbennig", "Pryder achos arbennig", "Cymedr", "Terfynau proses"} <= texts
    assert "Mean" not in texts


def test_the_table_alternative_gives_each_quarter_in_words():
    rows = spc_table_rows(reading())
    assert len(rows) == 16
    q3 = rows[6]
    assert (q3.period, q3.value, q3.mean, q3.lower_limit, q3.upper_limit) == (
        "2023/24 Q3",
        "66",
        "81.25",
        "71.50",
        "91.00",
    )
    assert q3.signal == "Special cause concern: below the lower process limit"
    assert rows[0].signal == "Common cause variation"
    assert rows[-1].signal == "Special cause improvement: part of 7 points in a row above the mean"
    with language("cy"):
        assert spc_table_rows(reading())[6].signal == "Pryder achos arbennig: o dan y terfyn proses isaf"


def test_too_few_values_say_so_in_the_chart_and_the_table():
    few = reading([80], PERIODS[:1])
    root = chart(few)
    assert "Too few values for process limits" in root[1].text
    assert not [e for e in root.iter(f"{SVG}line") if e.get("stroke-dasharray")]
    row = spc_table_rows(few)[0]
    assert (row.value, row.mean, row.upper_limit) == ("80", "Not available", "Not available")


def test_trial_limits_are_named_as_trial():
    root = chart(reading(WORKED[:8], PERIODS[:8]))
    texts = {e.text for e in root.iter(f"{SVG}text")}
    assert "Trial process limits" in texts and "Process limits" not in texts
    assert "Trial limits: based on 8 quarters" in root[1].text


def test_a_missing_value_reads_as_not_reported():
    rows = spc_table_rows(reading([*WORKED[:5], None, *WORKED[6:]]))
    assert rows[5].value == "No value reported" and rows[5].signal == "No value reported"


def test_text_is_escaped():
    root = chart(title="A < B & C")
    assert root[0].text == "A < B & C"


def test_a_contract_with_no_ended_quarter_draws_an_empty_chart_not_an_error():
    """Schemathesis found a 500 on the outcomes of a mobilising contract: no quarter, so no point to place."""
    root = chart(reading(values=[], periods=[]))
    assert root.find("{http://www.w3.org/2000/svg}title") is not None
