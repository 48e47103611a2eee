"""When `cdv load-reference` fills in or replaces a cluster's population (issue 12, item 2): organisations.rules."""

from datetime import date

import pytest

from core.i18n import period_in_words
from organisations.rules import PopulationFigure, as_of_period, is_newer_figure, population_to_load

PLAN = PopulationFigure(38122, False, "Penderi cluster plan", "2018-07", "https://example.org/penderi")
NONE = PopulationFigure(None)


def test_a_cluster_without_a_population_gets_the_reference_figure_whole():
    assert population_to_load(NONE, PLAN) == PLAN


def test_a_reference_without_a_figure_leaves_the_cluster_unknown_and_never_clears_a_known_one():
    assert population_to_load(NONE, NONE) is None
    assert population_to_load(PLAN, NONE) is None


def test_the_same_figure_again_changes_nothing():
    assert population_to_load(PLAN, PLAN) is None


def test_a_figure_a_person_set_stays_unless_the_reference_is_newer_and_dated():
    by_hand = PopulationFigure(39000, False, "Practice list, by phone", "2019-03", None)
    assert population_to_load(by_hand, PLAN) is None
    undated = by_hand._replace(as_of=None)
    assert population_to_load(undated, PLAN) is None, "an undated figure is not older than a dated one"
    newer = PLAN._replace(population=40100, as_of="2020")
    assert population_to_load(by_hand, newer) == newer
    assert population_to_load(by_hand, newer._replace(as_of=None)) is None


def test_the_reference_fills_in_the_date_and_address_of_its_own_figure_only():
    loaded_before_dates_were_kept = PLAN._replace(as_of=None, source_url=None)
    assert population_to_load(loaded_before_dates_were_kept, PLAN) == PLAN
    other_source = loaded_before_dates_were_kept._replace(source="Someone's count")
    assert population_to_load(other_source, PLAN) is None


@pytest.mark.parametrize(
    ("reference", "stored", "newer"),
    [
        ("2019", "2018-07", True),
        ("2018-08", "2018-07", True),
        ("2018-07-31", "2018-07", False),
        ("2018-10", "2018", False),
        ("2018", "2018-10", False),
        ("2020-01-01", "2019-12-31", True),
        ("2018", "2018", False),
        (None, "2018", False),
        ("2019", None, False),
    ],
)
def test_a_figure_is_newer_only_when_all_its_period_comes_after(reference, stored, newer):
    assert is_newer_figure(reference, stored) is newer


def test_a_source_s_date_covers_its_day_month_or_year():
    assert as_of_period("2020-01-01") == (date(2020, 1, 1), date(2020, 1, 1))
    assert as_of_period("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert as_of_period("2018") == (date(2018, 1, 1), date(2018, 12, 31))
    for text in ("c.2018", "18", "2018-13", ""):
        with pytest.raises(ValueError):
            as_of_period(text)


def test_a_source_s_date_reads_in_words_with_its_own_precision():
    assert [period_in_words(v, "en") for v in ("2020-01-01", "2018-10", "2018")] == [
        "1 January 2020",
        "October 2018",
        "2018",
    ]
    assert period_in_words("2018-10", "cy") == "Hydref 2018"
