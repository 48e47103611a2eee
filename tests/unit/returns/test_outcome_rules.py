"""The equity view's figure per 1,000 population and a KPI's mean over the year (returns/rules.py)."""

from __future__ import annotations

from decimal import Decimal

from returns.rules import RAG, latest_rag, mean_of, per_thousand


def test_per_thousand_is_to_one_place_rounding_half_up():
    assert per_thousand(250, 12_000) == Decimal("20.8")  # 20.833...
    assert per_thousand(123, 8_000) == Decimal("15.4")  # 15.375: the half goes up
    assert per_thousand(0, 5_000) == Decimal("0.0")


def test_without_a_population_there_is_no_figure_rather_than_a_guess():
    assert per_thousand(250, None) is None
    assert per_thousand(250, 0) is None
    assert per_thousand(None, 12_000) is None


def test_the_mean_leaves_out_quarters_without_a_value():
    assert mean_of([Decimal("70"), None, Decimal("75")]) == Decimal("72.50")
    assert mean_of([None]) is None


def test_the_latest_reading_is_the_latest_quarter_not_the_last_listed():
    readings = [(2027, 3, Decimal("50")), (2027, 1, Decimal("90"))]
    assert latest_rag(readings, "higher_is_better", "80", "60") == (2027, 3, Decimal("50"), RAG.RED)
    assert latest_rag([], "higher_is_better", "80", "60") is None
