"""The whole competitive journey through the services: two bids, declarations (one conflict recused), scores,
moderation, ranking, award, standstill across a bank holiday, a representation, and the contract."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.queries import bids as bid_queries
from commissioning.queries import evaluation as evaluation_queries
from commissioning.schemas import (
    AwardIn,
    BidAnswerIn,
    BidIn,
    BidPriceIn,
    DeclarationIn,
    ModerationIn,
    ScoreIn,
    ScoresIn,
    SpecificationIn,
    YearIn,
)
from commissioning.services import award, bids, evaluation, specifications
from contracts.tables import Contract, ContractYear
from core.errors import Conflict, NotFound
from finance import queries as finance_queries
from finance.schemas import BudgetLineIn
from finance.services import create_budget_line
from menu.tables import MenuService
from notifications.tables import Notification
from organisations.tables import Pcpg
from tests import factories
from tests.conftest import make_actor

# Published on 1 December 2026, bids close 14 December; evaluation and award on 18 December 2026, so the
# standstill runs over Christmas and Boxing Day (observed Monday 28 December).
PUBLISHED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)
AWARDED = datetime(2026, 12, 18, 10, 0, tzinfo=UTC)


async def _provider(name: str, cluster: str):
    vehicle = await factories.create_vehicle(cluster_names=(cluster,), name=name)
    return await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle.id)


async def _published_spec():
    commissioner = await make_actor(Role.COMMISSIONER)
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    line = await create_budget_line(
        actor=finance,
        data=BudgetLineIn(
            pcpg_id=cardiff, financial_year=2027, funding_stream="cluster_funding", amount_pence=100_000_00
        ),
        now=PUBLISHED,
    )
    service = await MenuService.select(MenuService.id).where(MenuService.code == "social-prescribing").first()
    spec = await specifications.create_specification(
        actor=commissioner,
        data=SpecificationIn(
            pcpg_id=cardiff,
            menu_service_id=service["id"],
            start_financial_year=2027,
            term_years=1,
            cluster_ids=await factories.cluster_ids("Cardiff North", "Cardiff East"),
            years=[YearIn(financial_year=2027, max_value_pence=80_000_00, budget_line_id=line.id)],
            bid_deadline_at=DEADLINE,
        ),
        now=PUBLISHED,
    )
    await specifications.publish_specification(actor=commissioner, specification_id=spec.id, now=PUBLISHED)
    return commissioner, spec, line


def _bid(price: int, submit: bool = True) -> BidIn:
    return BidIn(
        prices=[BidPriceIn(financial_year=2027, price_pence=price)],
        answers=[BidAnswerIn(criterion=n, answer=f"Our answer to criterion {n + 1}") for n in range(3)],
        staff="2 WTE link workers, 0.5 WTE coordinator",
        start_on=date(2027, 4, 1),
        submit=submit,
    )


async def test_bids_are_sealed_until_the_deadline_then_scored_ranked_and_awarded(menu):
    commissioner, spec, line = await _published_spec()
    alpha = await _provider("Alpha Care CIC", "Cardiff North")
    beta = await _provider("Beta Wellbeing CIC", "Cardiff East")
    before = PUBLISHED + timedelta(days=2)
    alpha_bid = await bids.save_bid(actor=alpha, specification_id=spec.id, data=_bid(70_000_00), now=before)
    beta_bid = await bids.save_bid(actor=beta, specification_id=spec.id, data=_bid(56_000_00), now=before)

    # Sealed: before the deadline nobody but the bidder sees a bid, its existence or the count.
    assert [b.id for b in await bid_queries.list_bids(actor=alpha, specification_id=spec.id, now=before)] == [alpha_bid]
    assert await bid_queries.list_bids(actor=commissioner, specification_id=spec.id, now=before) == []
    with pytest.raises(NotFound):
        await bid_queries.get_bid(actor=beta, bid_id=alpha_bid, now=before)
    with pytest.raises(NotFound):
        await bid_queries.get_bid(actor=commissioner, bid_id=alpha_bid, now=before)
    sealed = await AuditEvent.select(AuditEvent.visible_from_at).where(AuditEvent.action == "bid.submitted")
    assert len(sealed) == 2 and all(row["visible_from_at"] == DEADLINE for row in sealed)

    # A price above the year's maximum names the year; a late bid is refused.
    with pytest.raises(Exception) as too_dear:
        await bids.save_bid(actor=alpha, specification_id=spec.id, data=_bid(90_000_00), now=before)
    assert too_dear.value.params["year"] == "2027-28"
    with pytest.raises(Conflict):
        await bids.save_bid(actor=alpha, specification_id=spec.id, data=_bid(60_000_00), now=DEADLINE)

    after = DEADLINE + timedelta(hours=1)
    assert {b.id for b in await bid_queries.list_bids(actor=commissioner, specification_id=spec.id, now=after)} == {
        alpha_bid,
        beta_bid,
    }
    await specifications.begin_evaluation(actor=commissioner, specification_id=spec.id, now=after)

    one = await make_actor(Role.EVALUATOR)
    two = await make_actor(Role.EVALUATOR)
    conflicted = await make_actor(Role.EVALUATOR)
    for member in (one, two, conflicted):
        await evaluation.name_evaluator(
            actor=commissioner, specification_id=spec.id, username=member.username, now=after
        )
    with pytest.raises(NotFound):  # no bid exists for an evaluator before the declaration (the bids' one scope)
        await evaluation.score_bid(actor=one, bid_id=alpha_bid, data=ScoresIn(scores=[]), now=after)
    await evaluation.declare_interests(actor=one, specification_id=spec.id, data=DeclarationIn(), now=after)
    await evaluation.declare_interests(actor=two, specification_id=spec.id, data=DeclarationIn(), now=after)
    recused = await evaluation.declare_interests(
        actor=conflicted,
        specification_id=spec.id,
        data=DeclarationIn(
            known_vehicle_ids=[alpha.delivery_vehicle_id], conflict=True, statement="I am a director of Alpha Care CIC"
        ),
        now=after,
    )
    assert recused
    with pytest.raises(NotFound):  # nor for a recused one
        await evaluation.score_bid(
            actor=conflicted,
            bid_id=alpha_bid,
            data=ScoresIn(scores=[ScoreIn(criterion=0, score=5, justification="x")]),
            now=after,
        )
    assert await bid_queries.list_bids(actor=conflicted, specification_id=spec.id, now=after) == []

    for evaluator, alpha_scores, beta_scores in ((one, (4, 4, 3), (3, 3, 3)), (two, (5, 4, 3), (3, 2, 3))):
        await evaluation.score_bid(
            actor=evaluator,
            bid_id=alpha_bid,
            now=after,
            data=ScoresIn(
                scores=[
                    ScoreIn(criterion=n, score=s, justification="Clear evidence") for n, s in enumerate(alpha_scores)
                ]
            ),
        )
        if evaluator is one:
            mid = await evaluation_queries.evaluation(actor=one, specification_id=spec.id, now=after)
            assert not mid.all_scored
            assert all(s.evaluator == one.username for b in mid.bids for s in b.scores)
        await evaluation.score_bid(
            actor=evaluator,
            bid_id=beta_bid,
            now=after,
            data=ScoresIn(
                scores=[ScoreIn(criterion=n, score=s, justification="Some gaps") for n, s in enumerate(beta_scores)]
            ),
        )
    with pytest.raises(Conflict):
        await award.award_specification(
            actor=commissioner, specification_id=spec.id, data=AwardIn(rationale="x", bid_id=alpha_bid), now=after
        )
    for bid_id, moderated in ((alpha_bid, (4, 4, 3)), (beta_bid, (3, 3, 3))):
        for criterion, score in enumerate(moderated):
            await evaluation.moderate(
                actor=commissioner,
                bid_id=bid_id,
                now=after,
                data=ModerationIn(criterion=criterion, score=score, reason="Panel consensus"),
            )

    result = await evaluation_queries.evaluation(actor=commissioner, specification_id=spec.id, now=after)
    by_bid = {b.bid_id: b for b in result.bids}
    # Weights 30/20/10, price 40. Alpha: quality 30*4/5+20*4/5+10*3/5 = 46; price 40*56000/70000 = 32; total 78.
    # Beta: quality 18+12+6 = 36; price 40; total 76.
    assert (by_bid[alpha_bid].quality_score, by_bid[alpha_bid].price_score, by_bid[alpha_bid].total_score) == (
        46.0,
        32.0,
        78.0,
    )
    assert (by_bid[beta_bid].quality_score, by_bid[beta_bid].price_score, by_bid[beta_bid].total_score) == (
        36.0,
        40.0,
        76.0,
    )
    assert [b.bid_id for b in result.bids] == [alpha_bid, beta_bid]

    intention = await award.award_specification(
        actor=commissioner,
        specification_id=spec.id,
        data=AwardIn(rationale="Highest total score", bid_id=alpha_bid),
        now=AWARDED,
    )
    # 8 working days from Friday 18 December 2026: 21, 22, 23, 24, (25 and 28 are bank holidays), 29, 30, 31
    # December and 4 January 2027 (1 January is a bank holiday).
    assert intention.standstill_ends_on == date(2027, 1, 4)
    assert intention.earliest_confirmation_on == date(2027, 1, 5)
    assert await Notification.count().where(Notification.kind == "award_intention") == 2

    with pytest.raises(Conflict) as early:
        await award.confirm_award(
            actor=commissioner, award_id=intention.id, now=datetime(2027, 1, 4, 15, 0, tzinfo=UTC)
        )
    assert early.value.params["date"] == date(2027, 1, 5)
    representation = await award.lodge_representation(
        actor=beta, award_id=intention.id, text="Our price was lower", now=AWARDED + timedelta(days=1)
    )
    with pytest.raises(Conflict):
        await award.confirm_award(
            actor=commissioner, award_id=intention.id, now=datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
        )
    await award.answer_representation(
        actor=commissioner,
        representation_id=representation,
        answer="Quality carried 60% of the score",
        now=datetime(2027, 1, 6, 11, 0, tzinfo=UTC),
    )
    confirmed = await award.confirm_award(
        actor=commissioner, award_id=intention.id, now=datetime(2027, 1, 6, 12, 0, tzinfo=UTC)
    )
    assert confirmed.status == "confirmed"
    contract = await Contract.select().where(Contract.id == confirmed.contract_id).first()
    assert contract["delivery_vehicle"] == alpha.delivery_vehicle_id and contract["status"] == "mobilising"
    assert contract["total_value_pence"] == 70_000_00
    assert await ContractYear.count().where(ContractYear.contract == contract["id"]) == 1
    ledger = (await finance_queries.ledgers([line.id]))[line.id]
    assert (ledger.earmarked_pence, ledger.committed_pence, ledger.headroom_pence) == (0, 70_000_00, 30_000_00)
    actions = {row["action"] for row in await AuditEvent.select(AuditEvent.action)}
    assert {
        "bid.submitted",
        "panel.member_named",
        "panel.interests_declared",
        "bid.scored",
        "bid.moderated",
        "award.intended",
        "award.representation_lodged",
        "award.representation_answered",
        "award.confirmed",
        "contract.made",
        "budget.committed",
    } <= actions
