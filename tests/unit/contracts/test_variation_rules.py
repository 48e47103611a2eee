"""What a variation may do to the term and the annual values (contracts.rules.variation_term_refusal)."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.rules import threshold_refusal, variation_term_refusal

NOW = {2027: 100, 2028: 120}
TERM = {"start_on": date(2027, 4, 1), "end_on": date(2029, 3, 31)}


def refusal(years: dict[int, int], effective_on: date) -> str | None:
    refused = variation_term_refusal(
        values_now=NOW, years_after=list(years), values_after=years, effective_on=effective_on, **TERM
    )
    return None if refused is None else refused.message % refused.params


def test_the_effective_date_falls_within_the_term_both_ends_included():
    assert refusal({2027: 100, 2028: 130}, date(2027, 4, 1)) is None
    assert refusal({2027: 100, 2028: 130}, date(2029, 3, 31)) is None
    assert refusal({2027: 100, 2028: 130}, date(2027, 3, 31)).startswith("The effective date must be within")
    assert refusal({2027: 100, 2028: 130}, date(2029, 4, 1)).startswith("The effective date must be within")


def test_an_extension_adds_whole_years_after_the_term_without_a_gap():
    assert refusal({2027: 100, 2028: 120, 2029: 50}, date(2028, 1, 1)) is None
    assert refusal({2027: 100, 2028: 120, 2030: 50}, date(2028, 1, 1)) == (
        "The years must run on from 2027-28, once each and without a gap"
    )
    assert refusal({2028: 120}, date(2027, 5, 1)) is not None  # the first year cannot go


@pytest.mark.parametrize(
    ("effective_on", "allowed"),
    [(date(2028, 3, 31), True), (date(2028, 4, 1), False), (date(2028, 9, 1), False)],
)
def test_a_shortening_cannot_take_off_a_year_started_by_the_effective_date(effective_on, allowed):
    refused = refusal({2027: 100}, effective_on)
    assert (refused is None) is allowed
    if not allowed:
        assert refused == "2028-29 has started by the effective date, so it cannot be taken off the term"


def test_a_year_that_ended_before_the_effective_date_keeps_its_value():
    assert refusal({2027: 101, 2028: 120}, date(2028, 4, 1)) == (
        "2027-28 ended before the effective date, so its value cannot change"
    )
    assert refusal({2027: 101, 2028: 120}, date(2028, 3, 31)) is None  # its last day: still in it


@pytest.mark.parametrize(("text", "allowed"), [("", True), ("85", True), ("12.5", True), ("NaN", False), ("x", False)])
def test_a_threshold_is_a_number_or_empty(text, allowed):
    assert (threshold_refusal(text, field="kpis") is None) is allowed
