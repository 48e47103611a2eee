"""Reading a filled-in return template back (returns/figures_file.py): every problem by row and column, all or
nothing; the file's size and type read from its bytes."""

from __future__ import annotations

import pytest

from commissioning.services.bids import MAX_ATTACHMENT_BYTES
from core.errors import RuleBroken, TooLarge
from returns import figures_file
from returns.figures_file import Expected, figures_from_rows

EXPECTED = Expected(
    contract_id=5,
    contract_reference="CON-2027-0005",
    financial_year=2027,
    year_label="2027-28",
    quarter=1,
    cluster_ids=frozenset({11, 12}),
    kpi_ids=frozenset({7}),
)
HEAD = [
    (1, ["Contract", "CON-2027-0005", "Weight management", "Alpha CIC", "contract:5"]),
    (2, ["Quarter", "2027-28", "Quarter 1", "", "quarter:2027-1"]),
    (3, []),
    (4, ["Section", "Item", "Value", "Unit", "Code (do not change)"]),
]


def test_a_good_file_gives_its_figures_leaving_blanks_out():
    rows = [
        *HEAD,
        (5, ["Activity", "North", "1,204", "sessions", "activity:11"]),
        (6, ["Activity", "South", "", "sessions", "activity:12"]),
        (7, ["Spend", "Spend", "£29,999.99", "£", "spend"]),
        (8, ["KPI", "Uptake", "87.5", "%", "kpi:7"]),
        (9, ["Workforce", "Nursing", "1.5", "WTE", "workforce:nursing_midwifery"]),
        (10, ["Narrative", "", "'=fine", "", "narrative"]),
    ]
    figures = figures_from_rows(rows, EXPECTED)
    assert [(a.cluster_id, a.units) for a in figures.activity] == [(11, 1204)]
    assert figures.spend_pence == 29_999_99
    assert [(k.contract_kpi_id, k.value) for k in figures.kpi_values] == [(7, "87.5")]
    assert [(w.staff_group, w.wte) for w in figures.workforce] == [("nursing_midwifery", "1.5")]
    assert figures.narrative == "=fine"  # the apostrophe the template put before it is not part of it


def test_every_problem_is_named_by_row_and_column_at_once():
    rows = [
        *HEAD,
        (5, ["Activity", "North", "12.5", "", "activity:11"]),
        (6, ["Activity", "Elsewhere", "3", "", "activity:99"]),
        (7, ["KPI", "Uptake", "high", "", "kpi:7"]),
        (8, ["KPI", "Uptake", "1", "", "kpi:7"]),
        (9, ["", "", "stray", "", ""]),
        (10, ["Spend", "", "-5", "", "spend"]),
    ]
    with pytest.raises(RuleBroken) as refused:
        figures_from_rows(rows, EXPECTED)
    assert sorted(refused.value.params["problems"].values()) == sorted(
        [
            "Row 5, column C: enter a whole number of units, from 0 to 10,000,000",
            "Row 6, column E: this row is not in this return's template",
            "Row 7, column C: enter a number, like 87.5",
            "Row 8, column E: this row is in the file twice",
            "Row 9, column E: this row is not in this return's template",
            "Row 10, column C: enter the spend in pounds, £0 or more, like 1250.00",
        ]
    )
    assert refused.value.params["count"] == 6


def test_a_file_of_another_contract_or_quarter_or_none_is_refused_as_such():
    other_contract = [(1, ["Contract", "CON-2027-0009", "", "", "contract:9"]), HEAD[1]]
    with pytest.raises(RuleBroken, match="another contract"):
        figures_from_rows(other_contract, EXPECTED)
    other_quarter = [HEAD[0], (2, ["Quarter", "", "", "", "quarter:2027-2"])]
    with pytest.raises(RuleBroken, match="another quarter"):
        figures_from_rows(other_quarter, EXPECTED)
    with pytest.raises(RuleBroken, match="not the template of this return"):
        figures_from_rows([(1, ["Activity", "North", "3"])], EXPECTED)


def test_the_file_is_read_from_its_bytes_and_no_larger_than_10_mib():
    with pytest.raises(TooLarge):
        figures_file.read_rows(b"a" * (MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(RuleBroken, match="CSV"):
        figures_file.read_rows(b"PK\x03\x04 not really a workbook")
    with pytest.raises(RuleBroken, match="CSV"):
        figures_file.read_rows(b"%PDF-1.7")
    assert figures_file.read_rows('a,b\r\nŵ,"x, y"\r\n'.encode()) == [(1, ["a", "b"]), (2, ["ŵ", "x, y"])]
    assert figures_file.read_rows("caf\xe9,1\r\n".encode("cp1252")) == [(1, ["café", "1"])]
