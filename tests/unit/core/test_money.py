from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import RuleBroken
from core.money import format_pounds, parse_pounds, split_exact

totals = st.integers(min_value=-(10**12), max_value=10**12)
weight_lists = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(any)


@settings(max_examples=200)
@given(total=totals, weights=weight_lists)
def test_split_parts_always_sum_back_to_the_total(total, weights):
    assert sum(split_exact(total, weights)) == total


@settings(max_examples=200)
@given(total=totals, weights=weight_lists)
def test_each_split_part_is_within_a_penny_of_its_exact_share(total, weights):
    parts = split_exact(total, weights)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total * weight, weight_sum)) < 1


@settings(max_examples=200)
@given(total=totals, weights=weight_lists)
def test_a_zero_weight_gets_nothing_from_a_split(total, weights):
    parts = split_exact(total, weights)
    assert [part for part, weight in zip(parts, weights, strict=True) if weight == 0] == [0] * weights.count(0)


def test_a_split_gives_the_odd_penny_to_the_earliest_parts():
    assert split_exact(100, [1, 1, 1]) == [34, 33, 33]
    assert split_exact(200, [1, 1, 1]) == [67, 67, 66]


def test_a_negative_total_splits_like_a_positive_one_with_the_sign_turned():
    assert split_exact(-100, [1, 1, 1]) == [-34, -33, -33]


def test_a_three_year_contract_splits_by_months_in_each_year():
    # 1 July 2026 to 30 June 2029: 9, 12, 12 and 3 months across four financial years.
    assert split_exact(10_000_000, [9, 12, 12, 3]) == [2_500_000, 3_333_334, 3_333_333, 833_333]


@pytest.mark.parametrize(
    ("weights", "problem"),
    [([], "at least one weight"), ([1, -1], "cannot be negative"), ([0, 0], "cannot all be zero")],
)
def test_a_split_is_refused_without_usable_weights(weights, problem):
    with pytest.raises(ValueError, match=problem):
        split_exact(100, weights)


def test_pounds_are_shown_with_a_pound_sign_and_thousands_separators_in_english():
    assert format_pounds(123456, "en") == "£1,234.56"


def test_pounds_are_shown_the_same_way_in_welsh():
    assert format_pounds(123456, "cy") == "£1,234.56"


def test_small_and_negative_amounts_keep_their_pence():
    assert format_pounds(5) == "£0.05"
    assert format_pounds(-5) == "-£0.05"
    assert format_pounds(0, "cy") == "£0.00"


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("1250.00", 125_000),
        ("1,234.5", 123_450),
        ("£20", 2_000),
        (" £ 1,234,567.89 ", 123_456_789),
        ("0.07", 7),
        ("-3.07", -307),
        ("1 000", 100_000),
    ],
)
def test_an_amount_typed_in_pounds_is_read_as_pence(typed, pence):
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize("typed", ["", "abc", "£", "1.234", "1e5", "NaN", "1.", "1,50", "1,2,3", "12,34.00", ",123"])
def test_an_amount_that_is_not_pounds_is_refused(typed):
    with pytest.raises(RuleBroken) as refused:
        parse_pounds(typed)
    assert refused.value.message == "Enter an amount in pounds, like 1250.00"


def test_a_refused_amount_names_the_field_it_came_from():
    with pytest.raises(RuleBroken) as refused:
        parse_pounds("twelve", field="annual_value")
    assert refused.value.field == "annual_value"
    assert refused.value.status_code == 422


@settings(max_examples=200)
@given(pence=st.integers(min_value=-(10**12), max_value=10**12), language=st.sampled_from(["en", "cy"]))
def test_a_shown_amount_reads_back_as_the_same_pence(pence, language):
    shown = format_pounds(pence, language)
    assert parse_pounds(shown) == pence


def test_the_odd_penny_goes_to_the_largest_remainder_not_to_the_first_or_last_part():
    # Exact shares 1.67 and 3.33: the first part has the larger remainder.
    assert split_exact(5, [1, 2]) == [2, 3]
    # Exact shares 3.33 and 1.67: now the last part has it.
    assert split_exact(5, [2, 1]) == [3, 2]
    # Exact shares 0.7, 1.4, 2.1, 2.8: remainders .7 .4 .1 .8, so the 4th and then the 1st part get a penny.
    assert split_exact(7, [1, 2, 3, 4]) == [1, 1, 2, 3]


def test_a_split_by_one_weight_or_an_even_split_needs_no_rounding():
    assert split_exact(12_345, [7]) == [12_345]
    assert split_exact(900, [1, 1, 1]) == [300, 300, 300]
    assert split_exact(0, [3, 1]) == [0, 0]


def test_a_negative_total_gives_the_odd_penny_to_the_largest_remainder_too():
    assert split_exact(-5, [1, 2]) == [-2, -3]
    assert split_exact(-1, [1, 1]) == [-1, 0]


def test_a_split_refuses_a_single_negative_weight_among_positive_ones():
    with pytest.raises(ValueError, match="cannot be negative"):
        split_exact(100, [3, -1, 2])


def test_a_zero_weight_among_others_is_allowed():
    assert split_exact(100, [0, 1]) == [0, 100]


def test_an_amount_of_whole_pounds_one_or_many_digits_is_read():
    assert parse_pounds("7") == 700
    assert parse_pounds("123") == 12_300
    assert parse_pounds("1,000") == 100_000
    assert parse_pounds("-1,000.5") == -100_050


def test_the_welsh_format_is_asked_for_by_language_and_anything_else_is_english():
    assert format_pounds(-123456, "cy") == "-£1,234.56"
    assert format_pounds(100, "fr") == "£1.00"
