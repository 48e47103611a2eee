"""What a specification's page offers each reader in each status, for the competitive route and a direct award: the
commissioner who manages it, a commissioner who does not, an evaluator, the public, a provider user without a
delivery vehicle, and a provider whose vehicle serves (or does not serve) the specification's clusters. Pinned in
full so that no reader is offered a button they may not use, nor loses one they may (tests/README.md, mutation
testing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commissioning import rules

STATUSES = ("draft", "published", "closed", "under_evaluation", "awarded", "cancelled")
DIRECT_ROUTES = ("direct_award_1", "direct_award_2", "most_suitable_provider")

# (role, manages, is_provider): who reads the page. A reader without a delivery vehicle is never told it serves
# the specification's clusters (the page asks only for a provider's vehicle), but nothing offered to them may
# depend on that either, so they are tried both ways.
COMMISSIONER = {"role": "commissioner", "manages": True, "is_provider": False}
OTHER_COMMISSIONER = {"role": "commissioner", "manages": False, "is_provider": False}
ADMIN = {"role": "national_admin", "manages": False, "is_provider": False}
EVALUATOR = {"role": "evaluator", "manages": False, "is_provider": False}
FINANCE = {"role": "finance_director", "manages": False, "is_provider": False}
PUBLIC = {"role": None, "manages": False, "is_provider": False}
PROVIDER_WITHOUT_VEHICLE = {"role": "provider", "manages": False, "is_provider": False}
PROVIDER = {"role": "provider", "manages": False, "is_provider": True}

# What the commissioner who manages a specification is offered, whatever its route.
MANAGER_OFFERED = {
    "draft": {"manage", "complete_draft", "cancel"},
    "published": {"manage", "cancel", "evaluation"},
    "closed": {"manage", "cancel", "begin_evaluation", "evaluation"},
    "under_evaluation": {"manage", "cancel", "evaluation"},
    "awarded": {"manage", "evaluation"},
    "cancelled": {"manage"},
}


def _offered(status: str, route: str, reader: dict, serves: bool) -> set[str]:
    actions = rules.specification_actions(status=status, route=route, serves=serves, **reader)
    return {name for name, yes in actions.items() if yes}


@pytest.mark.parametrize("serves", [True, False])
@pytest.mark.parametrize("route", ["competitive", *DIRECT_ROUTES])
@pytest.mark.parametrize("status", STATUSES)
def test_the_commissioner_who_manages_it_writes_publishes_cancels_and_evaluates_but_never_bids(status, route, serves):
    assert _offered(status, route, COMMISSIONER, serves) == MANAGER_OFFERED[status]


@pytest.mark.parametrize("serves", [True, False])
@pytest.mark.parametrize("route", ["competitive", *DIRECT_ROUTES])
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize(
    "reader", [OTHER_COMMISSIONER, ADMIN, EVALUATOR, FINANCE], ids=["other_pcpg", "admin", "evaluator", "finance"]
)
def test_a_signed_in_reader_who_neither_manages_nor_bids_is_offered_nothing(reader, status, route, serves):
    assert _offered(status, route, reader, serves) == set()


@pytest.mark.parametrize("serves", [True, False])
@pytest.mark.parametrize("status", STATUSES)
def test_the_public_is_invited_to_sign_in_only_while_a_competitive_specification_is_open(status, serves):
    expected = {"invite_sign_in"} if status == "published" else set()
    assert _offered(status, "competitive", PUBLIC, serves) == expected


@pytest.mark.parametrize("serves", [True, False])
@pytest.mark.parametrize("status", STATUSES)
def test_a_provider_user_without_a_vehicle_is_invited_to_register_one_only_while_it_is_open(status, serves):
    expected = {"invite_register"} if status == "published" else set()
    assert _offered(status, "competitive", PROVIDER_WITHOUT_VEHICLE, serves) == expected


@pytest.mark.parametrize("serves", [True, False])
@pytest.mark.parametrize("route", DIRECT_ROUTES)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("reader", [PUBLIC, PROVIDER_WITHOUT_VEHICLE], ids=["public", "provider_without_vehicle"])
def test_a_direct_award_invites_nobody_to_bid(reader, status, route, serves):
    assert _offered(status, route, reader, serves) == set()


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        ("draft", set()),
        ("published", {"bid", "change_bid", "ask"}),
        ("closed", {"bid"}),  # their bid stays in reach to read, no longer to change
        ("under_evaluation", {"bid"}),
        ("awarded", {"bid"}),
        ("cancelled", {"bid"}),
    ],
)
def test_a_provider_whose_vehicle_serves_the_clusters_bids_and_asks_while_open_and_reads_its_bid_after(status, offered):
    assert _offered(status, "competitive", PROVIDER, serves=True) == offered


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        ("draft", set()),
        ("published", {"not_served", "ask"}),  # told before it starts; questions are still open to it
        ("closed", set()),
        ("under_evaluation", set()),
        ("awarded", set()),
        ("cancelled", set()),
    ],
)
def test_a_provider_whose_vehicle_serves_none_of_the_clusters_is_told_so_and_cannot_bid(status, offered):
    assert _offered(status, "competitive", PROVIDER, serves=False) == offered


@pytest.mark.parametrize("serves", [True, False])
@pytest.mark.parametrize("route", DIRECT_ROUTES)
@pytest.mark.parametrize("status", STATUSES)
def test_a_provider_cannot_bid_for_a_direct_award_but_may_ask_while_it_is_open(status, route, serves):
    expected = {"ask"} if status == "published" else set()
    assert _offered(status, route, PROVIDER, serves) == expected


def test_a_providers_vehicle_is_taken_to_serve_the_specification_unless_the_caller_says_otherwise():
    actions = rules.specification_actions(
        status="published", route="competitive", manages=False, is_provider=True, role="provider"
    )
    assert actions["bid"] and actions["change_bid"] and not actions["not_served"]


def test_the_route_and_status_may_be_given_as_stored_text_or_as_members():
    as_text = rules.specification_actions(status="published", route="competitive", serves=True, **PROVIDER)
    as_members = rules.specification_actions(
        status=rules.SpecificationStatus.PUBLISHED, route=rules.ProcurementRoute.COMPETITIVE, serves=True, **PROVIDER
    )
    assert as_text == as_members
    assert as_text["bid"] and as_text["change_bid"]


# Bids: withdrawing one, and a refusal long after the deadline


def test_a_bid_can_be_withdrawn_only_while_bids_are_open_and_only_once():
    assert rules.can_withdraw_bid("submitted", bids_are_open=True)
    assert rules.can_withdraw_bid("draft", bids_are_open=True)
    assert not rules.can_withdraw_bid("withdrawn", bids_are_open=True), "already withdrawn"
    for status in ("draft", "submitted", "withdrawn"):
        assert not rules.can_withdraw_bid(status, bids_are_open=False), "the deadline has passed"


def test_a_bid_long_after_the_deadline_is_refused_with_the_deadline_as_a_fact():
    deadline = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)
    for status in ("published", "closed", "under_evaluation"):
        refusal = rules.bid_refusal(
            route="competitive", status=status, bid_deadline_at=deadline, now=deadline + timedelta(days=3)
        )
        assert refusal is not None
        assert refusal.message == "The bid deadline has passed; bids can no longer be made, changed or withdrawn"
        assert refusal.params["bid_deadline_at"] == deadline
