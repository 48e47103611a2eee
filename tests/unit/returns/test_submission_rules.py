"""The pure rules of submitting a return: the spend warning at its edges, the figures' forms, what is missing."""

from __future__ import annotations

import pytest

from returns import rules

SHARE = 30_000_00  # 10 % of it is £3,000.00


@pytest.mark.parametrize(
    ("spend", "warned"),
    [
        (SHARE, False),
        (SHARE + 3_000_00, False),  # exactly 10 % above: no warning
        (SHARE - 3_000_00, False),  # exactly 10 % below: no warning
        (SHARE + 3_000_01, True),  # a penny more
        (SHARE - 3_000_01, True),  # a penny less
        (0, True),
    ],
)
def test_the_spend_warning_starts_a_penny_past_ten_per_cent_either_way(spend, warned):
    warning = rules.spend_warning(spend, SHARE)
    assert (warning is not None) is warned
    if warning is not None:
        assert warning.difference_pence == spend - SHARE


def test_the_edge_is_exact_where_ten_per_cent_is_not_a_whole_penny():
    # 10 % of £333.33 is 3,333.3p: 3,333p away is within it, 3,334p is past it
    assert rules.spend_warning(33_333 + 3_333, 33_333) is None
    assert rules.spend_warning(33_333 + 3_334, 33_333) is not None


def test_no_spend_yet_is_no_warning_and_any_spend_against_no_share_is_one():
    assert rules.spend_warning(None, SHARE) is None
    assert rules.spend_warning(0, 0) is None
    assert rules.spend_warning(1, 0) is not None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("87.5", "87.5"),
        (" 12 ", "12"),
        ("1,204", "1204"),
        ("-3.25", "-3.25"),
        ("eighty", None),
        ("1e3", None),
        ("NaN", None),
        ("95%", None),
        ("", None),
        ("1.1234567", None),
    ],
)
def test_a_kpi_value_is_decimal_text(typed, stored):
    assert rules.kpi_value(typed) == stored


@pytest.mark.parametrize(("typed", "stored"), [("2.5", "2.5"), ("0", "0"), ("-1", None), ("1.255", None), ("x", None)])
def test_whole_time_equivalents_are_zero_or_more(typed, stored):
    assert rules.wte_value(typed) == stored


@pytest.mark.parametrize(
    ("typed", "units"), [("120", 120), ("1,204", 1204), ("0", 0), ("-1", None), ("1.5", None), ("10000001", None)]
)
def test_units_are_whole_numbers_in_range(typed, units):
    assert rules.units_value(typed) == units


def test_missing_figures_names_each_cluster_kpi_and_the_spend():
    missing = rules.missing_figures(
        activity={1: ("North", 10), 2: ("South", None)},
        spend_pence=None,
        kpi_values={7: ("Waiting time", "4"), 8: ("Uptake", None)},
    )
    assert set(missing) == {"activity.2", "spend_pence", "kpi_values.8"}
    assert missing["activity.2"][1] == {"name": "South"}
    negative = rules.missing_figures(activity={}, spend_pence=-1, kpi_values={})
    assert negative["spend_pence"][0] == "The spend cannot be negative"
    assert rules.missing_figures(activity={1: ("North", 0)}, spend_pence=0, kpi_values={7: ("W", "0")}) == {}
