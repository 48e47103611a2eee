"""The pure rules of submitting a return: the spend warning at its edges, the figures' forms, what is missing."""

from __future__ import annotations

import pytest

from returns import rules
from returns.schemas.returns import ActivityIn, KpiValueIn, ReturnFiguresIn, WorkforceIn
from returns.services.figures import figure_problems

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


CLUSTERS = {1: "North", 2: "South"}
KPIS = {8: "Uptake", 7: "Waiting time"}  # the return's order, not the ids'


def _figures(**given):
    return ReturnFiguresIn(**given)


def test_a_whole_return_names_each_missing_cluster_kpi_and_the_spend_in_the_return_order():
    figures = _figures(activity=[ActivityIn(1, 10)], kpi_values=[KpiValueIn(7, "4")])
    _, problems = figure_problems(figures, clusters=CLUSTERS, kpis=KPIS, whole=True)
    assert list(problems) == ["activity:2", "spend_pence", "kpi:8"]
    assert problems["activity:2"] == "Enter the units delivered in South"
    assert problems["kpi:8"] == "Enter a value for Uptake"


def test_a_draft_may_leave_figures_out_but_not_give_them_wrongly():
    _, none = figure_problems(_figures(), clusters=CLUSTERS, kpis=KPIS, whole=False)
    assert none == {}
    wrong = _figures(
        activity=[ActivityIn(1, 10), ActivityIn(1, 11), ActivityIn(9, 1)],
        spend_pence=-1,
        kpi_values=[KpiValueIn(7, "1e5"), KpiValueIn(99, "1")],
        workforce=[WorkforceIn("nursing_midwifery", "-1"), WorkforceIn("astronaut", "1")],
    )
    _, problems = figure_problems(wrong, clusters=CLUSTERS, kpis=KPIS, whole=False)
    assert problems == {
        "spend_pence": "The spend cannot be negative",
        "activity:1": "This figure is given twice: give it once",
        "kpi:7": "Enter a number for Waiting time, like 87.5",
        "activity:9": "The contract does not cover this cluster",
        "kpi:99": "The contract has no such KPI",
        "workforce:astronaut": "Choose a staff group the return lists",
        "workforce:nursing_midwifery": (
            "Enter the whole-time equivalents for Nursing and midwifery as a number of 0 or more, like 2.5"
        ),
    }


def test_figures_are_tidied_into_the_return_order_and_the_stored_forms():
    figures = _figures(
        activity=[ActivityIn(2, 5), ActivityIn(1, 0)],
        spend_pence=0,
        kpi_values=[KpiValueIn(7, " 1,204 "), KpiValueIn(8, "0")],
        narrative="  went well ",
    )
    tidy, problems = figure_problems(figures, clusters=CLUSTERS, kpis=KPIS, whole=True)
    assert problems == {}
    assert [a.cluster_id for a in tidy.activity] == [1, 2]
    assert [(k.contract_kpi_id, k.value) for k in tidy.kpi_values] == [(8, "0"), (7, "1204")]
    assert tidy.narrative == "went well"


def test_a_light_return_asks_only_spend_activity_and_kpis_and_refuses_the_rest_on_its_field():
    light = ReturnFiguresIn(
        activity=[ActivityIn(cluster_id=1, units=3)],
        spend_pence=100,
        kpi_values=[],
        narrative="How it went",
        risks="",
        workforce=[WorkforceIn(staff_group="nursing_midwifery", wte="1")],
    )
    _, problems = figure_problems(light, clusters={1: "North"}, kpis={}, whole=True, light=True)
    assert set(problems) == {rules.NARRATIVE_FIELD, rules.workforce_field("nursing_midwifery")}
    _, full = figure_problems(light, clusters={1: "North"}, kpis={}, whole=True, light=False)
    assert full == {}
    bare = ReturnFiguresIn(activity=[ActivityIn(cluster_id=1, units=3)], spend_pence=100, kpi_values=[])
    _, none = figure_problems(bare, clusters={1: "North"}, kpis={}, whole=True, light=True)
    assert none == {}
