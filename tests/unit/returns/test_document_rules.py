"""The rules behind the return's document: reported spend beside the quarter's share, spend per unit of activity, and
the workforce's total, to the penny and the hundredth of a WTE."""

from __future__ import annotations

from decimal import Decimal

from returns.rules import cost_per_unit, spend_difference, total_wte


def test_spend_above_the_share_is_a_positive_difference_and_its_percentage_of_the_share():
    assert spend_difference(31_500_00, 30_000_00) == (1_500_00, Decimal("5.0"))


def test_spend_below_the_share_is_negative_and_rounds_half_up_to_one_place():
    assert spend_difference(29_985_00, 30_000_00) == (-15_00, Decimal("-0.1"))  # -0.05 % rounds away from zero
    assert spend_difference(30_014_99, 30_000_00) == (14_99, Decimal("0.0"))


def test_no_spend_reported_is_no_difference_and_a_share_of_nothing_has_no_percentage():
    assert spend_difference(None, 30_000_00) is None
    assert spend_difference(0, 30_000_00) == (-30_000_00, Decimal("-100.0"))
    assert spend_difference(5_00, 0) == (5_00, None)


def test_spend_per_unit_is_whole_pence_half_up_and_needs_units_delivered():
    assert cost_per_unit(31_500_00, 1_801) == 1_749  # 1,749.03
    assert cost_per_unit(5, 2) == 3  # 2.5 rounds up
    assert cost_per_unit(4, 3) == 1
    assert cost_per_unit(31_500_00, 0) is None
    assert cost_per_unit(None, 10) is None
    assert cost_per_unit(100, None) is None


def test_the_workforce_total_is_exact_and_leaves_out_what_is_not_a_number():
    assert total_wte(["2.5", "1.0"]) == Decimal("3.5")
    assert total_wte(["0.1", "0.2"]) == Decimal("0.3")
    assert total_wte(["2", None, "lots"]) == Decimal("2")
    assert total_wte([None]) is None
    assert total_wte([]) is None
