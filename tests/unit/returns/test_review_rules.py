"""The fields of a return a comment is on, and what changed between two versions (returns.rules, issue 13 item 3)."""

from __future__ import annotations

from returns import rules
from returns.rules import ReturnStatus


def test_a_returns_fields_are_each_cluster_the_spend_each_kpi_the_texts_and_each_staff_group_in_order():
    fields = rules.return_fields(cluster_ids=[3, 9], kpi_ids=[7])
    assert fields[:6] == ["activity:3", "activity:9", "spend_pence", "kpi:7", "narrative", "risks"]
    assert fields[6:] == [f"workforce:{group}" for group in rules.STAFF_GROUPS]
    assert "kpi:8" not in fields and "activity:7" not in fields


def test_figures_flatten_by_field_and_absent_figures_are_left_out():
    flat = rules.flat_figures(
        {
            "spend_pence": 2_400_000,
            "activity": [{"cluster_id": 3, "units": 120}],
            "kpi_values": [{"contract_kpi_id": 7, "value": "40"}],
            "narrative": "",
            "risks": "Staff leaving",
            "workforce": [{"staff_group": "other", "wte": "1.5"}],
        }
    )
    assert flat == {
        "spend_pence": 2_400_000,
        "activity:3": 120,
        "kpi:7": "40",
        "risks": "Staff leaving",
        "workforce:other": "1.5",
    }
    assert rules.flat_figures({}) == {}


def test_changes_come_in_the_returns_order_and_numbers_typed_differently_are_the_same():
    order = rules.return_fields(cluster_ids=[3], kpi_ids=[7])
    before = {"spend_pence": 100, "activity:3": 120, "kpi:7": "40", "workforce:other": "2.50", "activity:4": 5}
    after = {"spend_pence": 100, "activity:3": 130, "kpi:7": "40.0", "workforce:other": "2.5", "narrative": "New"}
    assert rules.figure_changes(before, after, order) == [
        ("activity:3", 120, 130),
        ("narrative", None, "New"),
        ("activity:4", 5, None),  # a cluster no longer covered comes last
    ]
    assert rules.figure_changes(after, after, order) == []


def test_only_an_accepted_return_is_corrected():
    assert [s for s in ReturnStatus if rules.can_correct(s)] == [ReturnStatus.ACCEPTED]
