"""The evaluation panel at the service layer: named by the commissioner, each evaluator declares interests before
any bid is shown, a conflict recuses, scores stay hidden from other evaluators until all have scored, moderation
follows, and each step leaves an audit row."""

from __future__ import annotations

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.queries import bids as bid_queries
from commissioning.queries import evaluation as evaluation_queries
from commissioning.schemas import DeclarationIn, ModerationIn, ScoreIn, ScoresIn
from commissioning.services import evaluation, specifications
from commissioning.tables import Declaration, ModeratedScore, PanelMember, Score
from core.errors import Conflict, NotFound, RuleBroken
from notifications.tables import Notification
from tests import bidding_support as b
from tests.conftest import make_actor

pytestmark = pytest.mark.usefixtures("menu")


async def _two_bids():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    beta = await b.provider("Beta Wellbeing CIC", "Cardiff West")
    alpha_bid = await b.bid(alpha, deal, 70_000_00)
    beta_bid = await b.bid(beta, deal, 56_000_00)
    await specifications.begin_evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    return deal, alpha, beta, alpha_bid, beta_bid


async def _named(deal, role=Role.EVALUATOR):
    member = await make_actor(role)
    await evaluation.name_evaluator(
        actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.AFTER
    )
    return member


async def test_the_commissioner_names_evaluators_who_are_told_in_their_inbox():
    deal, *_ = await _two_bids()
    member = await _named(deal)
    assert await PanelMember.count().where(PanelMember.specification == deal.id) == 1
    notices = await Notification.select(Notification.kind, Notification.link).where(Notification.user == member.user_id)
    assert notices == [{"kind": "named_evaluator", "link": f"/evaluations/{deal.id}"}]
    with pytest.raises(Conflict):
        await evaluation.name_evaluator(
            actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.AFTER
        )


async def test_only_users_with_the_evaluator_role_can_be_named_and_only_by_the_pcpgs_commissioner():
    deal, *_ = await _two_bids()
    provider = await make_actor(Role.PROVIDER)
    with pytest.raises(RuleBroken) as not_evaluator:
        await evaluation.name_evaluator(
            actor=deal.commissioner, specification_id=deal.id, username=provider.username, now=b.AFTER
        )
    assert not_evaluator.value.field == "username"
    evaluator = await make_actor(Role.EVALUATOR)
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    with pytest.raises(NotFound):
        await evaluation.name_evaluator(
            actor=swansea, specification_id=deal.id, username=evaluator.username, now=b.AFTER
        )
    assert await PanelMember.count() == 0


async def test_an_evaluator_sees_no_bid_and_cannot_score_before_declaring_interests():
    deal, _, _, alpha_bid, _ = await _two_bids()
    member = await _named(deal)
    assert await bid_queries.list_bids(actor=member, specification_id=deal.id, now=b.AFTER) == []
    with pytest.raises(NotFound):
        await bid_queries.get_bid(actor=member, bid_id=alpha_bid, now=b.AFTER)
    with pytest.raises(NotFound):
        await evaluation_queries.evaluation(actor=member, specification_id=deal.id, now=b.AFTER)
    with pytest.raises(NotFound) as undeclared:  # no bid exists for them yet (the bids' one scope)
        await b.score(member, alpha_bid, (3, 3, 3))
    assert undeclared.value.message == "No such bid"
    assert await Score.count() == 0

    recused = await evaluation.declare_interests(
        actor=member, specification_id=deal.id, data=DeclarationIn(), now=b.AFTER
    )
    assert recused is False
    assert len(await bid_queries.list_bids(actor=member, specification_id=deal.id, now=b.AFTER)) == 2


async def test_a_declared_conflict_recuses_the_evaluator_who_then_sees_no_bid_and_cannot_score():
    deal, alpha, _, alpha_bid, _ = await _two_bids()
    member = await _named(deal)
    recused = await evaluation.declare_interests(
        actor=member,
        specification_id=deal.id,
        data=DeclarationIn(
            known_vehicle_ids=[alpha.delivery_vehicle_id], conflict=True, statement="I am a director of Alpha"
        ),
        now=b.AFTER,
    )
    assert recused is True
    assert await bid_queries.list_bids(actor=member, specification_id=deal.id, now=b.AFTER) == []
    with pytest.raises(NotFound):
        await bid_queries.get_bid(actor=member, bid_id=alpha_bid, now=b.AFTER)
    with pytest.raises(NotFound):
        await evaluation_queries.evaluation(actor=member, specification_id=deal.id, now=b.AFTER)
    with pytest.raises(NotFound) as refused:  # to a recused evaluator no bid exists (the bids' one scope)
        await b.score(member, alpha_bid, (5, 5, 5))
    assert refused.value.message == "No such bid"
    assert await Score.count() == 0
    panel = (await evaluation_queries.evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)).panel
    assert [(m.username, m.declared, m.conflict) for m in panel] == [(member.username, True, True)]


async def test_an_evaluator_declares_once_and_names_how_they_know_a_bidder():
    deal, alpha, *_ = await _two_bids()
    member = await _named(deal)
    with pytest.raises(RuleBroken) as unexplained:
        await evaluation.declare_interests(
            actor=member,
            specification_id=deal.id,
            data=DeclarationIn(known_vehicle_ids=[alpha.delivery_vehicle_id]),
            now=b.AFTER,
        )
    assert unexplained.value.field == "statement"
    await evaluation.declare_interests(
        actor=member,
        specification_id=deal.id,
        data=DeclarationIn(known_vehicle_ids=[alpha.delivery_vehicle_id], statement="Met at a conference"),
        now=b.AFTER,
    )
    with pytest.raises(Conflict):
        await evaluation.declare_interests(
            actor=member, specification_id=deal.id, data=DeclarationIn(conflict=True), now=b.AFTER
        )
    rows = await Declaration.select(Declaration.conflict, Declaration.known_vehicle_ids)
    assert len(rows) == 1 and rows[0]["conflict"] is False


async def test_an_evaluator_not_on_the_panel_can_neither_declare_nor_score():
    deal, _, _, alpha_bid, _ = await _two_bids()
    outsider = await make_actor(Role.EVALUATOR)
    with pytest.raises(NotFound):
        await evaluation.declare_interests(actor=outsider, specification_id=deal.id, data=DeclarationIn(), now=b.AFTER)
    with pytest.raises(NotFound):
        await b.score(outsider, alpha_bid, (3, 3, 3))
    assert await bid_queries.list_bids(actor=outsider, specification_id=deal.id, now=b.AFTER) == []


async def test_scoring_opens_only_once_the_commissioner_begins_the_evaluation():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    alpha_bid = await b.bid(alpha, deal)
    member = await _named(deal)
    await evaluation.declare_interests(actor=member, specification_id=deal.id, data=DeclarationIn(), now=b.AFTER)
    with pytest.raises(Conflict) as closed:
        await b.score(member, alpha_bid, (3, 3, 3))
    assert "begins the evaluation" in closed.value.message
    assert await Score.count() == 0


async def test_each_score_needs_a_reason_and_a_criterion_of_the_specification():
    deal, _, _, alpha_bid, _ = await _two_bids()
    member = await _named(deal)
    await evaluation.declare_interests(actor=member, specification_id=deal.id, data=DeclarationIn(), now=b.AFTER)
    with pytest.raises(RuleBroken):
        await evaluation.score_bid(
            actor=member,
            bid_id=alpha_bid,
            data=ScoresIn(scores=[ScoreIn(criterion=3, score=4, justification="No such criterion")]),
            now=b.AFTER,
        )
    with pytest.raises(RuleBroken):
        await evaluation.score_bid(
            actor=member,
            bid_id=alpha_bid,
            data=ScoresIn(scores=[ScoreIn(criterion=0, score=4, justification="   ")]),
            now=b.AFTER,
        )
    assert await Score.count() == 0


async def test_scores_stay_hidden_from_the_other_evaluators_and_the_commissioner_until_all_have_scored():
    deal, _, _, alpha_bid, beta_bid = await _two_bids()
    one, two = await _named(deal), await _named(deal)
    for member in (one, two):
        await evaluation.declare_interests(actor=member, specification_id=deal.id, data=DeclarationIn(), now=b.AFTER)
    await b.score(one, alpha_bid, (4, 4, 3))
    await b.score(one, beta_bid, (3, 3, 3))
    await b.score(two, alpha_bid, (5, 4, 3))

    seen_by_two = await evaluation_queries.evaluation(actor=two, specification_id=deal.id, now=b.AFTER)
    assert not seen_by_two.all_scored
    assert {s.evaluator for bid in seen_by_two.bids for s in bid.scores} == {two.username}
    seen_by_one = await evaluation_queries.evaluation(actor=one, specification_id=deal.id, now=b.AFTER)
    assert {s.evaluator for bid in seen_by_one.bids for s in bid.scores} == {one.username}
    by_commissioner = await evaluation_queries.evaluation(
        actor=deal.commissioner, specification_id=deal.id, now=b.AFTER
    )
    assert [s for bid in by_commissioner.bids for s in bid.scores] == []
    assert {m.username: m.scored_bids for m in by_commissioner.panel} == {one.username: 2, two.username: 1}

    with pytest.raises(Conflict) as early:
        await evaluation.moderate(
            actor=deal.commissioner,
            bid_id=alpha_bid,
            data=ModerationIn(criterion=0, score=4, reason="Consensus"),
            now=b.AFTER,
        )
    assert "Every evaluator must score every bid" in early.value.message
    assert await ModeratedScore.count() == 0

    await b.score(two, beta_bid, (3, 2, 3))
    for reader in (one, two, deal.commissioner):
        state = await evaluation_queries.evaluation(actor=reader, specification_id=deal.id, now=b.AFTER)
        assert state.all_scored
        assert {s.evaluator for bid in state.bids for s in bid.scores} == {one.username, two.username}
    shown = {b_.bid_id: b_ for b_ in state.bids}
    assert [(s.evaluator, s.score) for s in shown[alpha_bid].scores if s.criterion == 0] == sorted(
        [(one.username, 4), (two.username, 5)]
    )


async def test_a_recused_evaluator_does_not_hold_up_moderation():
    deal, _, _, alpha_bid, beta_bid = await _two_bids()
    member = await _named(deal)
    conflicted = await _named(deal)
    await evaluation.declare_interests(actor=member, specification_id=deal.id, data=DeclarationIn(), now=b.AFTER)
    await evaluation.declare_interests(
        actor=conflicted, specification_id=deal.id, data=DeclarationIn(conflict=True), now=b.AFTER
    )
    await b.score(member, alpha_bid, (4, 4, 3))
    await b.score(member, beta_bid, (3, 3, 3))
    assert (
        await evaluation_queries.evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    ).all_scored
    await b.moderate(deal, alpha_bid, (4, 4, 3))
    assert await ModeratedScore.count() == 3


async def test_moderation_records_the_consensus_score_per_criterion_and_then_scores_are_frozen():
    deal, _, _, alpha_bid, beta_bid = await _two_bids()
    one = await _named(deal)
    await evaluation.declare_interests(actor=one, specification_id=deal.id, data=DeclarationIn(), now=b.AFTER)
    await b.score(one, alpha_bid, (4, 4, 3))
    await b.score(one, beta_bid, (3, 3, 3))
    await b.moderate(deal, alpha_bid, (4, 3, 3))
    await evaluation.moderate(
        actor=deal.commissioner,
        bid_id=alpha_bid,
        data=ModerationIn(criterion=1, score=4, reason="Re-read the workforce plan"),
        now=b.AFTER,
    )
    state = await evaluation_queries.evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    assert {x.bid_id: x.moderated for x in state.bids}[alpha_bid] == {0: 4, 1: 4, 2: 3}
    assert not state.all_moderated
    with pytest.raises(Conflict):
        await b.score(one, alpha_bid, (1, 1, 1))
    with pytest.raises(RuleBroken):
        await evaluation.moderate(
            actor=deal.commissioner,
            bid_id=alpha_bid,
            data=ModerationIn(criterion=3, score=4, reason="No such criterion"),
            now=b.AFTER,
        )
    with pytest.raises(NotFound):
        await evaluation.moderate(
            actor=await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",)),
            bid_id=beta_bid,
            data=ModerationIn(criterion=0, score=4, reason="Not my PCPG"),
            now=b.AFTER,
        )
    await b.moderate(deal, beta_bid, (3, 3, 3))
    state = await evaluation_queries.evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    assert state.all_moderated
    assert [(x.bid_id, x.rank, x.total_score) for x in state.bids] == [(alpha_bid, 1, 78.0), (beta_bid, 2, 76.0)]


async def test_each_step_of_the_evaluation_leaves_an_audit_row_with_who_did_it():
    done = await b.evaluated()
    rows = await AuditEvent.select(AuditEvent.action, AuditEvent.actor_username, AuditEvent.after).order_by(
        AuditEvent.sequence
    )
    steps = [(row["action"], row["actor_username"]) for row in rows]
    commissioner, (one, two) = done.deal.commissioner.username, done.panel
    for step in (
        ("specification.evaluation_begun", commissioner),
        ("panel.member_named", commissioner),
        ("panel.interests_declared", one.username),
        ("panel.interests_declared", two.username),
        ("bid.scored", one.username),
        ("bid.scored", two.username),
        ("bid.moderated", commissioner),
    ):
        assert step in steps, step
    assert sum(1 for step in steps if step[0] == "bid.scored") == 4  # two evaluators x two bids
    assert sum(1 for step in steps if step[0] == "bid.moderated") == 6  # two bids x three criteria
    assert sum(1 for step in steps if step[0] == "panel.member_named") == 2


async def test_the_evaluation_waits_for_every_named_member_until_one_who_never_declares_is_removed(menu):
    """Issue 10 bug 2: one member's scores finished the evaluation while another had not yet declared."""
    deal, alpha_bid, silent = await b.scored_but_for_a_silent_member()

    state = await evaluation_queries.evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    assert not state.all_scored, "the silent member has neither declared nor scored"
    assert all(not bid.scores for bid in state.bids), "no scores are revealed to the commissioner yet"
    with pytest.raises(Conflict):
        await b.moderate(deal, alpha_bid, (4, 4, 3))
    with pytest.raises(RuleBroken):
        await evaluation.remove_evaluator(
            actor=deal.commissioner, specification_id=deal.id, user_id=silent.user_id, reason=" ", now=b.AFTER
        )
    with pytest.raises(NotFound):
        await evaluation.remove_evaluator(
            actor=await make_actor(Role.COMMISSIONER, pcpg_names=("Newport",)),
            specification_id=deal.id,
            user_id=silent.user_id,
            reason="Not my PCPG",
            now=b.AFTER,
        )

    await evaluation.remove_evaluator(
        actor=deal.commissioner, specification_id=deal.id, user_id=silent.user_id, reason="On long leave", now=b.AFTER
    )
    assert not await PanelMember.exists().where(PanelMember.user == silent.user_id)
    (event,) = await AuditEvent.select().where(AuditEvent.action == "panel.member_removed")
    assert "On long leave" in str(event["after"])
    state = await evaluation_queries.evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    assert state.all_scored
    await b.moderate(deal, alpha_bid, (4, 4, 3))
    assert await ModeratedScore.count() == 3
