"""Each lifecycle's table of moves: every move it does not list is refused, and every status has Welsh words."""

from __future__ import annotations

from enum import StrEnum
from itertools import product

import pytest

from commissioning import rules
from commissioning.rules import AwardStatus, BidStatus, ProcurementRoute, SpecificationStatus
from contracts import rules as contract_rules
from contracts.rules import ContractStatus
from core.i18n import translate_in

ALLOWED_SPECIFICATION_MOVES = {
    ("draft", "published"),
    ("draft", "cancelled"),
    ("published", "closed"),
    ("published", "awarded"),
    ("published", "cancelled"),
    ("closed", "under_evaluation"),
    ("closed", "awarded"),
    ("closed", "cancelled"),
    ("under_evaluation", "awarded"),
    ("under_evaluation", "cancelled"),
}
ALLOWED_BID_MOVES = {
    ("draft", "draft"),
    ("draft", "submitted"),
    ("draft", "withdrawn"),
    ("submitted", "submitted"),
    ("submitted", "withdrawn"),
    ("withdrawn", "draft"),
    ("withdrawn", "submitted"),
}
ALLOWED_AWARD_MOVES = {("standstill", "confirmed"), ("standstill", "withdrawn")}
ALLOWED_CONTRACT_MOVES = {
    # issue 12: mobilising -> live -> suspended <-> live -> terminated | expired; a contract that never went live
    # can be terminated, and every contract still holding money expires when its term has passed
    ("mobilising", "live"),
    ("mobilising", "terminated"),
    ("mobilising", "expired"),
    ("live", "suspended"),
    ("live", "terminated"),
    ("live", "expired"),
    ("suspended", "live"),
    ("suspended", "terminated"),
    ("suspended", "expired"),
}


def _refused(lifecycle: type[StrEnum], allowed: set[tuple[str, str]]) -> list[tuple[StrEnum, StrEnum]]:
    return [(a, b) for a, b in product(lifecycle, lifecycle) if (a.value, b.value) not in allowed]


@pytest.mark.parametrize(("current", "to"), _refused(SpecificationStatus, ALLOWED_SPECIFICATION_MOVES))
def test_a_specification_move_not_in_the_table_is_refused(current, to):
    assert not rules.can_move(rules.SPECIFICATION_MOVES, current, to)


@pytest.mark.parametrize(("current", "to"), sorted(ALLOWED_SPECIFICATION_MOVES))
def test_a_specification_move_in_the_table_is_allowed(current, to):
    assert rules.can_move(rules.SPECIFICATION_MOVES, SpecificationStatus(current), SpecificationStatus(to))


@pytest.mark.parametrize(("current", "to"), _refused(BidStatus, ALLOWED_BID_MOVES))
def test_a_bid_move_not_in_the_table_is_refused(current, to):
    assert not rules.can_move(rules.BID_MOVES, current, to)


@pytest.mark.parametrize(("current", "to"), sorted(ALLOWED_BID_MOVES))
def test_a_bid_move_in_the_table_is_allowed(current, to):
    assert rules.can_move(rules.BID_MOVES, BidStatus(current), BidStatus(to))


@pytest.mark.parametrize(("current", "to"), _refused(AwardStatus, ALLOWED_AWARD_MOVES))
def test_an_award_move_not_in_the_table_is_refused(current, to):
    assert not rules.can_move(rules.AWARD_MOVES, current, to)


@pytest.mark.parametrize(("current", "to"), sorted(ALLOWED_AWARD_MOVES))
def test_an_award_move_in_the_table_is_allowed(current, to):
    assert rules.can_move(rules.AWARD_MOVES, AwardStatus(current), AwardStatus(to))


@pytest.mark.parametrize(("current", "to"), _refused(ContractStatus, ALLOWED_CONTRACT_MOVES))
def test_a_contract_move_not_in_the_table_is_refused(current, to):
    assert not contract_rules.can_move(current, to)


@pytest.mark.parametrize(("current", "to"), sorted(ALLOWED_CONTRACT_MOVES))
def test_a_contract_move_in_the_table_is_allowed(current, to):
    assert contract_rules.can_move(ContractStatus(current), ContractStatus(to))


def test_the_rules_that_name_a_move_follow_the_table():
    for status in SpecificationStatus:
        assert rules.can_publish(status) == (status is SpecificationStatus.DRAFT)
        assert rules.can_begin_evaluation(status) == (status is SpecificationStatus.CLOSED)
        assert rules.can_cancel(status) == (
            status
            in (
                SpecificationStatus.DRAFT,
                SpecificationStatus.PUBLISHED,
                SpecificationStatus.CLOSED,
                SpecificationStatus.UNDER_EVALUATION,
            )
        )


def test_saving_a_draft_over_a_submitted_bid_keeps_it_submitted():
    assert rules.bid_status_after_save(None, submit=False) is BidStatus.DRAFT
    assert rules.bid_status_after_save(BidStatus.WITHDRAWN, submit=False) is BidStatus.DRAFT
    assert rules.bid_status_after_save(BidStatus.SUBMITTED, submit=False) is BidStatus.SUBMITTED
    assert rules.bid_status_after_save(BidStatus.DRAFT, submit=True) is BidStatus.SUBMITTED


def _welsh_labels(lifecycle: type[StrEnum]) -> dict[str, str]:
    return {member.value: translate_in("cy", member.label) for member in lifecycle}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "lifecycle",
    [SpecificationStatus, BidStatus, AwardStatus, ContractStatus, ProcurementRoute],
    ids=lambda c: c.__name__,
)
def test_every_status_has_english_and_welsh_words_and_never_shows_its_code(lifecycle):
    for member in lifecycle:
        english = member.label
        welsh = translate_in("cy", english)
        assert english and english != member.value
        assert welsh and welsh != english, f"{member.value} has no Welsh label"
    assert len(set(_welsh_labels(lifecycle).values())) == len(lifecycle)


def test_only_the_competitive_route_has_bids_and_only_direct_award_1_skips_the_standstill():
    from commissioning.rules import ProcurementRoute

    assert [route for route in ProcurementRoute if route.is_competitive] == [ProcurementRoute.COMPETITIVE]
    assert [route for route in ProcurementRoute if not route.has_standstill] == [ProcurementRoute.DIRECT_AWARD_1]
