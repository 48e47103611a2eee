"""What the commissioning pages say, pinned where the other tests left room (tests/README.md, mutation testing): the
words and tag colour of every status, the outcome a provider's list of bids shows, who may make a representation,
a panel member's next task and when scoring is complete, and the tie rule at the edge of 2 decimal places."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest

from commissioning import rules
from commissioning.rules import BidOutcome, BidResult, PanelSeat, PanelTask
from core.errors import NotAllowed


def _large(number: int) -> int:
    """An id or a count as a database row gives it: its own int object, not the one a literal in the code is."""
    return int(str(number))


# The words and tag colours pages show


def _member(lifecycle: str, value: str) -> Any:
    """The member, looked up when the test runs rather than when it is collected (so scripts/mutate's mutants of
    the enum classes are the ones read)."""
    return getattr(rules, lifecycle)(value)


@pytest.mark.parametrize(
    ("lifecycle", "value", "label"),
    [
        ("ProcurementRoute", "direct_award_1", "Direct Award 1: only one capable provider"),
        ("ProcurementRoute", "direct_award_2", "Direct Award 2: existing provider performing satisfactorily"),
        ("ProcurementRoute", "most_suitable_provider", "Most Suitable Provider"),
        ("ProcurementRoute", "competitive", "Competitive process"),
        ("SpecificationStatus", "draft", "Draft"),
        ("SpecificationStatus", "published", "Open for bids"),
        ("SpecificationStatus", "closed", "Closed for bids"),
        ("SpecificationStatus", "under_evaluation", "Under evaluation"),
        ("SpecificationStatus", "awarded", "Awarded"),
        ("SpecificationStatus", "cancelled", "Cancelled"),
        ("BidStatus", "draft", "Draft, not submitted"),
        ("BidStatus", "submitted", "Submitted"),
        ("BidStatus", "withdrawn", "Withdrawn"),
        ("AwardStatus", "standstill", "In standstill"),
        ("AwardStatus", "confirmed", "Contract made"),
        ("AwardStatus", "withdrawn", "Withdrawn"),
        ("PanelTask", "declare", "Declare your interests"),
        ("PanelTask", "score", "Score the bids"),
        ("PanelTask", "done", "Scored"),
        ("PanelTask", "recused", "Recused"),
        ("PanelTask", "finished", "Evaluation finished"),
        ("BidOutcome", "draft", "Draft, not submitted"),
        ("BidOutcome", "submitted", "Submitted"),
        ("BidOutcome", "withdrawn", "Withdrawn"),
        ("BidOutcome", "awarded", "Awarded to you"),
        ("BidOutcome", "unsuccessful", "Unsuccessful"),
        ("BidOutcome", "cancelled", "Specification cancelled"),
    ],
)
def test_each_route_and_status_reads_in_words(lifecycle, value, label):
    assert _member(lifecycle, value).label == label


def test_the_lists_of_routes_and_statuses_offer_their_words():
    assert rules.ROUTES["competitive"] == "Competitive process"
    assert rules.STATUSES["published"] == "Open for bids"


@pytest.mark.parametrize(
    ("lifecycle", "value", "tag"),
    [
        ("SpecificationStatus", "draft", "nhsuk-tag--grey"),
        ("SpecificationStatus", "published", "nhsuk-tag--green"),
        ("SpecificationStatus", "closed", "nhsuk-tag--blue"),
        ("SpecificationStatus", "under_evaluation", "nhsuk-tag--purple"),
        ("SpecificationStatus", "awarded", "nhsuk-tag--aqua-green"),
        ("SpecificationStatus", "cancelled", "nhsuk-tag--red"),
        ("BidStatus", "draft", "nhsuk-tag--grey"),
        ("BidStatus", "submitted", "nhsuk-tag--green"),
        ("BidStatus", "withdrawn", "nhsuk-tag--red"),
        ("PanelTask", "declare", "nhsuk-tag--orange"),
        ("PanelTask", "score", "nhsuk-tag--blue"),
        ("PanelTask", "done", "nhsuk-tag--green"),
        ("PanelTask", "recused", "nhsuk-tag--grey"),
        ("PanelTask", "finished", "nhsuk-tag--grey"),
        ("BidOutcome", "draft", "nhsuk-tag--grey"),
        ("BidOutcome", "submitted", "nhsuk-tag--blue"),
        ("BidOutcome", "withdrawn", "nhsuk-tag--grey"),
        ("BidOutcome", "awarded", "nhsuk-tag--green"),
        ("BidOutcome", "unsuccessful", "nhsuk-tag--red"),
        ("BidOutcome", "cancelled", "nhsuk-tag--grey"),
    ],
)
def test_each_status_shows_in_its_tag_colour(lifecycle, value, tag):
    assert _member(lifecycle, value).tag == tag


# A provider's list of bids


def test_a_bid_is_awarded_to_the_bidder_only_when_the_award_names_its_own_vehicle():
    def outcome(awarded: int, own: int) -> BidOutcome:
        return rules.bid_outcome(
            bid_status="submitted", specification_status="awarded", awarded_vehicle_id=awarded, own_vehicle_id=own
        )

    assert outcome(1, 2) is BidOutcome.UNSUCCESSFUL, "another vehicle, listed before it, won"
    assert outcome(2, 1) is BidOutcome.UNSUCCESSFUL, "another vehicle, listed after it, won"
    assert outcome(_large(1041), _large(1041)) is BidOutcome.AWARDED, "its own vehicle, however high its id"


# Representations during standstill


def _representation(**changes):
    values = {
        "route": "competitive",
        "award_status": "standstill",
        "standstill_ends_on": date(2027, 1, 14),
        "today": date(2027, 1, 6),
        "own_vehicle_id": 2,
        "winner_vehicle_id": 1,
        "submitted_a_bid": True,
    }
    return rules.representation_refusal(**{**values, **changes})


def test_a_losing_bidder_may_make_a_representation_on_any_day_of_standstill():
    for day in (date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 13), date(2027, 1, 14)):
        assert _representation(today=day) is None


def test_a_losing_bidder_may_make_a_representation_whichever_vehicle_id_is_higher():
    assert _representation(own_vehicle_id=1, winner_vehicle_id=2) is None
    assert _representation(own_vehicle_id=2, winner_vehicle_id=1) is None


def test_the_winner_may_not_make_a_representation_however_high_its_id():
    refusal = _representation(own_vehicle_id=_large(1041), winner_vehicle_id=_large(1041))
    assert isinstance(refusal, NotAllowed)
    assert refusal.message == "Only a bidder can make a representation on this award"


@pytest.mark.parametrize("award_status", ["confirmed", "withdrawn"])
def test_no_representation_once_the_award_has_left_standstill(award_status):
    refusal = _representation(award_status=award_status)
    assert refusal is not None
    assert refusal.message == "Representations can be made only during standstill"


# A panel member's next task, and when scoring is complete


def _task(scores_given: int, scores_needed: int) -> PanelTask:
    return rules.panel_task(
        specification_status="under_evaluation",
        declared=True,
        conflict=False,
        scores_given=scores_given,
        scores_needed=scores_needed,
    )


def test_a_member_who_has_scored_every_bid_on_every_criterion_is_done_however_many_there_are():
    assert _task(1, 1) is PanelTask.DONE
    assert _task(_large(300), _large(300)) is PanelTask.DONE, "50 bids on 6 criteria"
    assert _task(7, 6) is PanelTask.DONE, "a count with a score to spare is no less done"
    assert _task(299, 300) is PanelTask.SCORE


def test_scoring_is_complete_once_every_member_has_scored_however_few_or_many_scores_that_is():
    assert rules.scoring_complete([PanelSeat(True, False, 1)], 1), "one bid on one criterion"
    assert rules.scoring_complete([PanelSeat(True, False, _large(300))], _large(300)), "50 bids on 6 criteria"
    assert rules.scoring_complete([PanelSeat(True, False, 7)], 6), "a count with a score to spare"
    assert not rules.scoring_complete([PanelSeat(True, False, 0)], 1)


def test_a_score_for_a_criterion_the_specification_does_not_have_does_not_hold_a_bid_back():
    assert rules.has_scored_bid([0, 1, 2, 3], [0, 1, 2])
    assert not rules.has_scored_bid([0, 1, 3], [0, 1, 2])


# The tie rule at the edge of 2 decimal places

WEIGHTS = {0: 30, 1: 20, 2: 10}
SUBMITTED = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def _bid(bid_id: int, price: int, scores: tuple[int, int, int], minutes: int = 0) -> BidResult:
    return BidResult(
        bid_id=bid_id,
        total_price_pence=price,
        submitted_at=SUBMITTED + timedelta(minutes=minutes),
        moderated=dict(enumerate(scores)),
    )


def test_a_total_just_above_the_half_hundredth_below_another_is_shown_equal_and_tied():
    # Quality 44 + price 40 = 84; quality 46 + 40 x 50,000 / 52,638.47 = 83.995025, shown as 84.00: a tie, which
    # the higher quality wins.
    cheaper = _bid(1, 50_000_00, (4, 4, 2))
    better = _bid(2, 52_638_47, (4, 4, 3))
    ranked = rules.rank_bids(WEIGHTS, 40, [cheaper, better])
    assert round(ranked[0].total_score, 6) == Fraction("83.995025")
    assert [(r.bid_id, r.rank, r.tie_note) for r in ranked] == [
        (2, 1, "Tied on total score; ranked by the higher quality score"),
        (1, 2, "Tied on total score; ranked by the higher quality score"),
    ]


def test_a_total_just_below_the_half_hundredth_below_another_is_shown_lower_and_not_tied():
    # Quality 46 + 40 x 50,000 / 52,638.54 = 83.994975, shown as 83.99 against 84.00: the higher total wins.
    cheaper = _bid(1, 50_000_00, (4, 4, 2))
    better = _bid(2, 52_638_54, (4, 4, 3))
    ranked = rules.rank_bids(WEIGHTS, 40, [better, cheaper])
    assert round(ranked[1].total_score, 6) == Fraction("83.994975")
    assert [(r.bid_id, r.rank, r.tie_note) for r in ranked] == [(1, 1, ""), (2, 2, "")]


def test_in_a_three_way_tie_each_note_gives_the_reason_against_the_highest_ranked_of_the_others():
    # All three shown as 84.00. The best quality is first; the other two have equal quality and are split by price.
    better = _bid(3, 52_632_55, (4, 4, 3))  # 46 + 37.9993
    cheaper = _bid(1, 50_000_00, (4, 4, 2))  # 44 + 40
    dearer = _bid(2, 50_000_01, (4, 4, 2))  # 44 + 39.9999992
    ranked = rules.rank_bids(WEIGHTS, 40, [dearer, cheaper, better])
    by_quality = "Tied on total score; ranked by the higher quality score"
    assert [(r.bid_id, r.rank, r.tie_note) for r in ranked] == [
        (3, 1, by_quality),
        (1, 2, by_quality),  # against bid 3, not bid 2 (which it beats on price)
        (2, 3, by_quality),
    ]


def test_in_a_three_way_tie_with_equal_quality_the_notes_give_price_against_the_first():
    # All of quality 44 and shown as 84.00; bids 1 and 2 at the same price (split by submission), bid 3 dearer.
    first = _bid(1, 50_000_00, (4, 4, 2), minutes=0)
    second = _bid(2, 50_000_00, (4, 4, 2), minutes=5)
    dearer = _bid(3, 50_000_01, (4, 4, 2), minutes=1)
    ranked = rules.rank_bids(WEIGHTS, 40, [dearer, second, first])
    by_price = "Tied on total and quality scores; ranked by the lower total price"
    by_time = "Tied on total score, quality score and price; ranked by the earlier submission"
    assert [(r.bid_id, r.rank, r.tie_note) for r in ranked] == [
        (1, 1, by_time),  # against bid 2, the higher ranked of the others, not bid 3
        (2, 2, by_time),  # against bid 1
        (3, 3, by_price),
    ]
