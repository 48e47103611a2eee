"""Rules of the menu: the indicative price range, categories, KPI directions and when an edit changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from menu import rules
from menu.schemas import Category

DATA = Path(rules.__file__).parent / "data"


@pytest.mark.parametrize(("minimum", "maximum"), [(None, None), (0, 0), (5_500_000, 21_100_000), (1, 1)])
def test_a_price_range_with_both_ends_in_order_or_none_at_all_is_accepted(minimum, maximum):
    assert rules.price_range_problem(minimum, maximum) is None


@pytest.mark.parametrize(("minimum", "maximum"), [(100, None), (None, 100)])
def test_a_price_range_needs_both_ends_or_neither(minimum, maximum):
    assert rules.price_range_problem(minimum, maximum) == "Give both ends of the price range, or neither"


@pytest.mark.parametrize(("minimum", "maximum"), [(-1, 100), (0, -5), (0, -1)])
def test_a_price_cannot_be_negative(minimum, maximum):
    assert rules.price_range_problem(minimum, maximum) == "Prices cannot be negative"


def test_the_lower_price_cannot_be_above_the_upper():
    assert rules.price_range_problem(200, 199) == "The lower price cannot be more than the upper price"


def test_an_edit_with_the_same_content_changes_nothing_and_any_difference_is_a_change():
    current = {"name": "Obesity", "kpis": [{"name": "Weight lost", "direction": "higher_is_better"}]}
    assert rules.is_same_content(
        current, {"name": "Obesity", "kpis": [{"name": "Weight lost", "direction": "higher_is_better"}]}
    )
    assert not rules.is_same_content(
        current, {"name": "Obesity", "kpis": [{"name": "Weight lost", "direction": "lower_is_better"}]}
    )
    assert not rules.is_same_content(current, {"name": "Obesity ", "kpis": current["kpis"]})


def test_the_categories_the_api_accepts_are_the_ones_the_pages_offer():
    assert set(rules.CATEGORIES) == set(Category.__args__)


def test_every_service_on_the_national_menu_has_a_known_category_translation_status_and_price_range():
    with (DATA / "menu-of-cluster-services.csv").open(encoding="utf-8", newline="") as handle:
        services = list(csv.DictReader(handle))
    assert len(services) == 23
    for row in services:
        assert row["category"] in rules.CATEGORIES, row["code"]
        assert (row["translation_status"] or "draft") in rules.TRANSLATION_STATUSES, row["code"]
        low, high = row["annual_price_min_pounds"], row["annual_price_max_pounds"]
        assert rules.price_range_problem(int(low) if low else None, int(high) if high else None) is None, row["code"]


def test_every_suggested_kpi_says_whether_higher_or_lower_is_better_and_each_service_has_2_to_4():
    with (DATA / "menu-kpis.csv").open(encoding="utf-8", newline="") as handle:
        kpis = list(csv.DictReader(handle))
    assert {row["direction"] for row in kpis} <= set(rules.DIRECTIONS)
    per_service: dict[str, int] = {}
    for row in kpis:
        per_service[row["service_code"]] = per_service.get(row["service_code"], 0) + 1
    assert len(per_service) == 23
    assert all(2 <= count <= 4 for count in per_service.values()), per_service


def test_sources_typed_one_per_line_are_kept_as_the_national_menu_keeps_them():
    from menu.rules import normalised_sources, source_list

    typed = (
        "ACD presentation\n\n  https://example.org/a  \nhttps://example.org/b ; https://example.org/c\n"
        "ACD presentation\n"
    )
    assert normalised_sources(typed) == (
        "ACD presentation ; https://example.org/a ; https://example.org/b ; https://example.org/c"
    )
    assert source_list(normalised_sources(typed)) == [
        "ACD presentation",
        "https://example.org/a",
        "https://example.org/b",
        "https://example.org/c",
    ]
    assert normalised_sources("") == ""
    assert normalised_sources(" \n ; \n") == ""
    assert source_list("") == []
    assert normalised_sources("https://example.org/x;y=1") == "https://example.org/x;y=1", "a ; inside a source stays"
