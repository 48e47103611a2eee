"""The rules that read a budget lines file's words: a financial year as people write it, a funding stream by its label
in either language, and what a row does to its line."""

from __future__ import annotations

import pytest

from finance.rules import ImportChange, import_change, read_financial_year, read_funding_stream


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2027-28", 2027),
        (" 2027/28 ", 2027),
        ("2027 - 28", 2027),
        ("2027\u201328", 2027),
        ("2099-00", 2099),
        ("2027-29", None),
        ("2027", None),
        ("27-28", None),
        ("2019-20", None),
        ("", None),
    ],
)
def test_a_financial_year_is_read_as_its_start_year_or_refused(text, year):
    assert read_financial_year(text) == year


@pytest.mark.parametrize(
    ("text", "stream"),
    [
        ("Cluster funding", "cluster_funding"),
        ("  cluster   FUNDING ", "cluster_funding"),
        ("Cyllid clwstwr", "cluster_funding"),
        ("Cronfa Integreiddio Ranbarthol", "regional_integration_fund"),
        ("Health board core", "hb_core"),
        ("hb_core", "hb_core"),
        ("Other", "other"),
        ("Arall", "other"),
        ("Pocket money", None),
        ("", None),
    ],
)
def test_a_funding_stream_is_read_by_its_label_in_either_language(text, stream):
    assert read_funding_stream(text) == stream


def test_a_row_is_new_changed_or_unchanged_by_its_amount_and_note():
    assert import_change(None, 100, "") is ImportChange.NEW
    assert import_change((100, ""), 100, "") is ImportChange.UNCHANGED
    assert import_change((100, ""), 101, "") is ImportChange.CHANGED
    assert import_change((100, "a"), 100, "b") is ImportChange.CHANGED
    assert import_change((0, ""), 0, "") is ImportChange.UNCHANGED
