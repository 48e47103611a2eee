"""The decisions behind the check pages before publishing and cancelling: whether Publish is offered now, which
section of a draft puts a problem right, and who learns of a cancellation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commissioning import rules

STATUSES = ("draft", "published", "closed", "under_evaluation", "awarded", "cancelled")
MISSING = {"cluster_ids": "Select the clusters the service covers"}


# Whether the Publish button is offered


def test_a_complete_draft_whose_lines_all_have_headroom_can_be_published_now():
    assert rules.can_publish_now(status="draft", problems={}, shortfalls_pence=[0, 0]) is True


def test_one_line_short_by_a_penny_takes_the_button_away():
    assert rules.can_publish_now(status="draft", problems={}, shortfalls_pence=[0, 1]) is False


def test_a_draft_with_something_missing_cannot_be_published_now_even_with_headroom():
    assert rules.can_publish_now(status="draft", problems=MISSING, shortfalls_pence=[0]) is False


def test_a_draft_drawing_on_no_line_yet_is_decided_by_its_problems_alone():
    assert rules.can_publish_now(status="draft", problems={}, shortfalls_pence=[]) is True
    assert rules.can_publish_now(status="draft", problems=MISSING, shortfalls_pence=[]) is False


@pytest.mark.parametrize("status", [s for s in STATUSES if s != "draft"])
def test_only_a_draft_is_ever_offered_publication(status):
    assert rules.can_publish_now(status=status, problems={}, shortfalls_pence=[0]) is False


# Which section puts a problem right


@pytest.mark.parametrize(
    ("field_name", "section"),
    [
        ("title_cy", "particulars"),
        ("bid_deadline_at", "particulars"),
        ("cluster_ids", "clusters"),
        ("term_years", "money"),
        ("years", "money"),
        ("kpis", "kpis"),
        ("criteria", "criteria"),
        ("price_weight", "criteria"),
    ],
)
def test_each_problem_field_belongs_to_the_section_that_edits_it(field_name, section):
    assert rules.draft_section(field_name) == section


def test_every_field_publication_can_complain_about_has_a_section():
    problems = rules.publication_problems(
        route="competitive",
        title="",
        title_cy="",
        description="",
        description_cy="",
        pcpg_id=1,
        cluster_pcpg_ids=[],
        start_financial_year=2027,
        term=9,
        years=[],
        kpi_count=0,
        criteria=[],
        price_weight=40,
        bid_deadline_at=None,
        now=datetime(2026, 11, 23, tzinfo=UTC),
    )
    named = {field for fields in rules.DRAFT_SECTIONS.values() for field in fields}
    assert problems.items and set(problems.items) <= named


# Who learns of a cancellation


def test_cancelling_a_draft_names_no_bidders_and_no_panel():
    told = rules.cancellation_audience("draft")
    assert "Nobody is sent a notice or an email about the cancellation." in told
    assert not any("bid" in line for line in told)
    assert not any("panel" in line for line in told)


@pytest.mark.parametrize("status", ["published", "closed", "under_evaluation"])
def test_cancelling_after_publication_says_bidders_will_see_it(status):
    assert "Delivery vehicles that bid will see in their list of bids that it was cancelled." in (
        rules.cancellation_audience(status)
    )


def test_only_a_specification_under_evaluation_mentions_its_panel():
    assert any("panel" in line for line in rules.cancellation_audience("under_evaluation"))
    assert not any("panel" in line for line in rules.cancellation_audience("closed"))
