"""What a commissioner's query is about, in words on the return's document."""

from __future__ import annotations

from datetime import date

from returns.document import query_field_label
from returns.rules import RAG, ReturnStatus
from returns.schemas.returns import ReturnClusterOut, ReturnKpiOut, ReturnOut, ReturnSummary, ReturnWorkforceOut

RETURN = ReturnOut(
    summary=ReturnSummary(
        id=1,
        contract_id=1,
        contract_reference="CON-2027-0001",
        contract_title="Weight management",
        delivery_vehicle="Vehicle",
        pcpg="Cardiff",
        financial_year=2027,
        year_label="2027-28",
        quarter=1,
        period_from=date(2027, 4, 1),
        period_to=date(2027, 6, 30),
        due_on=date(2027, 7, 30),
        status=ReturnStatus.SUBMITTED,
        status_label="Submitted",
        status_tag="",
        overdue=False,
        version=1,
        submitted_at=None,
    ),
    unit_of_activity="contacts",
    quarter_share_pence=0,
    spend_pence=None,
    narrative="",
    risks="",
    activity=[ReturnClusterOut(7, "Cardiff North", 3)],
    kpis=[
        ReturnKpiOut(
            contract_kpi_id=12,
            name="Days waited",
            unit="days",
            direction_label="",
            target="",
            green_from="",
            red_from="",
            value=None,
            rag=RAG.NOT_RATED,
            rag_label="",
            rag_tag="",
        )
    ],
    workforce=[ReturnWorkforceOut("other", "Other", None)],
    queries=[],
    versions=[],
    actions=[],
)


def test_a_query_on_a_part_of_the_return_names_the_part_and_what_in_it():
    assert query_field_label("spend_pence", RETURN) == "Spend"
    assert query_field_label("narrative", RETURN) == "Narrative"
    assert query_field_label("kpi:12", RETURN) == "Outcomes: Days waited"
    assert query_field_label("activity:7", RETURN) == "Activity by cluster: Cardiff North"
    assert query_field_label("workforce:other", RETURN) == "Workforce in post: Other"


def test_a_field_the_document_does_not_know_reads_as_stored():
    assert query_field_label("kpi:99", RETURN) == "Outcomes"  # a KPI since removed
    assert query_field_label("kpi_values.12", RETURN) == "kpi_values.12"
    assert query_field_label("something else", RETURN) == "something else"
    assert query_field_label("colour", RETURN) == "colour"
