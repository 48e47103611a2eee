"""The OCDS mapping rules: ocids, money, periods, measures and codes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opendata import rules


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_pounds_read_back_as_the_same_pence(pence: int) -> None:
    pounds = rules.amount(pence)
    assert isinstance(pounds, float)
    assert round(pounds * 100) == pence
    sign = "-" if pence < 0 else ""
    assert repr(pounds).rstrip("0").rstrip(".") == f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}".rstrip(
        "0"
    ).rstrip(".")


def test_an_ocid_is_the_prefix_and_the_specification_reference() -> None:
    assert rules.ocid("ocds-ab12cd", "CDV-2026-0007") == "ocds-ab12cd-CDV-2026-0007"


@pytest.mark.parametrize(
    ("prefix", "ok"),
    [("ocds-ab12cd", True), ("ocds-xxxxxx", True), ("ocds-ab12c", False), ("ocds-AB12CD", False), ("ab12cd", False)],
)
def test_an_ocid_prefix_is_ocds_and_six_letters_or_digits(prefix: str, ok: bool) -> None:
    assert rules.is_ocid_prefix(prefix) is ok


def test_a_financial_year_runs_from_1_april_to_the_last_second_of_31_march_in_wales() -> None:
    start, end = rules.financial_year_period(2027)
    assert start.isoformat() == "2027-04-01T00:00:00+01:00"
    assert end.isoformat() == "2028-03-31T23:59:59+01:00"
    assert rules.years_period(2027, 2)[1].isoformat() == "2029-03-31T23:59:59+01:00"


def test_a_winter_day_starts_at_greenwich_time() -> None:
    assert rules.day_starts(date(2028, 1, 1)).utcoffset() == timedelta(0)
    assert rules.day_ends(date(2028, 3, 31)).utcoffset() == timedelta(hours=1)


def test_a_stored_moment_is_given_in_utc_with_its_offset() -> None:
    assert rules.instant(datetime(2026, 5, 1, 10)).isoformat() == "2026-05-01T10:00:00+00:00"
    assert rules.instant(datetime(2026, 5, 1, 11, tzinfo=timezone(timedelta(hours=1)))) == datetime(
        2026, 5, 1, 10, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "measure"),
    [("87.5", 87.5), ("75", 75), ("75%", 75), ("1,200", 1200), ("", None), ("  ", None), ("under 10", "under 10")],
)
def test_a_kpi_figure_is_a_number_where_it_is_one(text: str, measure: object) -> None:
    assert rules.measure(text) == measure
    assert type(rules.measure(text)) is type(measure)


def test_the_criteria_and_weights_read_as_one_sentence() -> None:
    assert (
        rules.award_criteria_details([("Service model", 45), ("Social value", 15)], 40)
        == "Quality 60% (Service model 45%, Social value 15%); Price 40%"
    )
    assert rules.award_criteria_details([], 100) == "Quality 0%; Price 100%"


def test_parties_are_identified_by_ods_code_and_companies_house_number() -> None:
    assert rules.health_board_party_id("CAVUHB", "ocds-xxxxxx") == ("GB-NHS-7A4", "7A4")
    assert rules.health_board_party_id("NEWHB", "ocds-xxxxxx") == ("ocds-xxxxxx-HB-NEWHB", None)
    assert len(set(rules.HEALTH_BOARD_ODS_CODES.values())) == 7
    assert rules.vehicle_party_id("09506232", 4, "ocds-xxxxxx") == "GB-COH-09506232"
    assert rules.vehicle_party_id(None, 4, "ocds-xxxxxx") == "ocds-xxxxxx-DV-4"


def test_codes_come_from_the_closed_codelists() -> None:
    assert set(rules.TENDER_STATUS.values()) <= {
        "planning",
        "planned",
        "active",
        "cancelled",
        "unsuccessful",
        "complete",
        "withdrawn",
    }
    assert {m for m, _ in rules.PROCUREMENT_METHOD.values()} <= {"open", "selective", "limited", "direct"}
    assert set(rules.AWARD_STATUS.values()) <= {"pending", "active", "cancelled", "unsuccessful"}
    assert set(rules.CONTRACT_STATUS.values()) <= {"pending", "active", "cancelled", "terminated"}


def test_a_release_is_tagged_with_each_stage_reached() -> None:
    assert rules.release_tags(
        cancelled=False, awards=0, contracts=0, amendments=0, implementation=False, ended=False
    ) == ["planning", "tender"]
    assert rules.release_tags(
        cancelled=False, awards=1, contracts=1, amendments=2, implementation=True, ended=True
    ) == ["planning", "tender", "award", "contract", "contractAmendment", "implementation", "contractTermination"]
    assert "tenderCancellation" in rules.release_tags(
        cancelled=True, awards=0, contracts=0, amendments=0, implementation=False, ended=False
    )


def test_a_release_id_is_the_ocid_and_the_moment_of_its_latest_change() -> None:
    moment = datetime(2027, 7, 5, 11, 30, tzinfo=timezone(timedelta(hours=1)))
    assert rules.release_id("ocds-xxxxxx-CDV-1", moment) == "ocds-xxxxxx-CDV-1-20270705T103000Z"


def test_kpi_metric_ids_count_from_one() -> None:
    assert rules.metric_id(0) == "KPI-1"
    assert rules.quarter_label(2027, 4) == "2027-28-Q4"
